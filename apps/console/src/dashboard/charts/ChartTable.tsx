import { Box, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import type { ReactNode } from 'react';

/**
 * A chart's figures as a table, folded under "Show the figures as a table" (a native disclosure, reachable
 * by keyboard and screen reader): every number of the picture, for anyone who would rather read them. The
 * picture's own accessible name (its aria-label) is the short summary read without opening it.
 */
export function ChartTable({ caption, columns, rows }: { caption: string; columns: string[]; rows: ReactNode[][] }) {
  return (
    <Box component="details" sx={{ mt: 1, '& summary': { cursor: 'pointer', fontSize: 14 } }}>
      <summary>Show the figures as a table</summary>
      <Box sx={{ overflowX: 'auto', maxHeight: 320 }}>
        <Table size="small" aria-label={caption}>
          <TableHead>
            <TableRow>{columns.map((c) => <TableCell key={c}>{c}</TableCell>)}</TableRow>
          </TableHead>
          <TableBody>
            {rows.map((r, i) => <TableRow key={i}>{r.map((cell, j) => <TableCell key={j}>{cell}</TableCell>)}</TableRow>)}
          </TableBody>
        </Table>
      </Box>
    </Box>
  );
}
