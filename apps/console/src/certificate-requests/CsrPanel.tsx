import type { CertificateRequestView } from '@anchorage/contracts';
import { Box, Table, TableBody, TableCell, TableRow, Typography } from '@mui/material';
import { Labeled, useRecordContext } from 'react-admin';
import { useLoad } from '../common/useLoad';
import { errorText } from '../errors';
import { describeCsr } from '../pki/describe';
import { CodeBlock } from '../common/CodeBlock';

/** The request's CSR decoded in the browser (subject, SANs, key, signature check), then its PEM. */
export function CsrPanel() {
  const r = useRecordContext<CertificateRequestView>();
  const pem = r?.csrPem ?? '';
  const csr = useLoad(pem, () => describeCsr(pem));
  if (!r) return null;
  const rows: [string, string][] = csr.data
    ? [
      ['Subject', csr.data.subject],
      ['SAN URIs', csr.data.sanUris.join(', ') || 'none'],
      ...(csr.data.otherSans.length > 0 ? [['Other SANs', csr.data.otherSans.join(', ')] as [string, string]] : []),
      ['Public key', csr.data.key],
      ['Signature', `${csr.data.signatureAlgorithm}: ${csr.data.signatureValid ? 'valid (the requester holds the private key)' : 'DOES NOT VERIFY'}`],
    ]
    : [];
  return (
    <Labeled label="CSR" fullWidth>
      <Box>
        {csr.error != null && <Typography variant="body2" color="warning.main">This browser could not decode the CSR: {errorText(csr.error)}</Typography>}
        {csr.data && (
          <Table size="small" aria-label="Decoded CSR" sx={{ maxWidth: 900, mb: 1 }}>
            <TableBody>
              {rows.map(([k, v]) => (
                <TableRow key={k}>
                  <TableCell component="th" scope="row" sx={{ width: 160 }}>{k}</TableCell>
                  <TableCell sx={{ wordBreak: 'break-all' }}>{v}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <CodeBlock label="CSR (PEM)" maxHeight={200}>{r.csrPem}</CodeBlock>
      </Box>
    </Labeled>
  );
}
