import { KEY_TYPES, type CommunityDetailView, type KeyType } from '@anchorage/contracts';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import {
  Alert, Box, Button, Card, CardContent, LinearProgress, List, ListItem, ListItemIcon, ListItemText, MenuItem, Stack, TextField, Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import { Title, useDataProvider } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import type { ConsoleDataProvider } from '../dataProvider';
import { errorText, fieldErrorsOf } from '../errors';
import { colonFingerprint } from './fingerprint';

/**
 * What creating a community does, in order (libs/authority create-community.ts). The API does all of it
 * in the one POST and answers at the end, so while it runs the page names the steps without claiming
 * which one is under way; once it answers, each step shows what it produced.
 */
export const CREATION_STEPS = ['Root CA key', 'Root CA certificate', 'Issuing CA key', 'Issuing CA certificate', 'First CRLs'] as const;

type Phase = { at: 'form' } | { at: 'running'; since: number } | { at: 'done'; community: CommunityDetailView; seconds: number };

/** What each step produced, from the API's answer. */
function stepResults(c: CommunityDetailView): string[] {
  const root = c.cas.find((a) => a.role === 'root');
  const issuing = c.cas.find((a) => a.role === 'issuing');
  const fp = (hex: string | null | undefined) => (hex ? `SHA-256 ${colonFingerprint(hex)}` : 'no certificate');
  return [
    `${root?.keyType ?? ''} key in the signer`, `${root?.subject ?? ''} · ${fp(root?.sha256)}`,
    `${issuing?.keyType ?? ''} key in the signer`, `${issuing?.subject ?? ''} · ${fp(issuing?.sha256)}`,
    'CRL #1 of each CA published',
  ];
}

/** Seconds since `since`, ticking while the request runs. */
function useElapsed(since: number | null): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (since === null) return undefined;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [since]);
  return since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000));
}

/**
 * Creating a community (operators of every community): name, URI, CA key type and the main policy fields.
 * The signer generates two CA keys, which takes seconds (RSA-4096 the longest): an indeterminate progress
 * bar, the steps by name and the seconds elapsed show while the API works; its answer ticks every step.
 */
export function CommunityCreate() {
  const dp = useDataProvider<ConsoleDataProvider>();
  const [name, setName] = useState('');
  const [uri, setUri] = useState('');
  const [caKeyType, setCaKeyType] = useState<KeyType>('RSA-4096');
  const [days, setDays] = useState('365');
  const [phase, setPhase] = useState<Phase>({ at: 'form' });
  const [error, setError] = useState<unknown>(null);
  const elapsed = useElapsed(phase.at === 'running' ? phase.since : null);
  const fieldError = (f: string) => fieldErrorsOf(error).find((e) => e.field === f)?.message;

  const create = async () => {
    const since = Date.now();
    setError(null);
    setPhase({ at: 'running', since });
    try {
      const community = await dp.createCommunity({ name: name.trim(), uri: uri.trim(), caKeyType, policy: { maxLeafValidityDays: Number(days) } });
      setPhase({ at: 'done', community, seconds: Math.round((Date.now() - since) / 100) / 10 });
    } catch (err) {
      setError(err);
      setPhase({ at: 'form' });
    }
  };
  const running = phase.at === 'running';
  const results = phase.at === 'done' ? stepResults(phase.community) : null;

  return (
    <Box sx={{ mt: 2, maxWidth: 720 }}>
      <Title title="Create a community" />
      <Card variant="outlined">
        <CardContent>
          <Stack spacing={2}>
            <Typography variant="h5" component="h1">Create a trust community</Typography>
            <Typography variant="body2">A root CA and an issuing CA are made for it; their keys are generated in the signer and never leave it.</Typography>
            <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} disabled={running || !!results} required
              error={!!fieldError('name')} helperText={fieldError('name') ?? 'Shown to members; in the CA names'} />
            <TextField label="Community URI" value={uri} onChange={(e) => setUri(e.target.value)} disabled={running || !!results} required placeholder="udap://example.org/"
              error={!!fieldError('uri')} helperText={fieldError('uri') ?? 'The community parameter of UDAP requests, e.g. udap://example.org/'} />
            <TextField select label="CA key type" value={caKeyType} onChange={(e) => setCaKeyType(e.target.value as KeyType)} disabled={running || !!results}
              error={!!fieldError('caKeyType')} helperText={fieldError('caKeyType') ?? 'RSA-4096 takes the longest to generate; EC keys: some relying parties accept RSA only'}>
              {KEY_TYPES.map((k) => <MenuItem key={k} value={k}>{k}</MenuItem>)}
            </TextField>
            <TextField label="Maximum leaf validity (days)" type="number" value={days} onChange={(e) => setDays(e.target.value)} disabled={running || !!results}
              error={!!fieldError('policy.maxLeafValidityDays')} helperText={fieldError('policy.maxLeafValidityDays') ?? '1 to 825; the rest of the policy can be edited later'} />
            {error !== null && <Alert severity="error" role="alert">The community was not created: {errorText(error)}</Alert>}
            {!results && (
              <div>
                <Button variant="contained" onClick={() => void create()} disabled={running || !name.trim() || !uri.trim()}>
                  {running ? 'Creating…' : 'Create community'}
                </Button>
              </div>
            )}
            {(running || results) && (
              <Box component="section" aria-label="Creation progress">
                {running && (
                  <>
                    <LinearProgress aria-label="Creating the community" />
                    <Typography variant="body2" sx={{ mt: 1 }} role="status">
                      Working for {elapsed} s: the signer generates the keys and signs the certificates, in this order:
                    </Typography>
                  </>
                )}
                {results && phase.at === 'done' && (
                  <Alert severity="success" role="status">Created in {phase.seconds} s: every step is done.</Alert>
                )}
                <List dense aria-label="Creation steps">
                  {CREATION_STEPS.map((step, i) => (
                    <ListItem key={step} data-step={i + 1} data-state={results ? 'done' : 'running'}>
                      <ListItemIcon sx={{ minWidth: 32 }}>
                        {results ? <CheckCircleIcon color="success" aria-hidden /> : <Typography component="span" aria-hidden>{i + 1}.</Typography>}
                      </ListItemIcon>
                      <ListItemText
                        primary={`${step}: ${results ? 'done' : 'in progress'}`}
                        secondary={results ? results[i] : undefined}
                        slotProps={{ secondary: { sx: { wordBreak: 'break-all' } } }}
                      />
                    </ListItem>
                  ))}
                </List>
                {results && phase.at === 'done' && (
                  <Button variant="contained" component={RouterLink} to={`/communities/${encodeURIComponent(phase.community.id)}/show`}>Open the community</Button>
                )}
              </Box>
            )}
          </Stack>
        </CardContent>
      </Card>
    </Box>
  );
}
