import { readFileSync, writeFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { BUILT_IN_CERTIFICATION_TEMPLATE_NAMES, LEAF_PROFILES } from '@anchorage/contracts';
import type {
  ApiTokenView, CaCertificateInstallation, CaView, CertificateRequestView, CertificateView, CertificationTemplateView, CertificationView, CommunityView, CreatedUserView,
  CrlView, InvitationView, OrganizationView, PlatformCertifierView,
} from '@anchorage/contracts';
import { ApiClient, ApiError, LocalProblem } from './api-client';
import { bootstrap, colonHex, pemFingerprint } from './bootstrap';
import { readCertificatePem, readPasswordFile, SecretFile } from './files';
import { addListAndGet } from './resources';

/** Where the CLI writes, so tests can capture it. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** Operations that need the database directly (run where the database is reachable). */
export interface LocalOps {
  createToken(name: string, expiresInDays?: number): Promise<{ id: string; name: string; token: string; expiresAt: string | null }>;
}

/** Settings from the environment; flags win. */
export interface CliDefaults {
  apiUrl: string;
  apiToken: string | null;
  /** Where `bootstrap` saves the root certificate and config.json. */
  configDir: string;
}

type Print = (human: string, json: unknown) => void;

/** Builds and runs the operator CLI; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIo, defaults: CliDefaults, local: () => Promise<LocalOps>): Promise<number> {
  // known before parsing, so a usage error is a problem document too
  const end = argv.indexOf('--');
  const json = (end < 0 ? argv : argv.slice(0, end)).includes('--json');
  let usageMessage = '';
  const program = new Command('anchorage')
    .description('Operator CLI of the Anchorage trust-community CA')
    .option('--api-url <url>', 'API base URL', defaults.apiUrl)
    .option('--token <token>', 'operator API token (or ANCHORAGE_API_TOKEN)')
    .option('--json', 'print JSON: the API\'s answer, or on failure a problem document (RFC 7807), on stdout')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => (json ? undefined : io.err(s.trimEnd())),
      outputError: (s, write) => {
        usageMessage = s.trim().replace(/^error: /, '');
        write(s);
      },
    });

  const ctx = () => {
    const o = program.opts<{ apiUrl: string; token?: string; json?: boolean }>();
    const api = new ApiClient(o.apiUrl.replace(/\/+$/, ''), o.token ?? defaults.apiToken);
    const print: Print = (human, json) => io.out(o.json ? JSON.stringify(json, null, 2) : human);
    return { api, print };
  };

  const community = program.command('community').description('trust communities');
  community
    .command('create')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--uri <uri>', 'canonical community URI, e.g. udap://example.org/')
    .addOption(new Option('--key <type>', 'CA key type').choices(['RSA-2048', 'RSA-3072', 'RSA-4096', 'EC-P256', 'EC-P384']).default('RSA-4096'))
    .option('--crl-lifetime-days <days>', 'CRL lifetime in days', (v) => Number(v))
    .option('--max-validity-days <days>', 'maximum leaf validity', (v) => Number(v))
    .option('--allow-generated-keys', 'let the platform generate member keys')
    .option('--require-endpoint-control', 'approve udap-server requests only once every SAN URI passed endpoint control')
    .option('--auto-approve-verified', 'approve requests at once when every SAN URI passed endpoint control')
    .option('--require-rsa-chain', 'allow only RSA CA keys, here and for an offline root, so RSA-only relying parties (node-forge) can verify the chains')
    .option('--offline-root', 'keep the root offline: create only the issuing CA and print its CSR for the root to sign')
    .option('--csr-out <file>', 'with --offline-root: write the CSR (PEM) to this file instead of printing it')
    .action(async (o) => {
      const { api, print } = ctx();
      if (o.csrOut && !o.offlineRoot) program.error('error: --csr-out needs --offline-root', { exitCode: 2 });
      const policy: Record<string, unknown> = {};
      if (o.crlLifetimeDays !== undefined) policy.crlLifetimeSeconds = Math.round(o.crlLifetimeDays * 86400);
      if (o.maxValidityDays !== undefined) policy.maxLeafValidityDays = o.maxValidityDays;
      if (o.allowGeneratedKeys) policy.allowGeneratedKeys = true;
      if (o.requireEndpointControl) policy.requireEndpointControl = true;
      if (o.autoApproveVerified) policy.autoApproveVerifiedRequests = true;
      if (o.requireRsaChain) policy.requireRsaChain = true;
      const c = await api.request<CommunityView & { cas: CaView[] }>('POST', '/api/v1/communities', {
        name: o.name, uri: o.uri, caKeyType: o.key, policy, ...(o.offlineRoot ? { offlineRoot: true } : {}),
      });
      // on stderr, so `--json` output stays one parseable object (which carries them as `warnings`)
      for (const w of c.warnings ?? []) io.err(`warning [${w.code}]: ${w.message}`);
      const fingerprint = (a: CaView) => {
        const fp = a.role === 'root' ? pemFingerprint(a.certificatePem) : null;
        return fp ? `\n    SHA-256     ${colonHex(fp)}` : '';
      };
      const lines = [`community ${c.id} (${c.uri})`, ...c.cas.map((a) => `  ${a.role} CA ${a.id} (${a.status})\n    certificate ${a.certificateUrl}${fingerprint(a)}\n    CRL         ${a.crlUrl}`)];
      const root = c.cas.find((a) => a.role === 'root' && a.certificatePem);
      if (root) lines.push(`relying parties and operators bootstrap with: anchorage bootstrap --community ${c.id} --fingerprint ${pemFingerprint(root.certificatePem)}`);
      const awaiting = c.cas.find((a) => a.status === 'awaiting-certificate' && a.csrPem);
      if (awaiting) {
        const next = `have the offline root sign it, then: ca install-cert --ca ${awaiting.id} --cert FILE --root FILE`;
        if (o.csrOut) {
          writeFileSync(o.csrOut, awaiting.csrPem!);
          lines.push(`CSR of the issuing CA written to ${o.csrOut}; ${next}`);
        } else {
          lines.push(`CSR of the issuing CA (${next}):`, awaiting.csrPem!.trimEnd());
        }
      }
      const rootCa = c.cas.find((a) => a.role === 'root');
      print(lines.join('\n'), { ...c, rootFingerprint: pemFingerprint(rootCa?.certificatePem) });
    });

  community
    .command('purposes')
    .description("show or set a community's exchange purposes (the fragments its client SAN URIs may carry)")
    .requiredOption('--community <id>', 'community id')
    .addOption(new Option('--preset <name>', 'set the catalog from a preset').choices(['tefca']))
    .option('--file <json>', 'set the whole catalog from a JSON file: [{ "code", "display", "active"? }]')
    .option('--retire <codes...>', 'retire these codes (kept listed, no longer issued)')
    .option('--restore <codes...>', 'make these retired codes active again')
    .action(async (o) => {
      const { api, print } = ctx();
      const path = `/api/v1/communities/${encodeURIComponent(o.community)}`;
      if ([o.preset, o.file, o.retire ?? o.restore].filter((x) => x !== undefined).length > 1) {
        program.error('error: give one of --preset, --file, or --retire/--restore', { exitCode: 2 });
      }
      let c = await api.request<CommunityView>('GET', path);
      let body: unknown = null;
      if (o.preset) body = { preset: o.preset };
      else if (o.file) body = { purposes: JSON.parse(readFileSync(o.file, 'utf8')) as unknown };
      else if (o.retire || o.restore) {
        const change = new Map<string, boolean>([...(o.retire ?? []).map((x: string) => [x, false] as const), ...(o.restore ?? []).map((x: string) => [x, true] as const)]);
        const unknown = [...change.keys()].filter((code) => !c.exchangePurposes.some((x) => x.code === code));
        if (unknown.length) throw new Error(`not in the catalog of ${c.name}: ${unknown.join(', ')}`);
        body = { purposes: c.exchangePurposes.map((x) => ({ ...x, active: change.get(x.code) ?? x.active })) };
      }
      if (body !== null) c = await api.request<CommunityView>('PUT', `${path}/exchange-purposes`, body);
      const lines = c.exchangePurposes.length === 0
        ? [`${c.name} has no catalog of exchange purposes: client SAN URIs may carry any fragment`]
        : c.exchangePurposes.map((x) => `#${x.code.padEnd(12)} ${x.active ? 'active ' : 'retired'}  ${x.display}`);
      print(lines.join('\n'), c.exchangePurposes);
    });

  program
    .command('ca')
    .description('certificate authorities')
    .command('install-cert')
    .description('install the certificate an offline root signed for a CA awaiting one')
    .requiredOption('--ca <id>', 'id of the CA awaiting its certificate')
    .requiredOption('--cert <file>', 'the CA certificate the root signed (PEM or DER)')
    .requiredOption('--root <file>', "the offline root's self-signed certificate (PEM or DER)")
    .action(async (o) => {
      const { api, print } = ctx();
      const r = await api.request<CaCertificateInstallation>('POST', `/api/v1/cas/${encodeURIComponent(o.ca)}/certificate`, {
        certificatePem: readCertificatePem(o.cert), rootCertificatePem: readCertificatePem(o.root),
      });
      print(
        [
          `CA ${r.ca.id} is ${r.ca.status}: ${r.ca.subject}`,
          `  root ${r.root.id} (offline): ${r.root.subject}`,
          `  certificate ${r.ca.certificateUrl}`,
          `  CRL         ${r.ca.crlUrl}`,
          ...r.warnings.map((w) => `  warning: ${w}`),
        ].join('\n'),
        r,
      );
    });

  const org = program.command('org').description('member organizations');
  org
    .command('create')
    .requiredOption('--community <id>', 'community id')
    .requiredOption('--name <name>', 'legal name')
    .option('--san <uri...>', 'SAN URIs bound to the organization for good')
    .action(async (o) => {
      const { api, print } = ctx();
      const created = await api.request<OrganizationView>('POST', '/api/v1/organizations', { communityId: o.community, name: o.name, sanUris: o.san ?? [] });
      print(`organization ${created.id} "${created.name}"\n${created.sanUris.map((u) => `  SAN ${u}`).join('\n')}`, created);
    });
  org
    .command('invite')
    .description('e-mail a contact an invitation to a new organization (--community, --name) or an existing one (--org)')
    .requiredOption('--email <address>', 'the contact\'s e-mail address')
    .option('--community <id>', 'community of the new organization')
    .option('--name <name>', 'name of the new organization')
    .option('--org <id>', 'an existing organization')
    .action(async (o) => {
      const { api, print } = ctx();
      const body = o.org ? { email: o.email, organizationId: o.org } : { email: o.email, communityId: o.community, organizationName: o.name };
      const out = await api.request<{ invitation: InvitationView; organization: OrganizationView }>('POST', '/api/v1/invitations', body);
      print(`invitation ${out.invitation.id} sent to ${out.invitation.email} for organization ${out.organization.id} (${out.organization.status}); expires ${out.invitation.expiresAt}`, out);
    });
  org
    .command('show')
    .description('an organization: status, bound SAN URIs and the submitted profile with its revision (what `org review --decision approve` approves)')
    .argument('<id>', 'organization id')
    .action(async (id: string) => {
      const { api, print } = ctx();
      const o = await api.request<OrganizationView>('GET', `/api/v1/organizations/${encodeURIComponent(id)}`);
      print(describeOrganization(o), o);
    });
  org
    .command('review')
    .description('decide on an organization: approve (the profile revision you reviewed with `org show`), reject, suspend or reinstate')
    .argument('<id>', 'organization id')
    .addOption(new Option('--decision <decision>', 'what to do').choices(['approve', 'reject', 'suspend', 'reinstate']).makeOptionMandatory())
    .option('--reason <text>', 'why (required to reject or suspend)')
    .option('--profile-version <revision>', 'with approve: the profile revision you reviewed (`org show` prints it); a profile submitted again since is refused')
    .action(async (id: string, o) => {
      const { api, print } = ctx();
      const usage = (msg: string) => program.error(`error: ${msg}`, { exitCode: 2 });
      // Approval never fetches the revision itself: that would approve whatever was submitted last,
      // unseen. The operator names the revision it read, and the API refuses a newer one.
      let body: Record<string, unknown> | undefined = o.reason ? { reason: o.reason } : undefined;
      if (o.decision === 'approve') {
        if (o.profileVersion === undefined) usage(`--decision approve needs --profile-version N: the profile revision you reviewed (see \`org show ${id}\`)`);
        if (!/^[1-9]\d{0,8}$/.test(o.profileVersion)) usage('--profile-version must be a revision number (1, 2, ...) as `org show` prints it');
        body = { profileRevision: Number(o.profileVersion) };
      } else if (o.profileVersion !== undefined) {
        usage('--profile-version goes with --decision approve');
      }
      let out: OrganizationView;
      try {
        out = await api.request<OrganizationView>('POST', `/api/v1/organizations/${encodeURIComponent(id)}/${o.decision}`, body);
      } catch (err) {
        if (err instanceof ApiError && err.problem.code === 'profile-changed') throw new Error(`${err.message}\nsee the new revision with: org show ${id}`);
        throw err;
      }
      print(`organization ${out.id} "${out.name}" is ${out.status}${out.statusReason ? ` (${out.statusReason})` : ''}`, out);
    });

  const request = program.command('request').description('certificate requests');
  request
    .command('list')
    .option('--status <status>', 'only requests in this state (submitted, approved, issued, rejected, cancelled)')
    .action(async (o) => {
      const { api, print } = ctx();
      const filter = o.status ? `&filter=${encodeURIComponent(JSON.stringify({ status: o.status }))}` : '';
      const list = await api.request<CertificateRequestView[]>('GET', `/api/v1/certificate-requests?range=${encodeURIComponent('[0,499]')}${filter}`);
      print(list.map((r) => `${r.id} ${r.status.padEnd(9)} ${r.profile} ${r.sanUris.join(', ')} (organization ${r.organizationId})`).join('\n') || 'no requests', list);
    });
  request
    .command('approve')
    .argument('<id>', 'request id')
    .action(async (id: string) => {
      const { api, print } = ctx();
      const out = await api.request<{ request: CertificateRequestView; certificate: CertificateView }>('POST', `/api/v1/certificate-requests/${id}/approve`);
      print(`request ${out.request.id} ${out.request.status}: certificate ${out.certificate.id} serial ${out.certificate.serial}`, out);
    });
  request
    .command('reject')
    .argument('<id>', 'request id')
    .requiredOption('--reason <text>', 'why, for the member')
    .action(async (id: string, o) => {
      const { api, print } = ctx();
      const out = await api.request<CertificateRequestView>('POST', `/api/v1/certificate-requests/${id}/reject`, { reason: o.reason });
      print(`request ${out.id} ${out.status}: ${out.reason}`, out);
    });

  const cert = program.command('cert').description('leaf certificates');
  cert
    .command('issue')
    .requiredOption('--org <id>', 'organization id')
    .addOption(new Option('--profile <profile>', 'certificate profile').choices([...LEAF_PROFILES]).makeOptionMandatory())
    .option('--csr <file>', 'PKCS#10 CSR file (PEM or DER)')
    .option('--generate-key', 'let the platform generate the key (where the community allows it) and deliver it in a PKCS#12')
    .addOption(new Option('--key-type <type>', 'with --generate-key: key type (default RSA-2048)').choices(['RSA-2048', 'RSA-3072', 'RSA-4096', 'EC-P256', 'EC-P384']))
    .option('--p12-out <file>', 'with --generate-key: where to write the PKCS#12 (created with mode 0600; never overwritten)')
    .option('--p12-password-file <file>', 'with --generate-key: file whose first line is the PKCS#12 password (12 characters or more)')
    .option('--san <uri...>', 'SAN URIs (default: those in the CSR; required with --generate-key)')
    .option('--validity-days <days>', 'requested validity', (v) => Number(v))
    .option('--request-id <id>', 'idempotency key: repeating the command returns the same certificate')
    .action(async (o) => {
      const { api, print } = ctx();
      const usage = (msg: string) => program.error(`error: ${msg}`, { exitCode: 2 });
      if (!o.csr === !o.generateKey) usage('give either --csr FILE or --generate-key');
      const common = { organizationId: o.org, profile: o.profile, sanUris: o.san, validityDays: o.validityDays, requestId: o.requestId };
      if (o.csr) {
        if (o.keyType || o.p12Out || o.p12PasswordFile) usage('--key-type, --p12-out and --p12-password-file go with --generate-key');
        const raw = readFileSync(o.csr);
        const isPem = raw.subarray(0, 64).toString('latin1').includes('-----BEGIN');
        const c = await api.request<CertificateView>('POST', '/api/v1/certificates', {
          ...common, ...(isPem ? { csr: raw.toString('utf8') } : { csrDerBase64: raw.toString('base64') }),
        });
        print(describeCert(c) + `\n${c.chainPem}`, c);
        return;
      }
      if (!o.p12Out || !o.p12PasswordFile) usage('--generate-key needs --p12-out FILE and --p12-password-file FILE');
      if (!o.san?.length) usage('--generate-key needs --san URI (there is no CSR to take it from)');
      const pkcs12Password = readPasswordFile(o.p12PasswordFile);
      const out = new SecretFile(o.p12Out);
      let c: CertificateView;
      try {
        c = await api.request<CertificateView>('POST', '/api/v1/certificates', { ...common, generateKey: { keyType: o.keyType, pkcs12Password } });
      } catch (err) {
        out.discard();
        throw err;
      }
      const { pkcs12Base64, ...view } = c;
      if (!pkcs12Base64) {
        out.discard();
        // with --json, the problem document alone (it names the certificate)
        if (!json) io.out(describeCert(c));
        throw new Error(`no PKCS#12 for certificate ${c.id}: ${c.pkcs12Unavailable ?? 'the API returned none'} (this request id was used before); issue a new certificate to get a key`);
      }
      out.write(Buffer.from(pkcs12Base64, 'base64'));
      print(`${describeCert(c)}\n  PKCS#12  ${o.p12Out} (key, certificate and issuing CA; mode 0600)\n${c.chainPem}`, { ...view, pkcs12File: o.p12Out });
    });
  cert
    .command('revoke')
    .requiredOption('--ca <id>', 'issuing CA id')
    .requiredOption('--serial <hex>', 'certificate serial (hex)')
    .requiredOption('--reason <reason>', 'RFC 5280 reason name, e.g. keyCompromise, certificateHold')
    .option('--invalidity-date <iso>', 'when the key was compromised (ISO 8601)')
    .action(async (o) => {
      const { api, print } = ctx();
      const r = await api.request<{ certificate: CertificateView; crl: CrlView }>(
        'POST', `/api/v1/cas/${encodeURIComponent(o.ca)}/certificates/${encodeURIComponent(o.serial.replace(/:/g, '').toLowerCase())}/revoke`,
        { reason: o.reason, invalidityDate: o.invalidityDate },
      );
      print(`revoked ${r.certificate.serial} (${r.certificate.revocationReason}); published in CRL #${r.crl.crlNumber} at ${r.crl.url}`, r);
    });
  cert
    .command('show')
    .argument('<id>', 'certificate id')
    .action(async (id: string) => {
      const { api, print } = ctx();
      const c = await api.request<CertificateView>('GET', `/api/v1/certificates/${encodeURIComponent(id)}`);
      print(describeCert(c) + `\n${c.pem}`, c);
    });

  program
    .command('crl')
    .description('certificate revocation lists')
    .command('generate')
    .requiredOption('--ca <id>', 'CA id')
    .action(async (o) => {
      const { api, print } = ctx();
      const crl = await api.request<CrlView>('POST', `/api/v1/cas/${encodeURIComponent(o.ca)}/crl`);
      print(`CRL #${crl.crlNumber} of CA ${crl.caId}: ${crl.entryCount} entries, next update ${crl.nextUpdate}\n  ${crl.url}`, crl);
    });

  program
    .command('audit')
    .description('audit log')
    .command('verify')
    .description('recompute the hash chain and check it against the signed checkpoints (stored, published, and --checkpoint)')
    .option('--checkpoint <file>', 'a checkpoint you kept (audit/checkpoint.jws from the publish directory or /pki/audit/checkpoint.jws): the log must still hold the event it names')
    .action(async (o: { checkpoint?: string }) => {
      const { api, print } = ctx();
      const query = o.checkpoint === undefined ? '' : `?checkpoint=${encodeURIComponent(readFileSync(o.checkpoint, 'ascii').trim())}`;
      const v = await api.request<AuditVerificationView>('GET', `/api/v1/audit/verify${query}`);
      print(describeVerification(v), v);
      if (!v.ok) throw new VerifyFailed();
    });

  program
    .command('user')
    .description('people who sign in to the console')
    .command('create')
    .requiredOption('--email <address>', 'e-mail address (the sign-in name)')
    .requiredOption('--name <name>', 'display name')
    .addOption(new Option('--role <role>', 'role').choices(['operator', 'auditor', 'member-admin']).makeOptionMandatory())
    .requiredOption('--password-file <file>', 'file holding the initial password (at least 12 characters)')
    .option('--org <id>', 'organization of a member admin')
    .option('--communities <ids>', "communities an operator runs: 'all' or comma-separated ids")
    .action(async (o) => {
      const { api, print } = ctx();
      const communities = o.communities === undefined ? undefined : o.communities === 'all' ? 'all' : String(o.communities).split(',').filter(Boolean);
      const u = await api.request<CreatedUserView>('POST', '/api/v1/users', {
        email: o.email, displayName: o.name, role: o.role, password: readPasswordFile(o.passwordFile), organizationId: o.org, communities,
      });
      const totp = u.totpEnrollment
        ? `\nTOTP secret (give it to ${u.email} for an authenticator app; not shown again):\n  ${u.totpEnrollment.secret}\n  ${u.totpEnrollment.otpauthUri}`
          + `\nRecovery codes (each signs in once in place of a code; not shown again):\n  ${u.totpEnrollment.recoveryCodes.join('\n  ')}`
        : '';
      print(`user ${u.id} ${u.email} (${u.role})${totp}`, u);
    });

  const token = program.command('token').description('operator API tokens');
  token
    .command('create')
    .description('create a token (talks to the database directly: the bootstrap before any token exists)')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--expires-in-days <days>', 'the token stops working after this many days (default: never)', (v) => Number(v))
    .action(async (o) => {
      const { print } = ctx();
      const t = await (await local()).createToken(o.name, o.expiresInDays);
      const until = t.expiresAt ? `valid until ${t.expiresAt}` : 'no expiry: revoke it with `token revoke` when it is no longer needed';
      print(`token ${t.name} (${t.id}), ${until}:\n${t.token}\nStore it now: it is not shown again.`, t);
    });
  token
    .command('list')
    .description('list the tokens (never their secrets)')
    .action(async () => {
      const { api, print } = ctx();
      const list = await api.request<ApiTokenView[]>('GET', '/api/v1/api-tokens?range=[0,499]');
      const line = (t: ApiTokenView) => `${t.id}  ${t.status.padEnd(7)}  ${t.name}  (created ${t.createdAt}${t.expiresAt ? `, expires ${t.expiresAt}` : ''}, last used ${t.lastUsedAt ?? 'never'})`;
      print(list.length ? list.map(line).join('\n') : 'no API tokens', list);
    });
  token
    .command('revoke')
    .description('revoke a token: it stops working from the next request on')
    .argument('<id>', 'token id (see token list)')
    .action(async (id: string) => {
      const { api, print } = ctx();
      const t = await api.request<ApiTokenView>('POST', `/api/v1/api-tokens/${encodeURIComponent(id)}/revoke`);
      print(`token ${t.name} (${t.id}) revoked at ${t.revokedAt}`, t);
    });

  program
    .command('bootstrap')
    .description("trust a community's root certificate, as `step ca bootstrap` does: fetch it from the public repository (/pki), check its SHA-256 fingerprint, save it and the CLI's config.json")
    .requiredOption('--community <id>', 'community id')
    .requiredOption('--fingerprint <sha256>', "the root certificate's SHA-256 fingerprint, from the community's operator (64 hex digits, colons allowed)")
    .option('--pki-url <url>', 'base URL of the public repository (default: the API URL)')
    .option('--force', 'overwrite an existing config.json')
    .action(async (o: { community: string; fingerprint: string; pkiUrl?: string; force?: boolean }) => {
      const { print } = ctx();
      const apiUrl = program.opts<{ apiUrl: string }>().apiUrl.replace(/\/+$/, '');
      const b = await bootstrap({ pkiUrl: (o.pkiUrl ?? apiUrl).replace(/\/+$/, ''), apiUrl, communityId: o.community, fingerprint: o.fingerprint, configDir: defaults.configDir, force: !!o.force });
      print(
        [
          `root certificate of ${b.communityName} (${b.communityUri}) trusted: ${b.subject}, valid until ${b.notAfter}`,
          `  SHA-256 ${colonHex(b.fingerprint)}`,
          `  saved in ${b.rootCertificate}`,
          `  CLI configuration saved in ${b.config}`,
        ].join('\n'),
        b,
      );
    });

  addListAndGet(program, ctx);

  const certification = program.command('certification').description('certifications of member apps (docs/certifications.md): templates, platform certifiers, certifications');
  const listAll = <T>(path: string, filter: Record<string, string | undefined> = {}) => {
    const f = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    const q = `range=${encodeURIComponent('[0,499]')}${Object.keys(f).length ? `&filter=${encodeURIComponent(JSON.stringify(f))}` : ''}`;
    return ctx().api.request<T[]>('GET', `${path}${path.includes('?') ? '&' : '?'}${q}`);
  };
  const communityPath = (id: string) => `/api/v1/communities/${encodeURIComponent(id)}`;

  const template = certification.command('template').description('certification templates: what a community certifies');
  template
    .command('list')
    .requiredOption('--community <id>', 'community id')
    .action(async (o) => {
      const { print } = ctx();
      const all = await listAll<CertificationTemplateView>(`${communityPath(o.community)}/certification-templates`);
      print(all.length ? all.map(describeTemplate).join('\n') : 'no certification templates', all);
    });
  template
    .command('add')
    .description('define a template: a built-in one, or the community\'s own terms from a JSON file')
    .requiredOption('--community <id>', 'community id')
    .addOption(new Option('--built-in <name>', 'a built-in template').choices(BUILT_IN_CERTIFICATION_TEMPLATE_NAMES))
    .option('--file <json>', 'the terms: { "name", "uris", "grantTypes", "logoUri"?, "description"?, "scopes"?, "responseTypes"?, "exchangePurposes"?, "isEndorsement"? }')
    .action(async (o) => {
      const { api, print } = ctx();
      if ((o.builtIn === undefined) === (o.file === undefined)) program.error('error: give one of --built-in and --file', { exitCode: 2 });
      const body = o.builtIn ? { builtIn: o.builtIn } : readJsonFile(o.file, 'template file');
      const t = await api.request<CertificationTemplateView>('POST', `${communityPath(o.community)}/certification-templates`, body);
      print(`template ${t.id} "${t.name}" defined\n${describeTemplate(t)}`, t);
    });

  const certifier = certification.command('certifier').description('platform certifiers: certifiers whose key the signer holds');
  certifier
    .command('list')
    .requiredOption('--community <id>', 'community id')
    .action(async (o) => {
      const { print } = ctx();
      const all = await listAll<PlatformCertifierView>(`${communityPath(o.community)}/certifiers`);
      print(all.length ? all.map(describeCertifier).join('\n') : 'no platform certifiers', all);
    });
  certifier
    .command('create')
    .description('create a platform certifier: the signer generates its RSA key, and a udap-certifier certificate certifies it')
    .requiredOption('--community <id>', 'community id')
    .requiredOption('--org <id>', 'the certifier organization')
    .requiredOption('--san <uri>', "an https SAN URI bound to the organization: the certifications' iss")
    .addOption(new Option('--key-type <type>', 'RSA key type (default RSA-2048)').choices(['RSA-2048', 'RSA-3072', 'RSA-4096']))
    .option('--validity-days <days>', 'validity of its certificate', (v) => Number(v))
    .action(async (o) => {
      const { api, print } = ctx();
      const c = await api.request<PlatformCertifierView>('POST', `${communityPath(o.community)}/certifiers`, {
        organizationId: o.org, sanUri: o.san, ...(o.keyType ? { keyType: o.keyType } : {}), ...(o.validityDays !== undefined ? { validityDays: o.validityDays } : {}),
      });
      print(`platform certifier created\n${describeCertifier(c)}`, c);
    });

  certification
    .command('list')
    .option('--community <id>', 'only this community\'s')
    .option('--org <id>', 'only certifications of this organization\'s apps')
    .option('--sub <uri>', 'only certifications of this app (its client URI)')
    .option('--status <status>', 'active or revoked')
    .action(async (o) => {
      const { print } = ctx();
      const all = await listAll<CertificationView>('/api/v1/certifications', { communityId: o.community, organizationId: o.org, sub: o.sub, status: o.status });
      print(all.length ? all.map(describeCertificationLine).join('\n') : 'no certifications', all);
    });
  certification
    .command('issue')
    .description('issue a certification signed by a platform certifier')
    .requiredOption('--certifier <id>', 'platform certifier id (see certification certifier list)')
    .requiredOption('--template <id>', 'template id')
    .requiredOption('--org <id>', "the certified app's organization")
    .requiredOption('--sub <uri>', "the app's client URI (a SAN URI of one of its live udap-client certificates)")
    .option('--validity-days <days>', 'validity (at most 3 years, and not past the certifier certificate)', (v) => Number(v))
    .option('--grant-types <types...>', 'grant_types (within the template\'s)')
    .option('--response-types <types...>', 'response_types (within the template\'s)')
    .option('--scope <scope>', 'scope, space-separated (within the template\'s)')
    .option('--exchange-purposes <codes...>', 'exchange_purposes (within the template\'s)')
    .option('--app-claims <json>', 'a JSON file of app claims: { "client_name": "...", "developer_name": "...", ... }')
    .action(async (o) => {
      const { api, print } = ctx();
      const c = await api.request<CertificationView>('POST', '/api/v1/certifications/issue', {
        certifierId: o.certifier, templateId: o.template, organizationId: o.org, sub: o.sub,
        ...(o.validityDays !== undefined ? { validityDays: o.validityDays } : {}), ...(o.grantTypes ? { grantTypes: o.grantTypes } : {}),
        ...(o.responseTypes ? { responseTypes: o.responseTypes } : {}), ...(o.scope !== undefined ? { scope: o.scope } : {}),
        ...(o.exchangePurposes ? { exchangePurposes: o.exchangePurposes } : {}), ...(o.appClaims ? { appClaims: readJsonFile(o.appClaims, 'app claims file') } : {}),
      });
      print(`${describeCertification(c)}\n${c.jwt}`, c);
    });
  certification
    .command('record')
    .description('record a certification an external certifier signed (its compact JWS in a file)')
    .requiredOption('--template <id>', 'the template it follows')
    .requiredOption('--org <id>', "the certified app's organization")
    .requiredOption('--jwt <file>', 'file holding the compact JWS')
    .action(async (o) => {
      const { api, print } = ctx();
      let jwt: string;
      try {
        jwt = readFileSync(o.jwt, 'utf8').trim();
      } catch (err) {
        throw new Error(`cannot read the JWT file ${o.jwt}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
      }
      const c = await api.request<CertificationView>('POST', '/api/v1/certifications', { templateId: o.template, organizationId: o.org, jwt });
      print(`recorded\n${describeCertification(c)}`, c);
    });
  certification
    .command('revoke')
    .argument('<id>', 'certification id')
    .requiredOption('--reason <text>', 'why, in words')
    .action(async (id: string, o) => {
      const { api, print } = ctx();
      const c = await api.request<CertificationView>('POST', `/api/v1/certifications/${encodeURIComponent(id)}/revoke`, { reason: o.reason });
      print(`certification ${c.id} revoked at ${c.revokedAt}: ${c.revocationReason}`, c);
    });
  certification
    .command('status')
    .description("a certification's record, and what its public status endpoint answers relying parties")
    .argument('<id>', 'certification id')
    .action(async (id: string) => {
      const { api, print } = ctx();
      const c = await api.request<CertificationView>('GET', `/api/v1/certifications/${encodeURIComponent(id)}`);
      // asked of this API's own /pki handler (the status endpoint's path), as a relying party asks the public one
      const endpoint = new URL(c.statusEndpoint);
      const query = `?jti=${encodeURIComponent(c.jti)}&exp=${Math.floor(Date.parse(c.exp) / 1000)}`;
      const answer = await api.publicGet<{ valid: boolean }>(`${endpoint.pathname}${query}`);
      print(`${describeCertification(c)}\n  status endpoint ${c.statusEndpoint}${query}\n    answers valid: ${answer.valid}`, { certification: c, statusEndpointAnswer: answer });
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0) return 0;
    if (err instanceof VerifyFailed) return 1;
    const usage = err instanceof CommanderError || (err instanceof LocalProblem && err.kind === 'usage');
    if (json) io.out(JSON.stringify(problemDocument(err, usageMessage), null, 2));
    else if (!(err instanceof CommanderError)) io.err(`error: ${(err as Error).message}`);
    return usage ? 2 : 1;
  }
}

const LOCAL_TITLES: Record<LocalProblem['kind'], string> = {
  usage: 'Usage error',
  unreachable: 'API unreachable',
  'no-token': 'No API token',
  'fingerprint-mismatch': 'Fingerprint mismatch',
  'bad-response': 'Unexpected answer',
  error: 'Error',
};

/**
 * What `--json` prints for a failure: the API's problem document as it sent it, or one of the same
 * shape for a failure on this side (no `status`: no HTTP answer), typed https://anchorage.dev/problems/cli-<kind>.
 */
function problemDocument(err: unknown, usageMessage: string): Record<string, unknown> {
  if (err instanceof ApiError) return err.problem;
  const local = (kind: LocalProblem['kind'], detail: string) => ({ type: `https://anchorage.dev/problems/cli-${kind}`, title: LOCAL_TITLES[kind], detail });
  if (err instanceof CommanderError) {
    return local('usage', err.code === 'commander.help' || err.code === 'commander.helpDisplayed' ? 'a command is missing: see --help' : usageMessage || err.message.replace(/^error: /, ''));
  }
  if (err instanceof LocalProblem) return local(err.kind, err.message);
  return local('error', (err as Error).message);
}

class VerifyFailed extends Error {}

/** What GET /api/v1/audit/verify answers (authority AuditVerification). */
interface AuditVerificationView {
  ok: boolean;
  checked: number;
  problem?: { seq: string | null; code?: string; message: string };
  checkpoints?: { source: string; seq: string; count: string; signedAt: string }[];
}

function describeVerification(v: AuditVerificationView): string {
  const p = v.problem;
  if (!v.ok) return `audit chain BROKEN${p?.code ? ` (${p.code})` : ''}${p?.seq ? ` at event ${p.seq}` : ''}: ${p?.message ?? 'no reason given'}`;
  const anchors = v.checkpoints ?? [];
  if (anchors.length === 0) return `audit chain intact: ${v.checked} events; no signed checkpoint to check against, so deleted newest events would go unnoticed`;
  return [`audit chain intact: ${v.checked} events; it holds every checkpoint checked:`, ...anchors.map((c) => `  ${c.source} checkpoint of event ${c.seq} (${c.count} events), signed ${c.signedAt}`)].join('\n');
}

function describeOrganization(o: OrganizationView): string {
  const p = o.profile;
  const lines = [
    `organization ${o.id} "${o.name}" is ${o.status}${o.statusReason ? ` (${o.statusReason})` : ''}`,
    `  bound SAN URIs  ${o.sanUris.join(', ') || 'none'}`,
  ];
  if (!p.legalName) return [...lines, '  profile         none submitted'].join('\n');
  const a = p.address;
  const contact = (c?: { name: string; email: string; phone?: string }) => (c ? [c.name, c.email, c.phone].filter(Boolean).join(', ') : '');
  lines.push(
    `  profile revision ${o.profileRevision}${o.submittedAt ? ` (submitted ${o.submittedAt})` : ''}`,
    `    legal name         ${p.legalName}`,
    ...(p.identifiers ?? []).map((i) => `    identifier         ${i.type}${i.label ? ` (${i.label})` : ''} ${i.value}`),
    `    address            ${a ? [...a.lines, [a.postalCode, a.city].filter(Boolean).join(' '), a.region, a.country].filter(Boolean).join(', ') : ''}`,
    `    technical contact  ${contact(p.technicalContact)}`,
    `    security contact   ${contact(p.securityContact)}`,
    ...(p.requestedSanUris ?? []).map((u) => `    requested SAN URI  ${u}`),
  );
  if (o.status === 'submitted') lines.push(`to approve exactly this: org review ${o.id} --decision approve --profile-version ${o.profileRevision}`);
  return lines.join('\n');
}

function describeCert(c: CertificateView): string {
  return [
    `certificate ${c.id}`,
    `  serial   ${c.serial}`,
    `  status   ${c.status}${c.revocationReason ? ` (${c.revocationReason})` : ''}`,
    `  profile  ${c.profile}`,
    `  subject  ${c.subject}`,
    `  SAN      ${c.sanUris.join(', ')}`,
    `  valid    ${c.notBefore} .. ${c.notAfter}`,
    `  CRL      ${c.crlUrl}`,
    `  CA cert  ${c.caIssuersUrl}`,
  ].join('\n');
}

/** Reads a JSON file given on the command line, saying which and why when it cannot. */
function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the ${what} ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`the ${what} ${path} is not JSON: ${(err as Error).message}`);
  }
}

