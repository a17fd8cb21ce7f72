import {
  LEAF_PROFILE_RULES, type CertificateRequestView, type CertificateView, type CommunityView, type KeyType, type LeafProfile, type OrganizationView,
} from '@anchorage/contracts';
import {
  Alert, Box, Button, Card, CardContent, Checkbox, FormControl, FormControlLabel, FormGroup, FormHelperText, FormLabel, MenuItem, Radio, RadioGroup, Stack,
  TextField, Typography,
} from '@mui/material';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Title, useDataProvider, useGetList, useGetOne, useNotify, useRedirect } from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import type { ConsoleDataProvider } from '../dataProvider';
import { errorText } from '../errors';
import { isMemberAdmin, useConsolePermissions } from '../permissions';
import { toBase64 } from '../pki/bytes';
import { buildCsr } from '../pki/csr';
import { webCryptoUnavailable } from '../pki/engine';
import { generatableKeyTypes, generateKeyPair, keyTypeLabel } from '../pki/keys';
import { KEY_MIN_PASSPHRASE, passphraseProblem, rememberKey } from '../pki/keyStore';
import { keyOwner } from '../session';

const PROFILES: { id: LeafProfile; name: string; role: string }[] = [
  { id: 'udap-server', name: 'UDAP server', role: 'a FHIR server or authorization server' },
  { id: 'udap-client', name: 'UDAP client', role: 'a B2B client application' },
  { id: 'udap-idp', name: 'UDAP identity provider', role: 'an OpenID provider for tiered OAuth' },
  { id: 'udap-certifier', name: 'UDAP certifier', role: 'signs certifications of member apps' },
];

/** What a profile asks of the key and the SAN URIs, in the words of the wizard (from the table the API enforces). */
function profileHint(profile: LeafProfile): string {
  const rules = LEAF_PROFILE_RULES[profile];
  const key = rules.keyAlgorithms.length > 1 ? `${rules.keyAlgorithms.join(' or ')} key, as the community allows` : `${rules.keyAlgorithms[0]} key`;
  return rules.san.requireHttps ? `${key}, https SAN` : key;
}

/** The body of POST /api/v1/certificate-requests. */
export interface RequestBody {
  organizationId: string;
  profile: LeafProfile;
  sanUris: string[];
  requestId: string;
  csr?: string;
  csrDerBase64?: string;
  keyType?: KeyType;
  renewalOf?: string;
  /** Exchange purposes of the community's catalog: each SAN URI becomes one client URI per purpose (`uri#code`). */
  exchangePurposes?: string[];
}

/** A key and CSR made for one set of choices, reused when the same choices are submitted again (a retry). */
interface Prepared { choices: string; csrPem: string; keyType: KeyType; requestId: string }

function Step({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  return (
    <Box component="section" aria-label={title}>
      <Typography variant="h6" gutterBottom>{n}. {title}</Typography>
      {children}
    </Box>
  );
}

/** A CSR file as the API takes it: PEM text, or DER as base64. */
async function readCsrFile(file: File): Promise<{ csr?: string; csrDerBase64?: string }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  return text.includes('-----BEGIN') ? { csr: text } : { csrDerBase64: toBase64(bytes) };
}

/**
 * "Request a certificate": the organization's SAN URIs and a profile, then the key: generated in this
 * browser (WebCrypto; the CSR is built here with pkijs and the private key is kept in this browser for the
 * user, encrypted under a passphrase they choose, see pki/keyStore.ts) or a CSR the member made elsewhere, pasted or uploaded. "Renew" opens it pre-filled.
 */
