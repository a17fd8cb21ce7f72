import { Box, Typography } from '@mui/material';

/** Monospace text that wraps anywhere, for secrets and URIs to copy. */
export function Secret({ label, value }: { label: string; value: string }) {
  return (
    <Box>
      <Typography variant="caption" color="text.secondary">{label}</Typography>
      <Box component="pre" aria-label={label} sx={{ fontFamily: 'monospace', fontSize: 14, whiteSpace: 'pre-wrap', wordBreak: 'break-all', bgcolor: 'action.hover', p: 1, m: 0 }}>
        {value}
      </Box>
    </Box>
  );
}
