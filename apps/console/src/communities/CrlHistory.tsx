import type { CrlView } from '@anchorage/contracts';
import { Box, Link, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useDataProvider, useNotify } from 'react-admin';
import { downloadBlob } from '../certificates/download';
import { useLoad } from '../common/useLoad';
import type { ConsoleDataProvider } from '../dataProvider';
import { errorText } from '../errors';

/** How many CRLs the history shows. */
export const CRL_HISTORY_SIZE = 10;

/**
 * A CA's published CRLs, newest first, each downloadable as DER: fetched with the bearer token in the
 * Authorization header and saved from a blob, so no token ever goes into a URL.
 */
export function CrlHistory({ caId, version = 0 }: { caId: string; version?: number }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const { data, error } = useLoad(`crls:${caId}:${version}`, () => dp.getCrls(caId, CRL_HISTORY_SIZE));
  if (error) return <Typography variant="body2" color="error">Could not load the CRL history: {errorText(error)}</Typography>;
  if (!data) return null;
  if (data.length === 0) return null; // LatestCrl says so already
  const download = async (crl: CrlView) => {
    try {
      downloadBlob(`crl-${crl.crlNumber}.crl`, await dp.downloadCrl(caId, crl.crlNumber));
    } catch (err) {
      notify(`Could not download CRL #${crl.crlNumber}: ${errorText(err)}`, { type: 'error' });
    }
  };
  return (
    // scrolls sideways on a narrow screen rather than widening the page
    <Box sx={{ overflowX: 'auto', maxWidth: '100%' }}>
    <Table size="small" aria-label="CRL history">
      <TableHead>
        <TableRow><TableCell>CRL</TableCell><TableCell>This update</TableCell><TableCell>Next update</TableCell><TableCell>Entries</TableCell><TableCell /></TableRow>
      </TableHead>
      <TableBody>
        {data.map((crl) => (
          <TableRow key={crl.crlNumber}>
            <TableCell>#{crl.crlNumber}</TableCell>
            <TableCell>{new Date(crl.thisUpdate).toLocaleString()}</TableCell>
            <TableCell>{new Date(crl.nextUpdate).toLocaleString()}</TableCell>
            <TableCell>{crl.entryCount}</TableCell>
            <TableCell>
              <Link component="button" type="button" variant="body2" onClick={() => void download(crl)}>Download CRL #{crl.crlNumber}</Link>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
    </Box>
  );
}