export function RequestWizard() {
  const { permissions } = useConsolePermissions();
  const [params] = useSearchParams();
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const redirect = useRedirect();
  const renewalOf = params.get('renewalOf') ?? undefined;
  const renewal = useGetOne<CertificateView>('certificates', { id: renewalOf ?? '' }, { enabled: !!renewalOf });
  const member = isMemberAdmin(permissions);
  const [pickedOrg, setPickedOrg] = useState(params.get('organizationId') ?? '');
  const organizationId = (member ? permissions?.organizationId : renewal.data?.organizationId ?? pickedOrg) ?? '';
  const activeOrgs = useGetList<OrganizationView>('organizations', { filter: { status: 'active' }, pagination: { page: 1, perPage: 100 } }, { enabled: !member && !!permissions });
  const org = useGetOne<OrganizationView>('organizations', { id: organizationId }, { enabled: !!organizationId });
  const community = useGetOne<CommunityView>('communities', { id: org.data?.communityId ?? '' }, { enabled: !!org.data });

  const [profile, setProfile] = useState<LeafProfile>('udap-server');
  const [sans, setSans] = useState<string[]>([]);
  const [source, setSource] = useState<'generate' | 'csr'>(webCryptoUnavailable() ? 'csr' : 'generate');
  const [keyType, setKeyType] = useState<KeyType | ''>('');
  const [csrText, setCsrText] = useState('');
  const [csrFile, setCsrFile] = useState<{ name: string; csr?: string; csrDerBase64?: string } | null>(null);
  const [purposes, setPurposes] = useState<string[]>([]);
  const [passphrase, setPassphrase] = useState('');
  const [passphraseAgain, setPassphraseAgain] = useState('');
  const [step, setStep] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const prepared = useRef<Prepared | null>(null);

  // a renewal asks again for what the certificate has
  useEffect(() => {
    if (!renewal.data) return;
    setProfile(renewal.data.profile);
    setSans(renewal.data.sanUris);
  }, [renewal.data]);
  // otherwise the organization's first bound SAN URI, once per organization (unchecking it is the user's choice)
  const defaultedFor = useRef<string | null>(null);
  useEffect(() => {
    if (renewalOf || !org.data || defaultedFor.current === org.data.id) return;
    defaultedFor.current = org.data.id;
    setSans(org.data.sanUris.slice(0, 1));
  }, [org.data, renewalOf]);

  const allowed = community.data?.policy.allowedLeafKeyTypes ?? [];
  const keyTypes = generatableKeyTypes(profile, allowed);
  const chosenKeyType: KeyType | '' = keyType && keyTypes.includes(keyType) ? keyType : keyTypes[0] ?? '';
  const o = org.data;
  const inactive = o && o.status !== 'active';
  // a renewal may name a SAN no longer bound: it shows (checked), and the API explains the refusal
  const offered = o ? [...new Set([...o.sanUris, ...sans])] : [];

  // a client may ask for one URI per exchange purpose of the community's catalog (a renewal keeps its URIs as they are)
  const catalog = profile === 'udap-client' && !renewalOf ? (community.data?.exchangePurposes ?? []).filter((x) => x.active) : [];
  const chosenPurposes = purposes.filter((code) => catalog.some((x) => x.code === code));
  const certified = chosenPurposes.length > 0 ? sans.flatMap((u) => chosenPurposes.map((code) => `${u}#${code}`)) : sans;
  const togglePurpose = (code: string) => setPurposes((s) => (s.includes(code) ? s.filter((x) => x !== code) : [...s, code]));

  const first = member ? 1 : 2; // operators choose the organization first
  const toggle = (uri: string) => setSans((s) => (s.includes(uri) ? s.filter((x) => x !== uri) : [...s, uri]));

  const submit = async () => {
    setError(null);
    if (!o) return setError('Choose the organization first.');
    if (sans.length === 0) return setError('Choose at least one SAN URI.');
    if (chosenPurposes.length > 0 && sans.some((u) => u.includes('#'))) return setError('Choose client URIs without a fragment: each exchange purpose becomes the fragment.');
    const base = {
      organizationId: o.id, profile, sanUris: sans, ...(renewalOf ? { renewalOf } : {}), ...(chosenPurposes.length > 0 ? { exchangePurposes: chosenPurposes } : {}),
    };
    let body: RequestBody;
    try {
      if (source === 'generate') {
        if (!chosenKeyType) return setError(`The community allows no key type the browser can generate for ${profile}; use your own CSR.`);
        const owner = keyOwner();
        if (!owner) return setError('Sign in again: the key is kept for the signed-in user.');
        const weak = passphraseProblem(passphrase, passphraseAgain);
        if (weak) return setError(weak);
        // a changed passphrase makes a new key: the stored key must open with the passphrase the member last typed
        const choices = JSON.stringify([o.id, profile, certified, chosenKeyType, passphrase]);
        let p = prepared.current;
        if (p?.choices !== choices) {
          setStep(`Generating a ${keyTypeLabel(chosenKeyType)} key pair in this browser…`);
          const keys = await generateKeyPair(chosenKeyType);
          // kept (encrypted, for this user) before the request goes out: if the answer is lost, a retry finds the same key
          setStep('Encrypting the private key under your passphrase and keeping it in this browser…');
          await rememberKey(keys, chosenKeyType, owner, passphrase);
          setStep('Building and signing the CSR…');
          const csr = await buildCsr({ keys, keyType: chosenKeyType, sanUris: certified, commonName: o.name });
          p = { choices, csrPem: csr.pem, keyType: chosenKeyType, requestId: window.crypto.randomUUID() };
          prepared.current = p;
        }
        body = { ...base, csr: p.csrPem, keyType: p.keyType, requestId: p.requestId };
      } else {
        const own: { csr?: string; csrDerBase64?: string } | null = csrFile ?? (csrText.trim() ? { csr: csrText.trim() } : null);
        if (!own) return setError('Paste the CSR (PEM) or choose its file.');
        body = { ...base, ...(own.csr ? { csr: own.csr } : { csrDerBase64: own.csrDerBase64 }), requestId: window.crypto.randomUUID() };
      }
      setStep('Submitting the request…');
      const { data } = await dp.create<CertificateRequestView>('certificate-requests', { data: body });
      notify(`Certificate request submitted for ${data.sanUris.join(', ')}: an operator approves it next`, { type: 'success' });
      redirect('show', 'certificate-requests', data.id);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setStep(null);
    }
  };

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={renewalOf ? 'Renew a certificate' : 'Request a certificate'} />
      <CardContent>
        <Box component="form" noValidate aria-label="Certificate request" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <Stack spacing={3} sx={{ maxWidth: 900 }}>
            {renewal.data && <Alert severity="info">Renewing certificate {renewal.data.serial}: same SAN URIs and profile (fixed), with a new key.</Alert>}
            {!member && (
              <Step n={1} title="Organization">
                <TextField select label="Organization" value={organizationId} onChange={(e) => setPickedOrg(e.target.value)} disabled={!!renewal.data} sx={{ minWidth: 360 }}>
                  {(activeOrgs.data ?? []).map((x) => <MenuItem key={x.id} value={x.id}>{x.name}</MenuItem>)}
                </TextField>
              </Step>
            )}
            {inactive && <Alert severity="warning" role="alert">{o.name} is {o.status}: certificates are requested for active organizations only.</Alert>}
            {org.error != null && <Alert severity="error" role="alert">{errorText(org.error)}</Alert>}

            <Step n={first} title="Profile">
              <FormControl>
                <RadioGroup aria-label="Profile" value={profile} onChange={(e) => setProfile(e.target.value as LeafProfile)}>
                  {PROFILES.map((p) => (
                    <FormControlLabel key={p.id} value={p.id} control={<Radio />} disabled={!!renewalOf} label={<span><strong>{p.name}</strong> ({p.id}): {p.role}; {profileHint(p.id)}</span>} />
                  ))}
                </RadioGroup>
              </FormControl>
            </Step>

            <Step n={first + 1} title="SAN URIs">
              <FormControl component="fieldset">
                <FormLabel component="legend">SAN URIs to certify (bound to {o?.name ?? 'the organization'})</FormLabel>
                {renewalOf ? (
                  // a renewal certifies exactly the SAN URIs of the certificate it renews: shown, not editable
                  <Box component="ul" aria-label="SAN URIs of the renewal" sx={{ m: 0, pl: 3 }}>
                    {sans.map((u) => <li key={u}><Typography variant="body2" sx={{ fontFamily: 'monospace' }}>{u}</Typography></li>)}
                  </Box>
                ) : (
                  <FormGroup>
                    {offered.map((u) => (
                      <FormControlLabel key={u} control={<Checkbox checked={sans.includes(u)} onChange={() => toggle(u)} />} label={u} />
                    ))}
                  </FormGroup>
                )}
                {renewalOf && <FormHelperText>A renewal keeps the certificate's SAN URIs and profile; request a new certificate to certify others.</FormHelperText>}
                {o && o.sanUris.length === 0 && <FormHelperText>No SAN URIs are bound yet: they are bound when an operator approves the profile.</FormHelperText>}
                {LEAF_PROFILE_RULES[profile].san.requireHttps && <FormHelperText>This profile is certified for its https base URL.</FormHelperText>}
              </FormControl>
              {catalog.length > 0 && (
                <FormControl component="fieldset" sx={{ mt: 2, display: 'block' }}>
                  <FormLabel component="legend">Exchange purposes (one client URI per purpose)</FormLabel>
                  <FormGroup row>
                    {catalog.map((x) => (
                      <FormControlLabel key={x.code} control={<Checkbox checked={purposes.includes(x.code)} onChange={() => togglePurpose(x.code)} />}
                        label={<span><strong>{x.code}</strong> {x.display}</span>} />
                    ))}
                  </FormGroup>
                  {chosenPurposes.length > 0 && (
                    <FormHelperText component="div" aria-label="Client URIs to certify">
                      This request certifies: {certified.map((u) => <div key={u} style={{ fontFamily: 'monospace' }}>{u}</div>)}
                    </FormHelperText>
                  )}
                </FormControl>
              )}
            </Step>

            <Step n={first + 2} title="Key">
              <RadioGroup aria-label="Key source" value={source} onChange={(e) => setSource(e.target.value as 'generate' | 'csr')}>
                <FormControlLabel value="generate" control={<Radio />} label="Generate a key pair in this browser" disabled={!!webCryptoUnavailable()} />
                <FormControlLabel value="csr" control={<Radio />} label="Paste or upload a CSR" />
              </RadioGroup>
              {source === 'generate' ? (
                <Stack spacing={1} sx={{ mt: 1 }}>
                  <TextField select label="Key type" value={chosenKeyType} onChange={(e) => setKeyType(e.target.value as KeyType)} sx={{ maxWidth: 420 }}
                    helperText={`Allowed by ${community.data?.name ?? 'the community'}: ${allowed.join(', ') || '…'}`}>
                    {keyTypes.map((k) => <MenuItem key={k} value={k}>{keyTypeLabel(k)}</MenuItem>)}
                  </TextField>
                  <TextField label="Key passphrase" type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} sx={{ maxWidth: 420 }}
                    helperText={`At least ${KEY_MIN_PASSPHRASE} characters; you need it to save the key once the certificate is issued`}
                    slotProps={{ htmlInput: { autoComplete: 'new-password' } }} />
                  <TextField label="Confirm key passphrase" type="password" value={passphraseAgain} onChange={(e) => setPassphraseAgain(e.target.value)} sx={{ maxWidth: 420 }}
                    slotProps={{ htmlInput: { autoComplete: 'new-password' } }} />
                  <Alert severity="info" role="note" aria-label="Where the key is kept">
                    The private key is made by your browser and never sent anywhere. It is kept in this browser's storage for {keyOwner()?.email ?? 'you'},
                    encrypted under this passphrase (AES-256-GCM, PBKDF2-HMAC-SHA256); it is not on the server. It stays there across tabs and sign-ins:
                    once the certificate is issued, open the request or the certificate in this browser, enter the passphrase and save a PKCS #12 file.
                    Without this browser and the passphrase the key cannot be recovered.
                  </Alert>
                  {webCryptoUnavailable() && <Alert severity="warning">{webCryptoUnavailable()}</Alert>}
                </Stack>
              ) : (
                <Stack spacing={1} sx={{ mt: 1 }}>
                  <TextField label="CSR (PEM)" value={csrText} onChange={(e) => { setCsrText(e.target.value); setCsrFile(null); }} multiline minRows={6}
                    placeholder="-----BEGIN CERTIFICATE REQUEST-----" slotProps={{ htmlInput: { style: { fontFamily: 'monospace', fontSize: 12 } } }} />
                  <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
                    <Button variant="outlined" component="label">
                      Upload CSR file
                      <input hidden type="file" accept=".csr,.pem,.req,.der,.p10" aria-label="CSR file"
                        onChange={(e) => {
                          const f = e.target.files?.[0];
                          if (f) void readCsrFile(f).then((c) => { setCsrFile({ name: f.name, ...c }); setCsrText(c.csr ?? ''); });
                        }} />
                    </Button>
                    {csrFile && <Typography variant="body2">{csrFile.name}{csrFile.csrDerBase64 ? ' (DER)' : ''}</Typography>}
                  </Stack>
                </Stack>
              )}
            </Step>

            {step && <Alert severity="info" role="status">{step}</Alert>}
            {error && <Alert severity="error" role="alert">{error}</Alert>}
            <Box>
              <Button type="submit" variant="contained" disabled={!!step || !o || !!inactive}>Submit request</Button>
            </Box>
          </Stack>
        </Box>
      </CardContent>
    </Card>
  );
}
