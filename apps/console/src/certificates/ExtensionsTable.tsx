import type { CertificateView } from '@anchorage/contracts';
import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';

/** The certificate's extensions as the API decoded them (name, critical, value), in certificate order. */
export function ExtensionsTable() {
  const c = useRecordContext<CertificateView>();
  if (!c?.extensions?.length) return null;
  return (
    <Table size="small" aria-label="Extensions">
      <TableHead>
        <TableRow>
          <TableCell>Extension</TableCell>
          <TableCell>Critical</TableCell>
          <TableCell>Value</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {c.extensions.map((e) => (
          <TableRow key={e.oid}>
            <TableCell title={e.oid}>{e.name}</TableCell>
            <TableCell>{e.critical ? 'yes' : 'no'}</TableCell>
            <TableCell><Typography variant="body2" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>{e.value}</Typography></TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