function describeTemplate(t: CertificationTemplateView): string {
  return [
    `${t.id} "${t.name}"${t.isEndorsement ? ' (endorsement)' : ''}`,
    `  uris               ${t.uris.join(', ')}`,
    `  grant types        ${t.grantTypes.join(', ')}`,
    `  response types     ${t.responseTypes.join(', ') || 'none'}`,
    `  scopes             ${t.scopes.join(' ') || 'not restricted'}`,
    `  exchange purposes  ${t.exchangePurposes.join(', ') || 'none'}`,
  ].join('\n');
}

function describeCertifier(c: PlatformCertifierView): string {
  return `${c.id} ${c.sanUri} (organization ${c.organizationId}; certificate ${c.certificateId}, valid until ${c.notAfter})`;
}

function describeCertificationLine(c: CertificationView): string {
  return `${c.id} ${c.status.padEnd(7)} ${c.sub} by ${c.iss} (organization ${c.organizationId}; until ${c.exp})`;
}

function describeCertification(c: CertificationView): string {
  return [
    `certification ${c.id}`,
    `  status   ${c.status}${c.revocationReason ? ` (${c.revocationReason})` : ''}`,
    `  app      ${c.sub} (organization ${c.organizationId})`,
    `  iss      ${c.iss} (certifier organization ${c.certifierOrganizationId})`,
    `  jti      ${c.jti}`,
    `  valid    ${c.iat} .. ${c.exp}`,
  ].join('\n');
}
