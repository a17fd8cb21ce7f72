import type { OrganizationContact, OrganizationIdentifierType, OrganizationProfile, OrganizationView } from '@anchorage/contracts';
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/Delete';
import { Alert, Box, Button, Card, CardContent, IconButton, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useRef, useState } from 'react';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import type { ConsoleDataProvider } from '../dataProvider';
import { detailOf, fieldErrorsOf, type FieldError } from '../errors';

const IDENTIFIER_TYPES: { id: OrganizationIdentifierType; name: string }[] = [
  { id: 'NPI', name: 'NPI (US National Provider Identifier)' },
  { id: 'OID', name: 'OID (e.g. an HL7 root)' },
  { id: 'LEI', name: 'LEI (Legal Entity Identifier)' },
  { id: 'other', name: 'Other (say which)' },
];

interface Identifier { type: OrganizationIdentifierType; value: string; label: string }
type Contact = Required<OrganizationContact>;

/** What the form holds: the profile with multi-line fields as text, one entry per line. */
export interface ProfileDraft {
  legalName: string;
  identifiers: Identifier[];
  addressLines: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  technicalContact: Contact;
  securityContact: Contact;
  requestedSanUris: string;
}

const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter(Boolean);
const blankContact = (c?: Partial<OrganizationContact>): Contact => ({ name: c?.name ?? '', email: c?.email ?? '', phone: c?.phone ?? '' });
const contactOut = (c: Contact): OrganizationContact => ({ name: c.name.trim(), email: c.email.trim(), ...(c.phone.trim() ? { phone: c.phone.trim() } : {}) });

/** The form's starting point: what the organization submitted before (after a rejection), else its name. */
export function draftOf(o: OrganizationView): ProfileDraft {
  const p = o.profile;
  return {
    legalName: p.legalName ?? o.name,
    identifiers: p.identifiers?.length ? p.identifiers.map((i) => ({ type: i.type, value: i.value, label: i.label ?? '' })) : [{ type: 'NPI', value: '', label: '' }],
    addressLines: (p.address?.lines ?? []).join('\n'),
    city: p.address?.city ?? '',
    region: p.address?.region ?? '',
    postalCode: p.address?.postalCode ?? '',
    country: p.address?.country ?? '',
    technicalContact: blankContact(p.technicalContact),
    securityContact: blankContact(p.securityContact),
    requestedSanUris: (p.requestedSanUris ?? o.sanUris).join('\n'),
  };
}

/** The body of POST /organizations/{id}/submit; the API validates every field (and says which are wrong). */
export function toProfile(d: ProfileDraft): OrganizationProfile {
  return {
    legalName: d.legalName.trim(),
    identifiers: d.identifiers.map((i) => ({ type: i.type, value: i.value.trim(), ...(i.label.trim() ? { label: i.label.trim() } : {}) })),
    address: {
      lines: lines(d.addressLines), city: d.city.trim(), country: d.country.trim().toUpperCase(),
      ...(d.region.trim() ? { region: d.region.trim() } : {}), ...(d.postalCode.trim() ? { postalCode: d.postalCode.trim() } : {}),
    },
    technicalContact: contactOut(d.technicalContact),
    securityContact: contactOut(d.securityContact),
    requestedSanUris: lines(d.requestedSanUris),
  };
}

