import { type Command, Option } from 'commander';
import type { InvitationView, OrganizationView } from '@anchorage/contracts';
import { ApiError } from '../api-client';
import type { CommandDeps } from './context';

/** `org create`, `org invite`, `org show` and `org review`. */
export function registerOrganizationCommands(program: Command, { ctx }: CommandDeps): void {
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
