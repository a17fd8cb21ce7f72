import type { AffectedCertificates } from '@anchorage/contracts';
import CheckIcon from '@mui/icons-material/CheckCircleOutlined';
import { Alert, Stack, TextField, Typography } from '@mui/material';
import { useId } from 'react';

/** Whether `typed` is one of `accepted` (a name, a CA subject, or a fixed word), spaces around ignored. */
export const confirmsTyped = (typed: string, accepted: readonly string[]): boolean => {
  const t = typed.trim();
  return t !== '' && accepted.some((a) => a.trim() === t);
};

/**
 * The typed confirmation of an irreversible action: a labelled field, the text to type spelled out,
 * and whether what was typed matches, in words (the confirm button stays disabled until it does).
 */
export function TypedConfirmation({ expected, word, what, value, onChange }: {
  /** What to type: the organization's name, the CA's subject. */
  expected: string;
  /** A fixed word accepted instead (e.g. COMPROMISED), if any. */
  word?: string;
  /** What `expected` is, for the label: "the organization's name". */
  what: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const hint = useId();
  const matches = confirmsTyped(value, word ? [expected, word] : [expected]);
  return (
    <Stack spacing={0.5}>
      <Typography variant="body2" id={hint}>
        To confirm, type {what}{word ? <> or <strong>{word}</strong></> : null}: <strong style={{ wordBreak: 'break-all' }}>{expected}</strong>
      </Typography>
      <TextField label={`Confirmation: ${what}`} value={value} onChange={(e) => onChange(e.target.value)} fullWidth autoComplete="off"
        slotProps={{ htmlInput: { 'aria-describedby': hint, spellCheck: false } }}
        helperText={matches
          ? <Stack component="span" direction="row" spacing={0.5} sx={{ alignItems: 'center' }}><CheckIcon fontSize="inherit" /><span>Matches: you may confirm</span></Stack>
          : value.trim() === '' ? 'Not typed yet: the button stays disabled' : 'Does not match yet: the button stays disabled'} />
    </Stack>
  );
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The certificates an action would revoke, in words: live ones, those on hold, and expired ones a
 * bulk revocation still marks revoked.
 */
export function AffectedCertificatesText({ counts, revoked }: { counts: AffectedCertificates; revoked: boolean }) {
  const expired = counts.toRevoke - counts.live - counts.onHold;
  if (!revoked) {
    return <Alert severity="info" icon={false}>{plural(counts.live, 'live certificate')} and {plural(counts.onHold, 'certificate')} on hold stay as they are.</Alert>;
  }
  return (
    <Alert severity={counts.toRevoke > 0 ? 'warning' : 'info'} data-testid="affected-certificates">
      <strong>{plural(counts.live, 'live certificate')} will be revoked</strong>
      {counts.onHold > 0 ? <>, with {plural(counts.onHold, 'certificate')} on hold</> : null}
      {expired > 0 ? <> (and {plural(expired, 'expired certificate')} marked revoked too)</> : null}.
      {counts.toRevoke === 0 ? ' Nothing is revoked: there are no certificates to revoke.' : ' Revocation cannot be undone.'}
    </Alert>
  );
}
