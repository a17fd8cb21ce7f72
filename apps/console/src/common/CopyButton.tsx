import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { Button, Typography } from '@mui/material';
import { useEffect, useState } from 'react';

/** How long "Copied" stays visible. */
const CONFIRMATION_MS = 4000;

/**
 * Copies `value` with the Clipboard API and says so in words ("Copied", announced politely to screen
 * readers); where the browser refuses (no clipboard outside a secure context), says that instead.
 * `label` names what is copied ("Copy root CA SHA-256 fingerprint").
 */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return undefined;
    const t = setTimeout(() => setState('idle'), CONFIRMATION_MS);
    return () => clearTimeout(t);
  }, [state]);
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
      <Button size="small" variant="text" startIcon={<ContentCopyIcon fontSize="small" />} onClick={() => void copy()} aria-label={label} sx={{ minWidth: 0 }}>
        Copy
      </Button>
      <Typography component="span" variant="caption" role="status" aria-live="polite" sx={{ fontWeight: 600, color: state === 'failed' ? 'error.main' : 'success.dark' }}>
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy: select the text and copy it by hand' : ''}
      </Typography>
    </span>
  );
}
