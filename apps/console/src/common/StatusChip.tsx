import { Chip } from '@mui/material';

type Color = 'default' | 'success' | 'error' | 'warning' | 'info';

/** A status as a small coloured chip, with an optional label in place of the raw status. */
export function StateChip({ value, colors, labels = {} }: { value: string; colors: Record<string, Color>; labels?: Record<string, string> }) {
  return <Chip size="small" label={labels[value] ?? value} color={colors[value] ?? 'default'} />;
}
