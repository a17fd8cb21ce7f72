import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { BUILT_IN_CERTIFICATION_TEMPLATE_NAMES } from '@anchorage/contracts';
import type { CertificationTemplateView, CertificationView, PlatformCertifierView } from '@anchorage/contracts';
import type { CommandDeps } from './context';

/** `certification template|certifier list|create`, and `certification list|issue|record|revoke|status`. */
export function registerCertificationCommands(program: Command, { ctx }: CommandDeps): void {
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
