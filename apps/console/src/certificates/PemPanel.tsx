import type { CertificateView } from '@anchorage/contracts';
import { Box, Button, Stack } from '@mui/material';
import { Labeled, useNotify, useRecordContext } from 'react-admin';
import { fromBase64 } from '../pki/bytes';
import { downloadBytes, downloadText } from './download';
import { CodeBlock } from '../common/CodeBlock';

/** The PEM chain (leaf first) with copy and download buttons, the leaf as DER, and the x5c array as JSON. */
export function PemPanel() {
  const c = useRecordContext<CertificateView>();
  const notify = useNotify();
  if (!c) return null;
  const copy = () =>
    navigator.clipboard.writeText(c.chainPem).then(
      () => notify('PEM chain copied to the clipboard', { type: 'info' }),
      () => notify('The browser refused clipboard access; use Download instead', { type: 'warning' }),
    );
  return (
    <Labeled label="Certificate chain (PEM)">
      <Box>
        <Stack direction="row" spacing={1} sx={{ mb: 1, flexWrap: 'wrap' }} useFlexGap>
          <Button size="small" variant="outlined" onClick={copy}>Copy PEM chain</Button>
          <Button size="small" variant="outlined" onClick={() => downloadText(`${c.serial}-chain.pem`, c.chainPem, 'application/x-pem-file')}>
            Download PEM chain
          </Button>
          <Button size="small" variant="outlined" onClick={() => downloadBytes(`${c.serial}.der`, fromBase64(c.derBase64), 'application/pkix-cert')}>
            Download DER
          </Button>
          <Button size="small" variant="outlined" onClick={() => downloadText(`${c.serial}-x5c.json`, JSON.stringify(c.x5c, null, 2), 'application/json')}>
            Download x5c JSON
          </Button>
        </Stack>
        <CodeBlock label="Certificate chain (PEM)" maxHeight={240}>{c.chainPem}</CodeBlock>
      </Box>
    </Labeled>
  );
}
