import { Box } from '@mui/material';
import type { ReactNode } from 'react';

/**
 * Preformatted text (PEM, JSON) in a box of its own that scrolls sideways, and never widens the page: sized
 * from nothing and stretched to its container (`width: 0`, `minWidth: 100%`), its long lines add nothing to
 * the width the layout asks for, so on a 390 px phone the record fits and only this box scrolls. Focusable,
 * so a keyboard can scroll it too.
 */
export function CodeBlock({ label, fontSize = 12, maxHeight, children }: { label: string; fontSize?: number; maxHeight?: number; children: ReactNode }) {
  return (
    <Box component="pre" tabIndex={0} aria-label={label}
      sx={{ fontSize, maxHeight, overflow: 'auto', bgcolor: 'action.hover', p: 1, m: 0, width: 0, minWidth: '100%', boxSizing: 'border-box' }}>
      {children}
    </Box>
  );
}
