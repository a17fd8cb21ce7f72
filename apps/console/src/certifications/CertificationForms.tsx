// The Certifications page's forms (operators; docs/certifications.md): define a template (the built-in
// TEFCA Basic App one, or the community's own terms), issue a certification signed by a platform
// certifier, and record a certification JWT an external certifier signed. Each refusal is said under the
// field the API names, or above the buttons; the dialog stays open with what was typed.
import {
  BUILT_IN_CERTIFICATION_TEMPLATES, CERTIFICATION_GRANT_TYPES, type CertificationTemplateView, type CertificationView, type CommunityView,
  type DefineCertificationTemplateBody, type IssueCertificationBody, type OrganizationView,
} from '@anchorage/contracts';
import {
  Alert, Button, Checkbox, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, FormControl, FormControlLabel, FormGroup, FormHelperText, FormLabel,
  MenuItem, Radio, RadioGroup, Stack, TextField,
} from '@mui/material';
import { useEffect, useState, type ReactNode } from 'react';
import { useDataProvider, useGetList, useNotify, useRefresh } from 'react-admin';
import type { ConsoleDataProvider } from '../dataProvider';
import { detailOf, fieldErrorsOf } from '../errors';
import { can, useConsolePermissions } from '../permissions';

type Errors = Record<string, string>;

