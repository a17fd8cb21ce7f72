import { useMediaQuery, type Theme } from '@mui/material';

/** True on a phone-sized screen (below MUI's `sm`, 600 px): lists show one card per record instead of a table. */
export function useNarrow(): boolean {
  return useMediaQuery((t: Theme) => t.breakpoints.down('sm'), { noSsr: true });
}