/** Field errors of the problem, placed: one message per form field, and what fits no field. */
export function placeErrors(errors: FieldError[], sent: OrganizationProfile): { byField: Record<string, string>; unplaced: string[] } {
  const byField: Record<string, string[]> = {};
  const unplaced: string[] = [];
  const add = (key: string, msg: string) => (byField[key] ??= []).push(msg);
  for (const e of errors) {
    let m: RegExpExecArray | null;
    if ((m = /^address\.lines\[(\d+)\]$/.exec(e.field))) add('address.lines', `line ${Number(m[1]) + 1} ${e.message}`);
    else if ((m = /^requestedSanUris\[(\d+)\]$/.exec(e.field))) {
      const uri = sent.requestedSanUris[Number(m[1])];
      add('requestedSanUris', uri && !e.message.includes(uri) ? `${uri}: ${e.message}` : e.message);
    } else if (/^(legalName|identifiers(\[\d+\]\.(type|value|label))?|address\.(lines|city|region|postalCode|country)|(technical|security)Contact\.(name|email|phone)|requestedSanUris)$/.test(e.field)) {
      add(e.field, e.message);
    } else unplaced.push(`${e.field}: ${e.message}`);
  }
  return { byField: Object.fromEntries(Object.entries(byField).map(([k, v]) => [k, v.join('; ')])), unplaced };
}

/**
 * The member's organization profile (draft or rejected): legal name, identifiers, address, contacts
 * and the SAN URIs it asks for. Submitting sends it for review; the API checks every field at once and
 * each problem shows under its field.
 */
