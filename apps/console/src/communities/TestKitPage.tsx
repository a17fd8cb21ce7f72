import type { TestKitCaseView, TestKitView } from '@anchorage/contracts';
import {
  Alert, AlertTitle, Box, Button, Card, CardContent, Chip, Link, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography,
} from '@mui/material';
import { useState } from 'react';
import { Title, useDataProvider, useGetOne, useNotify } from 'react-admin';
import { Link as RouterLink, useParams } from 'react-router-dom';
import { useLoad } from '../common/useLoad';
import type { ConsoleDataProvider } from '../dataProvider';
import { errorText } from '../errors';
import { isOperator, useConsolePermissions } from '../permissions';

/** Where a community's test certificates page lives. */
export const testKitPath = (communityId: string) => `/communities/${encodeURIComponent(communityId)}/test-kit`;

/** The public links of one case, each named for a screen reader with the case. */
function CaseFiles({ c }: { c: TestKitCaseView }) {
  const files: [string, string][] = [
    ['certificate', c.files.certificatePem], ['chain', c.files.chain], ['private key', c.files.privateKey], ['software statement', c.files.softwareStatement],
  ];
  return (
    <Stack spacing={0.25}>
      {files.map(([label, href]) => (
        <Link key={label} href={href} target="_blank" rel="noreferrer" aria-label={`${label} of ${c.id}`} variant="body2">{label}</Link>
      ))}
    </Stack>
  );
}

/** The kit's table: each case, what is wrong with it, and what a relying server must answer. */
function CaseTable({ kit }: { kit: TestKitView }) {
  return (
    <Table size="small" aria-label="Test cases">
      <TableHead>
        <TableRow>
          <TableCell>Case</TableCell>
          <TableCell>What is wrong</TableCell>
          <TableCell>Your server must</TableCell>
          <TableCell>Registration answers</TableCell>
          <TableCell>Check that fails</TableCell>
          <TableCell>Files</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {kit.cases.map((c) => (
          <TableRow key={c.id} data-case={c.id}>
            <TableCell>
              <Typography variant="body2" sx={{ fontWeight: 'bold' }}>{c.title}</Typography>
              <Typography variant="caption" sx={{ fontFamily: 'monospace' }}>{c.id} · {c.keyType} · {c.alg}</Typography>
            </TableCell>
            <TableCell><Typography variant="body2">{c.deviation}</Typography></TableCell>
            <TableCell>
              <Chip size="small" label={c.expected.outcome === 'accept' ? 'accept' : 'reject'} color={c.expected.outcome === 'accept' ? 'success' : 'error'} />
            </TableCell>
            <TableCell><Typography variant="body2" sx={{ fontFamily: 'monospace' }}>{c.expected.registration}</Typography></TableCell>
            <TableCell>
              <Typography variant="body2">{c.expected.check}</Typography>
              {c.expected.findings.length > 0 && <Typography variant="caption" sx={{ fontFamily: 'monospace' }}>{c.expected.findings.join(', ')} · {c.expected.section}</Typography>}
            </TableCell>
            <TableCell><CaseFiles c={c} /></TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * A community's test certificates (docs/test-certificates.md): the cases a relying server must reject,
 * each with its certificate, known key and a software statement, and the answer expected. An operator
 * creates or regenerates the kit; anyone signed in who sees the community reads it.
 */
export function TestKitPage() {
  const { id = '' } = useParams();
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const { permissions } = useConsolePermissions();
  const { data: community } = useGetOne<{ id: string; name: string }>('communities', { id });
  const kit = useLoad(`test-kit:${id}`, () => dp.getTestKit(id));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const operator = isOperator(permissions);

  const generate = async () => {
    setBusy(true);
    setError(null);
    try {
      const made = await dp.generateTestKit(id);
      notify(made.generation === 1 ? 'Test kit created' : `Test kit regenerated (generation ${made.generation})`, { type: 'success' });
      await kit.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box sx={{ mt: 2 }}>
      <Title title={`Test certificates${community ? ` · ${community.name}` : ''}`} />
      <Stack spacing={2}>
        <Typography variant="h5" component="h1">Test certificates{community ? ` for ${community.name}` : ''}</Typography>
        <Typography variant="body2">
          Certificates with published private keys under a separate TEST anchor, for relying-server developers: a server that trusts the TEST anchor
          must accept the valid case and answer every other case as the table says. The TEST anchor is never part of the community&apos;s trust bundle.{' '}
          <Link component={RouterLink} to={`/communities/${encodeURIComponent(id)}/show`}>Back to the community</Link>
        </Typography>
        {error && <Alert severity="error" role="alert">{error}</Alert>}
        {kit.error ? <Alert severity="error" role="alert">{errorText(kit.error)}</Alert> : null}
        {kit.loading && !kit.data && <Typography variant="body2">Loading…</Typography>}
        {!kit.loading && kit.data === null && (
          <Alert severity="info">
            <AlertTitle>No test kit yet</AlertTitle>
            {operator ? 'Create one: a TEST anchor, a TEST issuing CA, an untrusted TEST root and the cases below.' : 'An operator of the community can create it.'}
          </Alert>
        )}
        {operator && (
          <div>
            <Button variant="contained" disabled={busy || kit.loading} onClick={() => void generate()}>
              {kit.data ? 'Regenerate the test kit' : 'Create the test kit'}
            </Button>
          </div>
        )}
        {kit.data && (
          <>
            <Alert severity="warning" role="note"><AlertTitle>Not for production</AlertTitle>{kit.data.notice}</Alert>
            <Card variant="outlined">
              <CardContent>
                <Typography variant="subtitle1" component="h2">Trust this anchor in your test environment</Typography>
                <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>{kit.data.anchor.subject}</Typography>
                <Typography variant="body2" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>SHA-256 {kit.data.anchor.sha256}</Typography>
                <Stack direction="row" spacing={2} sx={{ mt: 1 }}>
                  <Link href={kit.data.anchor.pemUrl} target="_blank" rel="noreferrer">TEST anchor (PEM)</Link>
                  <Link href={kit.data.anchor.certificateUrl} target="_blank" rel="noreferrer">TEST anchor (DER)</Link>
                  <Link href={kit.data.issuingCa.crlUrl} target="_blank" rel="noreferrer">TEST issuing CA CRL</Link>
                  <Link href={kit.data.url} target="_blank" rel="noreferrer">Kit index (JSON)</Link>
                </Stack>
                <Typography variant="body2" sx={{ mt: 1 }}>
                  Generation {kit.data.generation}, made {new Date(kit.data.generatedAt).toLocaleString()}; valid until {new Date(kit.data.validUntil).toLocaleString()}.{' '}
                  {kit.data.softwareStatements.note}.
                </Typography>
              </CardContent>
            </Card>
            <CaseTable kit={kit.data} />
          </>
        )}
      </Stack>
    </Box>
  );
}