/** Runs a submission: field errors by field (the first of each), the rest of the problem above the buttons. */
function useSubmit<T>(fields: readonly string[], onDone: (out: T) => void) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const submit = async (action: () => Promise<T>) => {
    setBusy(true);
    setErrors({});
    setError(null);
    try {
      onDone(await action());
    } catch (err) {
      const placed: Errors = {};
      const rest: string[] = [];
      for (const f of fieldErrorsOf(err)) {
        const field = fields.find((x) => f.field === x || f.field.startsWith(`${x}.`) || f.field.startsWith(`${x}[`));
        if (field) placed[field] ??= f.message;
        else rest.push(`${f.field}: ${f.message}`);
      }
      setErrors(placed);
      if (Object.keys(placed).length === 0 || rest.length) setError(rest.length && Object.keys(placed).length ? rest.join('; ') : detailOf(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, errors, error, submit };
}

/** The community picker every form starts with (the only one preselected). */
function useCommunity() {
  const communities = useGetList<CommunityView>('communities', { pagination: { page: 1, perPage: 100 }, sort: { field: 'name', order: 'ASC' } });
  const [chosen, setChosen] = useState('');
  const communityId = chosen || (communities.data?.length === 1 ? communities.data[0].id : '');
  const picker = (error?: string) => (
    <TextField select label="Community" value={communityId} onChange={(e) => setChosen(e.target.value)} error={!!error} helperText={error}>
      {(communities.data ?? []).map((c) => <MenuItem key={c.id} value={c.id}>{c.name}</MenuItem>)}
    </TextField>
  );
  return { communityId, picker };
}

/** Loads one of the community's lists the data provider reads outside react-admin's resources. */
function useCommunityList<T>(communityId: string, load: (id: string) => Promise<T[]>): T[] {
  const [items, setItems] = useState<T[]>([]);
  useEffect(() => {
    let live = true;
    setItems([]);
    if (communityId) void load(communityId).then((x) => live && setItems(x), () => live && setItems([]));
    return () => {
      live = false;
    };
    // reloaded per community only (`load` is a new function at each render)
  }, [communityId]);
  return items;
}

function FormDialog({ title, intro, busy, error, canSubmit, submitLabel, onClose, onSubmit, children }: {
  title: string;
  intro: ReactNode;
  busy: boolean;
  error: string | null;
  canSubmit: boolean;
  submitLabel: string;
  onClose: () => void;
  onSubmit: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog open onClose={() => !busy && onClose()} fullWidth maxWidth="sm">
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <DialogContentText variant="body2">{intro}</DialogContentText>
          {children}
          {error && <Alert severity="error" role="alert">{error}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>Cancel</Button>
        <Button variant="contained" onClick={onSubmit} disabled={busy || !canSubmit}>{submitLabel}</Button>
      </DialogActions>
    </Dialog>
  );
}

/** Checkboxes choosing a subset of `options`. */
function Choices({ label, options, value, onChange, error, help }: { label: string; options: readonly string[]; value: string[]; onChange: (v: string[]) => void; error?: string; help?: string }) {
  return (
    <FormControl error={!!error} component="fieldset" variant="standard">
      <FormLabel component="legend">{label}</FormLabel>
      <FormGroup row>
        {options.map((o) => (
          <FormControlLabel key={o} label={o} control={
            <Checkbox checked={value.includes(o)} onChange={(e) => onChange(e.target.checked ? [...value, o] : value.filter((x) => x !== o))} />
          } />
        ))}
      </FormGroup>
      {(error ?? help) && <FormHelperText>{error ?? help}</FormHelperText>}
    </FormControl>
  );
}

const lines = (text: string) => text.split(/[\n,]/).map((x) => x.trim()).filter(Boolean);

const TEMPLATE_FIELDS = ['builtIn', 'name', 'uris', 'description', 'grantTypes', 'responseTypes', 'scopes', 'exchangePurposes', 'communityId'] as const;

/** Defines a certification template: the built-in TEFCA Basic App one, or the community's own terms. */
function TemplateDialog({ onClose }: { onClose: () => void }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const { communityId, picker } = useCommunity();
  const [kind, setKind] = useState<'built-in' | 'own'>('built-in');
  const [name, setName] = useState('');
  const [uris, setUris] = useState('');
  const [description, setDescription] = useState('');
  const [grantTypes, setGrantTypes] = useState<string[]>(['client_credentials']);
  const [code, setCode] = useState(false);
  const [scopes, setScopes] = useState('');
  const [purposes, setPurposes] = useState('');
  const { busy, errors, error, submit } = useSubmit<CertificationTemplateView>(TEMPLATE_FIELDS, (t) => {
    notify(`Template "${t.name}" defined`, { type: 'success' });
    onClose();
  });
  const builtIn = BUILT_IN_CERTIFICATION_TEMPLATES['tefca-basic-app'];
  const body = (): DefineCertificationTemplateBody => (kind === 'built-in' ? { builtIn: 'tefca-basic-app' } : {
    name: name.trim(), uris: lines(uris), grantTypes, responseTypes: code ? ['code'] : [], scopes: lines(scopes.replace(/\s+/g, '\n')), exchangePurposes: lines(purposes),
    ...(description.trim() ? { description: description.trim() } : {}),
  });
  return (
    <FormDialog title="Add a certification template" submitLabel="Add template" busy={busy} error={error} onClose={onClose}
      canSubmit={!!communityId && (kind === 'built-in' || (!!name.trim() && lines(uris).length > 0 && grantTypes.length > 0))}
      onSubmit={() => void submit(() => dp.defineCertificationTemplate(communityId, body()))}
      intro="A template fixes a certification's name and criteria URIs and bounds what it may grant; certifications of the community follow one.">
      {picker(errors.communityId)}
      <RadioGroup value={kind} onChange={(e) => setKind(e.target.value as typeof kind)} aria-label="Template">
        <FormControlLabel value="built-in" control={<Radio />} label={`Built-in: ${builtIn.name}`} />
        <FormControlLabel value="own" control={<Radio />} label="The community's own terms" />
      </RadioGroup>
      {kind === 'built-in' ? (
        <Alert severity="info">
          {builtIn.description} Grant types {builtIn.grantTypes.join(', ')}; exchange purposes {builtIn.exchangePurposes!.join(', ')}; criteria at {builtIn.uris.join(', ')}.
          {errors.builtIn && <FormHelperText error>{errors.builtIn}</FormHelperText>}
        </Alert>
      ) : (
        <>
          <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={!!errors.name}
            helperText={errors.name ?? 'certification_name, unique in the community'} slotProps={{ htmlInput: { maxLength: 200 } }} />
          <TextField label="Criteria URIs" value={uris} onChange={(e) => setUris(e.target.value)} multiline minRows={2} error={!!errors.uris}
            helperText={errors.uris ?? 'certification_uris: where the criteria are published, one per line'} />
          <TextField label="Description" value={description} onChange={(e) => setDescription(e.target.value)} multiline error={!!errors.description}
            helperText={errors.description ?? 'certification_description (optional)'} />
          <Choices label="Grant types" options={CERTIFICATION_GRANT_TYPES} value={grantTypes} onChange={setGrantTypes} error={errors.grantTypes} />
          <FormControl error={!!errors.responseTypes}>
            <FormControlLabel label="response_types code (needed with authorization_code)" control={<Checkbox checked={code} onChange={(e) => setCode(e.target.checked)} />} />
            {errors.responseTypes && <FormHelperText>{errors.responseTypes}</FormHelperText>}
          </FormControl>
          <TextField label="Scopes" value={scopes} onChange={(e) => setScopes(e.target.value)} error={!!errors.scopes}
            helperText={errors.scopes ?? 'Space-separated; empty: scope not restricted'} />
          <TextField label="Exchange purposes" value={purposes} onChange={(e) => setPurposes(e.target.value)} error={!!errors.exchangePurposes}
            helperText={errors.exchangePurposes ?? 'Codes, comma-separated (e.g. T-TREAT); empty: none'} />
        </>
      )}
    </FormDialog>
  );
}

const ISSUE_FIELDS = ['certifierId', 'templateId', 'organizationId', 'sub', 'validityDays', 'grantTypes', 'exchangePurposes', 'communityId'] as const;

/** Issues a certification of a member app, signed by one of the community's platform certifiers. */
function IssueDialog({ onClose }: { onClose: () => void }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const { communityId, picker } = useCommunity();
  const certifiers = useCommunityList(communityId, (id) => dp.getPlatformCertifiers(id));
  const templates = useCommunityList(communityId, (id) => dp.getCertificationTemplates(id));
  const organizations = useGetList<OrganizationView>('organizations', { pagination: { page: 1, perPage: 100 }, sort: { field: 'name', order: 'ASC' }, filter: { communityId } }, { enabled: !!communityId });
  const [certifierId, setCertifierId] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [organizationId, setOrganizationId] = useState('');
  const [sub, setSub] = useState('');
  const [validityDays, setValidityDays] = useState('365');
  const [grantTypes, setGrantTypes] = useState<string[]>([]);
  const [purposes, setPurposes] = useState<string[]>([]);
  const template = templates.find((t) => t.id === templateId);
  const org = organizations.data?.find((o) => o.id === organizationId);
  const { busy, errors, error, submit } = useSubmit<CertificationView>(ISSUE_FIELDS, (c) => {
    notify(`Certification of ${c.sub} issued, valid until ${new Date(c.exp).toLocaleDateString()}`, { type: 'success' });
    refresh();
    onClose();
  });
  const body = (): IssueCertificationBody => ({
    certifierId, templateId, organizationId, sub: sub.trim(), grantTypes, ...(purposes.length ? { exchangePurposes: purposes } : {}),
    ...(validityDays.trim() ? { validityDays: Number(validityDays) } : {}),
  });
  const missing = !certifierId || !templateId || !organizationId || !sub.trim() || grantTypes.length === 0;
  return (
    <FormDialog title="Issue a certification" submitLabel="Issue certification" busy={busy} error={error} onClose={onClose} canSubmit={!missing}
      onSubmit={() => void submit(() => dp.issueCertification(body()))}
      intro="The platform certifier signs the certification in the signer after every check passed; the app presents it when it registers at a UDAP server.">
      {picker(errors.communityId)}
      <TextField select label="Certifier" value={certifierId} onChange={(e) => setCertifierId(e.target.value)} error={!!errors.certifierId}
        helperText={errors.certifierId ?? (communityId && certifiers.length === 0 ? 'The community has no platform certifier yet (create one with the CLI or the API)' : "The platform certifier whose key signs (its SAN URI is the certification's iss)")}>
        {certifiers.map((c) => <MenuItem key={c.id} value={c.id}>{c.sanUri}</MenuItem>)}
      </TextField>
      <TextField select label="Template" value={templateId} onChange={(e) => {
        const t = templates.find((x) => x.id === e.target.value);
        setTemplateId(e.target.value);
        setGrantTypes(t?.grantTypes.includes('client_credentials') ? ['client_credentials'] : (t?.grantTypes.slice(0, 1) ?? []));
        setPurposes([]);
      }} error={!!errors.templateId} helperText={errors.templateId}>
        {templates.map((t) => <MenuItem key={t.id} value={t.id}>{t.name}</MenuItem>)}
      </TextField>
      <TextField select label="Certified organization" value={organizationId} onChange={(e) => { setOrganizationId(e.target.value); setSub(''); }}
        error={!!errors.organizationId} helperText={errors.organizationId}>
        {(organizations.data ?? []).map((o) => <MenuItem key={o.id} value={o.id}>{o.name}</MenuItem>)}
      </TextField>
      <TextField select={!!org?.sanUris.length} label="App client URI" value={sub} onChange={(e) => setSub(e.target.value)} error={!!errors.sub}
        helperText={errors.sub ?? "The certification's sub: a SAN URI of one of the organization's live udap-client certificates"}>
        {(org?.sanUris ?? []).map((u) => <MenuItem key={u} value={u}>{u}</MenuItem>)}
      </TextField>
      {template && <Choices label="Grant types" options={template.grantTypes} value={grantTypes} onChange={setGrantTypes} error={errors.grantTypes} />}
      {template && template.exchangePurposes.length > 0 && (
        <Choices label="Exchange purposes" options={template.exchangePurposes} value={purposes} onChange={setPurposes} error={errors.exchangePurposes} help="Optional" />
      )}
      <TextField label="Validity (days)" value={validityDays} onChange={(e) => setValidityDays(e.target.value.replace(/\D/g, ''))} error={!!errors.validityDays}
        helperText={errors.validityDays ?? "At most 3 years, and not past the certifier certificate's end"} />
    </FormDialog>
  );
}

const RECORD_FIELDS = ['templateId', 'organizationId', 'jwt', 'communityId'] as const;

/** Records a certification JWT an external certifier signed with its own udap-certifier certificate's key. */
function RecordDialog({ onClose }: { onClose: () => void }) {
  const dp = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const { communityId, picker } = useCommunity();
  const templates = useCommunityList(communityId, (id) => dp.getCertificationTemplates(id));
  const organizations = useGetList<OrganizationView>('organizations', { pagination: { page: 1, perPage: 100 }, sort: { field: 'name', order: 'ASC' }, filter: { communityId } }, { enabled: !!communityId });
  const [templateId, setTemplateId] = useState('');
  const [organizationId, setOrganizationId] = useState('');
  const [jwt, setJwt] = useState('');
  const { busy, errors, error, submit } = useSubmit<CertificationView>(RECORD_FIELDS, (c) => {
    notify(`Certification of ${c.sub} by ${c.iss} recorded`, { type: 'success' });
    refresh();
    onClose();
  });
  return (
    <FormDialog title="Record a certification" submitLabel="Record certification" busy={busy} error={error} onClose={onClose}
      canSubmit={!!templateId && !!organizationId && !!jwt.trim()}
      onSubmit={() => void submit(() => dp.recordCertification({ templateId, organizationId, jwt: jwt.trim() }))}
      intro="The JWT is checked as a relying party checks it (signature, chain to the community, CRLs, claims), then against the template and the app's certificates.">
      {picker(errors.communityId)}
      <TextField select label="Template" value={templateId} onChange={(e) => setTemplateId(e.target.value)} error={!!errors.templateId} helperText={errors.templateId}>
        {templates.map((t) => <MenuItem key={t.id} value={t.id}>{t.name}</MenuItem>)}
      </TextField>
      <TextField select label="Certified organization" value={organizationId} onChange={(e) => setOrganizationId(e.target.value)}
        error={!!errors.organizationId} helperText={errors.organizationId}>
        {(organizations.data ?? []).map((o) => <MenuItem key={o.id} value={o.id}>{o.name}</MenuItem>)}
      </TextField>
      <TextField label="Certification JWT" value={jwt} onChange={(e) => setJwt(e.target.value)} multiline minRows={4} error={!!errors.jwt}
        helperText={errors.jwt ?? 'The compact JWS the certifier signed (header.payload.signature)'} slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace', fontSize: 13 } } }} />
    </FormDialog>
  );
}

/** The Certifications page's toolbar buttons for operators: add a template, issue, record. */
export function CertificationActions() {
  const { permissions } = useConsolePermissions();
  const [open, setOpen] = useState<'template' | 'issue' | 'record' | null>(null);
  if (!can(permissions, 'certifications', 'issue')) return null;
  const close = () => setOpen(null);
  return (
    <>
      <Button size="small" onClick={() => setOpen('template')}>Add template</Button>
      <Button size="small" onClick={() => setOpen('issue')}>Issue certification</Button>
      <Button size="small" onClick={() => setOpen('record')}>Record certification</Button>
      {open === 'template' && <TemplateDialog onClose={close} />}
      {open === 'issue' && <IssueDialog onClose={close} />}
      {open === 'record' && <RecordDialog onClose={close} />}
    </>
  );
}