export function ProfileForm({ organization }: { organization: OrganizationView }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [d, setD] = useState<ProfileDraft>(() => draftOf(organization));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<{ text: string; unplaced: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const sent = useRef<OrganizationProfile | null>(null);

  const set = <K extends keyof ProfileDraft>(key: K, value: ProfileDraft[K]) => setD((prev) => ({ ...prev, [key]: value }));
  const setIdentifier = (i: number, patch: Partial<Identifier>) => set('identifiers', d.identifiers.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const setContact = (key: 'technicalContact' | 'securityContact', patch: Partial<Contact>) => set(key, { ...d[key], ...patch });
  const err = (field: string) => errors[field];
  const help = (field: string, hint = ' ') => err(field) ?? hint;

  const submit = async () => {
    setBusy(true);
    setSummary(null);
    setErrors({});
    const profile = toProfile(d);
    sent.current = profile;
    try {
      await dp.submitProfile(organization.id, profile);
      notify('Profile submitted for review: an operator of the community checks it next', { type: 'success' });
      refresh();
    } catch (e) {
      const placed = placeErrors(fieldErrorsOf(e), profile);
      setErrors(placed.byField);
      const count = Object.keys(placed.byField).length;
      setSummary({
        text: count ? `The profile was not submitted: ${count === 1 ? 'one field needs' : `${count} fields need`} attention (marked below).` : `The profile was not submitted: ${detailOf(e)}`,
        unplaced: placed.unplaced,
      });
    } finally {
      setBusy(false);
    }
  };

  const contactFields = (key: 'technicalContact' | 'securityContact', title: string) => (
    <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
      <TextField label={`${title} name`} value={d[key].name} onChange={(e) => setContact(key, { name: e.target.value })} error={!!err(`${key}.name`)} helperText={help(`${key}.name`)} fullWidth />
      <TextField label={`${title} e-mail`} value={d[key].email} onChange={(e) => setContact(key, { email: e.target.value })} error={!!err(`${key}.email`)} helperText={help(`${key}.email`)} fullWidth type="email" />
      <TextField label={`${title} phone`} value={d[key].phone} onChange={(e) => setContact(key, { phone: e.target.value })} error={!!err(`${key}.phone`)} helperText={help(`${key}.phone`, 'Optional')} fullWidth />
    </Stack>
  );

  return (
    <Card variant="outlined">
      <CardContent>
        <Box component="form" noValidate aria-label="Organization profile" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <Stack spacing={2}>
            <Typography variant="h6">Organization profile</Typography>
            {summary && (
              <Alert severity="error" role="alert">
                {summary.text}
                {summary.unplaced.length > 0 && <ul style={{ margin: 0 }}>{summary.unplaced.map((u) => <li key={u}>{u}</li>)}</ul>}
              </Alert>
            )}
            <TextField label="Legal name" value={d.legalName} onChange={(e) => set('legalName', e.target.value)} error={!!err('legalName')}
              helperText={help('legalName', 'As registered; the organization takes this name once approved')} fullWidth />

            <Typography variant="subtitle1">Identifiers</Typography>
            {err('identifiers') && <Typography color="error" variant="body2" role="alert">{err('identifiers')}</Typography>}
            {d.identifiers.map((id, i) => (
              <Stack key={i} direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
                <TextField select label={`Identifier ${i + 1} type`} value={id.type} onChange={(e) => setIdentifier(i, { type: e.target.value as OrganizationIdentifierType })}
                  error={!!err(`identifiers[${i}].type`)} helperText={help(`identifiers[${i}].type`)} sx={{ minWidth: 260 }}>
                  {IDENTIFIER_TYPES.map((t) => <MenuItem key={t.id} value={t.id}>{t.name}</MenuItem>)}
                </TextField>
                <TextField label={`Identifier ${i + 1} value`} value={id.value} onChange={(e) => setIdentifier(i, { value: e.target.value })}
                  error={!!err(`identifiers[${i}].value`)} helperText={help(`identifiers[${i}].value`)} fullWidth />
                <TextField label={`Identifier ${i + 1} label`} value={id.label} onChange={(e) => setIdentifier(i, { label: e.target.value })}
                  error={!!err(`identifiers[${i}].label`)} helperText={help(`identifiers[${i}].label`, id.type === 'other' ? 'Required for other' : 'Optional')} fullWidth />
                <IconButton aria-label={`Remove identifier ${i + 1}`} onClick={() => set('identifiers', d.identifiers.filter((_, j) => j !== i))} disabled={d.identifiers.length === 1}>
                  <DeleteIcon />
                </IconButton>
              </Stack>
            ))}
            <Box>
              <Button startIcon={<AddIcon />} onClick={() => set('identifiers', [...d.identifiers, { type: 'OID', value: '', label: '' }])} disabled={d.identifiers.length >= 20}>
                Add identifier
              </Button>
            </Box>

            <Typography variant="subtitle1">Address</Typography>
            <TextField label="Address lines" value={d.addressLines} onChange={(e) => set('addressLines', e.target.value)} multiline minRows={2}
              error={!!err('address.lines')} helperText={help('address.lines', '1 to 4 lines, one per line')} fullWidth />
            <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
              <TextField label="City" value={d.city} onChange={(e) => set('city', e.target.value)} error={!!err('address.city')} helperText={help('address.city')} fullWidth />
              <TextField label="Region" value={d.region} onChange={(e) => set('region', e.target.value)} error={!!err('address.region')} helperText={help('address.region', 'Optional (state, province)')} fullWidth />
              <TextField label="Postal code" value={d.postalCode} onChange={(e) => set('postalCode', e.target.value)} error={!!err('address.postalCode')} helperText={help('address.postalCode', 'Optional')} fullWidth />
              <TextField label="Country" value={d.country} onChange={(e) => set('country', e.target.value)} error={!!err('address.country')}
                helperText={help('address.country', 'ISO 3166 two-letter code, e.g. US')} sx={{ minWidth: 200 }} />
            </Stack>

            <Typography variant="subtitle1">Contacts</Typography>
            {contactFields('technicalContact', 'Technical contact')}
            {contactFields('securityContact', 'Security contact')}

            <Typography variant="subtitle1">SAN URIs</Typography>
            <TextField label="Requested SAN URIs" value={d.requestedSanUris} onChange={(e) => set('requestedSanUris', e.target.value)} multiline minRows={2}
              error={!!err('requestedSanUris')} fullWidth
              helperText={help('requestedSanUris', 'One per line: your FHIR server base URLs (https) and client URIs. They are bound to your organization when approved.')} />

            <Box>
              <Button type="submit" variant="contained" disabled={busy}>Submit for review</Button>
            </Box>
          </Stack>
        </Box>
      </CardContent>
    </Card>
  );
}
