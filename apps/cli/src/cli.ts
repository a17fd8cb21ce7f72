import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import type { CaView, CertificateView, CommunityView, CrlView, OrganizationView } from '@anchorage/contracts';
import { ApiClient, ApiError } from './api-client';

/** Where the CLI writes, so tests can capture it. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** Operations that need the database directly (run where the database is reachable). */
export interface LocalOps {
  createToken(name: string): Promise<{ id: string; name: string; token: string }>;
}

/** Settings from the environment; flags win. */
export interface CliDefaults {
  apiUrl: string;
  apiToken: string | null;
}

type Print = (human: string, json: unknown) => void;

/** Builds and runs the operator CLI; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIo, defaults: CliDefaults, local: () => Promise<LocalOps>): Promise<number> {
  const program = new Command('anchorage')
    .description('Operator CLI of the Anchorage trust-community CA')
    .option('--api-url <url>', 'API base URL', defaults.apiUrl)
    .option('--token <token>', 'operator API token (or ANCHORAGE_API_TOKEN)')
    .option('--json', 'print one JSON object')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

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
    .action(async (o) => {
      const { api, print } = ctx();
      const policy: Record<string, unknown> = {};
      if (o.crlLifetimeDays !== undefined) policy.crlLifetimeSeconds = Math.round(o.crlLifetimeDays * 86400);
      if (o.maxValidityDays !== undefined) policy.maxLeafValidityDays = o.maxValidityDays;
      if (o.allowGeneratedKeys) policy.allowGeneratedKeys = true;
      const c = await api.request<CommunityView & { cas: CaView[] }>('POST', '/api/v1/communities', { name: o.name, uri: o.uri, caKeyType: o.key, policy });
      print(
        [`community ${c.id} (${c.uri})`, ...c.cas.map((a) => `  ${a.role} CA ${a.id}\n    certificate ${a.certificateUrl}\n    CRL         ${a.crlUrl}`)].join('\n'),
        c,
      );
    });

  program
    .command('org')
    .description('member organizations')
    .command('create')
    .requiredOption('--community <id>', 'community id')
    .requiredOption('--name <name>', 'legal name')
    .option('--san <uri...>', 'SAN URIs bound to the organization for good')
    .action(async (o) => {
      const { api, print } = ctx();
      const org = await api.request<OrganizationView>('POST', '/api/v1/organizations', { communityId: o.community, name: o.name, sanUris: o.san ?? [] });
      print(`organization ${org.id} "${org.name}"\n${org.sanUris.map((u) => `  SAN ${u}`).join('\n')}`, org);
    });

  const cert = program.command('cert').description('leaf certificates');
  cert
    .command('issue')
    .requiredOption('--org <id>', 'organization id')
    .addOption(new Option('--profile <profile>', 'certificate profile').choices(['udap-client', 'udap-server', 'udap-idp']).makeOptionMandatory())
    .requiredOption('--csr <file>', 'PKCS#10 CSR file (PEM or DER)')
    .option('--san <uri...>', 'SAN URIs (default: those in the CSR)')
    .option('--validity-days <days>', 'requested validity', (v) => Number(v))
    .option('--request-id <id>', 'idempotency key: repeating the command returns the same certificate')
    .action(async (o) => {
      const { api, print } = ctx();
      const raw = readFileSync(o.csr);
      const isPem = raw.subarray(0, 64).toString('latin1').includes('-----BEGIN');
      const c = await api.request<CertificateView>('POST', '/api/v1/certificates', {
        organizationId: o.org, profile: o.profile, ...(isPem ? { csr: raw.toString('utf8') } : { csrDerBase64: raw.toString('base64') }),
        sanUris: o.san, validityDays: o.validityDays, requestId: o.requestId,
      });
      print(describeCert(c) + `\n${c.chainPem}`, c);
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
    .action(async () => {
      const { api, print } = ctx();
      const v = await api.request<{ ok: boolean; checked: number; problem?: { seq: string; message: string } }>('GET', '/api/v1/audit/verify');
      print(v.ok ? `audit chain intact: ${v.checked} events` : `audit chain BROKEN at event ${v.problem!.seq}: ${v.problem!.message}`, v);
      if (!v.ok) throw new VerifyFailed();
    });

  program
    .command('token')
    .description('operator API tokens (talks to the database directly)')
    .command('create')
    .requiredOption('--name <name>', 'what the token is for')
    .action(async (o) => {
      const { print } = ctx();
      const t = await (await local()).createToken(o.name);
      print(`token ${t.name} (${t.id}):\n${t.token}\nStore it now: it is not shown again.`, t);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof VerifyFailed) return 1;
    io.err(`error: ${err instanceof ApiError ? err.message : (err as Error).message}`);
    return 1;
  }
}

class VerifyFailed extends Error {}

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
