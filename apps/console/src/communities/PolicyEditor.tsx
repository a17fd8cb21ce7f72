import { KEY_TYPES, type CommunityPolicy, type CommunityView, type KeyType, type UpdateCommunityPolicyBody } from '@anchorage/contracts';
import {
  Alert, Button, Checkbox, Dialog, DialogActions, DialogContent, DialogTitle, FormControl, FormControlLabel, FormGroup, FormLabel, Stack, Switch, TextField, Typography,
} from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import type { ConsoleDataProvider } from '../dataProvider';
import { errorText, fieldErrorsOf } from '../errors';

type Flags = 'allowGeneratedKeys' | 'requireEndpointControl' | 'autoApproveVerifiedRequests' | 'requireRsaChain';
const FLAGS: [Flags, string][] = [
  ['allowGeneratedKeys', 'Members may ask the platform to generate their key (PKCS #12)'],
  ['requireEndpointControl', 'udap-server requests wait until every SAN URI passed endpoint control'],
  ['autoApproveVerifiedRequests', 'Requests whose SAN URIs all passed endpoint control are approved at once'],
  ['requireRsaChain', 'CA keys must be RSA (refused while a CA of the community has an EC key)'],
];

/** The fields of `next` that differ from `before`: what the PUT sends. */
export function policyChange(before: CommunityPolicy, next: CommunityPolicy): UpdateCommunityPolicyBody {
  return Object.fromEntries(Object.entries(next).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k as keyof CommunityPolicy] ?? false)));
}

/**
 * The operator's form for a community's policy, in a dialog: leaf key types, maximum leaf validity, CRL
 * lifetime (hours) and the switches. Only changed fields are sent; the API checks the whole policy, and its
 * refusal (each field's message) shows in the form while nothing changes.
 */
export function PolicyEditor({ community }: { community: CommunityView }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const start = community.policy;
  const [keys, setKeys] = useState<KeyType[]>(start.allowedLeafKeyTypes);
  const [days, setDays] = useState(String(start.maxLeafValidityDays));
  const [hours, setHours] = useState(String(start.crlLifetimeSeconds / 3600));
  const [flags, setFlags] = useState<Record<Flags, boolean>>({
    allowGeneratedKeys: start.allowGeneratedKeys, requireEndpointControl: !!start.requireEndpointControl,
    autoApproveVerifiedRequests: !!start.autoApproveVerifiedRequests, requireRsaChain: !!start.requireRsaChain,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reset = () => {
    setKeys(start.allowedLeafKeyTypes);
    setDays(String(start.maxLeafValidityDays));
    setHours(String(start.crlLifetimeSeconds / 3600));
    setFlags({ allowGeneratedKeys: start.allowGeneratedKeys, requireEndpointControl: !!start.requireEndpointControl, autoApproveVerifiedRequests: !!start.autoApproveVerifiedRequests, requireRsaChain: !!start.requireRsaChain });
    setError(null);
  };
  const fieldError = (name: string) => fieldErrorsOf(error).find((e) => e.field === name || e.field === `policy.${name}`)?.message;
  const next: CommunityPolicy = {
    allowedLeafKeyTypes: keys, maxLeafValidityDays: Number(days), crlLifetimeSeconds: Math.round(Number(hours) * 3600), ...flags,
  };
  const change = policyChange(start, next);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await dp.updateCommunityPolicy(community.id, change);
      notify('Policy saved', { type: 'success' });
      setOpen(false);
      refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="small" variant="outlined" onClick={() => { reset(); setOpen(true); }}>Edit policy</Button>
      <Dialog open={open} onClose={() => !busy && setOpen(false)} fullWidth maxWidth="sm" aria-labelledby="policy-title">
        <DialogTitle id="policy-title">Policy of {community.name}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <FormControl component="fieldset" error={!!fieldError('allowedLeafKeyTypes')}>
              <FormLabel component="legend">Leaf key types members may use</FormLabel>
              <FormGroup row>
                {KEY_TYPES.map((k) => (
                  <FormControlLabel key={k} label={k} control={
                    <Checkbox checked={keys.includes(k)} onChange={(e) => setKeys(e.target.checked ? KEY_TYPES.filter((x) => x === k || keys.includes(x)) : keys.filter((x) => x !== k))} />
                  } />
                ))}
              </FormGroup>
              {fieldError('allowedLeafKeyTypes') && <Typography variant="caption" color="error">{fieldError('allowedLeafKeyTypes')}</Typography>}
            </FormControl>
            <TextField label="Maximum leaf validity (days)" type="number" value={days} onChange={(e) => setDays(e.target.value)}
              error={!!fieldError('maxLeafValidityDays')} helperText={fieldError('maxLeafValidityDays') ?? '1 to 825'} />
            <TextField label="CRL lifetime (hours)" type="number" value={hours} onChange={(e) => setHours(e.target.value)}
              error={!!fieldError('crlLifetimeSeconds')} helperText={fieldError('crlLifetimeSeconds') ?? '1 to 720 hours; each CRL is valid this long'} />
            <FormGroup>
              {FLAGS.map(([k, label]) => (
                <FormControlLabel key={k} label={label} control={<Switch checked={flags[k]} onChange={(e) => setFlags({ ...flags, [k]: e.target.checked })} />} />
              ))}
            </FormGroup>
            <Typography variant="body2">
              Certificates already issued keep the terms they were issued under; the next issuance and CRL follow the new policy.
            </Typography>
            {error !== null && <Alert severity="error" role="alert">{errorText(error)}</Alert>}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={busy}>Cancel</Button>
          <Button variant="contained" onClick={() => void save()} disabled={busy || Object.keys(change).length === 0}>
            {Object.keys(change).length === 0 ? 'No change' : `Save ${Object.keys(change).length} change${Object.keys(change).length === 1 ? '' : 's'}`}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
