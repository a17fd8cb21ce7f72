import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { FakeClock, opensslCsr, SmtpReceiver, tempDir, testPlatformOptions } from '@anchorage/testing';
import { createCommunity } from '../create-community';
import type { Actor } from '../deps';
import { signIn } from '../identity/sign-in';
import { authenticateAccessToken } from '../identity/sessions';
import { issueCertificate } from '../issue-certificate';
import { openPlatform, type Platform } from '../platform';
import { expectDomainError } from '../testing/expect-domain-error';
import { acceptInvitation, describeInvitation, INVITATION_DAYS, inviteContact, revokeInvitation } from './invitations';
import { approveOrganization, reinstateOrganization, rejectOrganization, submitOrganizationProfile, suspendOrganization } from './review';

const operator: Actor = { id: 'test-operator', role: 'operator' };
const PASSWORD = 'invited member password';
const linkToken = (text: string) => /accept-invitation\?token=(ani_[A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';

describe('onboarding: invitation by e-mail (real SMTP receiver), profile, review, suspension (PostgreSQL)', () => {
  let p: Platform;
  let smtp: SmtpReceiver;
  let communityId: string;
  let admin: Client;
  const clock = new FakeClock(new Date());
  const opts = testPlatformOptions();
  const tag = randomUUID().slice(0, 8);
  const dir = tempDir('anchorage-onboarding-');
  const anyCommunity = () => true;
  const san = `https://fhir.onb-${tag}.example.org/r4`;
  const profile = {
    legalName: `Onboarded Clinic ${tag} LLC`,
    identifiers: [{ type: 'NPI', value: '1234567893' }],
    address: { lines: ['1 Main St'], city: 'Springfield', country: 'US' },
    technicalContact: { name: 'Tech', email: 'tech@example.org' },
    securityContact: { name: 'Sec', email: 'sec@example.org' },
    requestedSanUris: [san],
  };

  beforeAll(async () => {
    smtp = await SmtpReceiver.start();
    p = await openPlatform({ ...opts, clock, smtpUrl: smtp.url, consoleUrl: 'http://console.test.invalid' });
    communityId = (await createCommunity(p, { name: 'Onboarding', uri: `udap://onb-${tag}.example.org/`, caKeyType: 'EC-P256', policy: { allowedLeafKeyTypes: ['EC-P256'] } }, operator)).community.id;
    admin = new Client({ connectionString: opts.databaseUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await p.close();
    await smtp.close();
  });

  it('runs invitation -> account -> profile -> approval -> issuance -> suspension -> reinstatement', async () => {
    const email = `contact-${tag}@clinic.example`;
    const { invitation, organization } = await inviteContact(p, { email: email.toUpperCase(), communityId, organizationName: 'Clinic (invited)' }, operator, anyCommunity);
    expect(invitation.state).toBe('pending');
    expect(organization.status).toBe('draft');
    const mail = await smtp.waitFor(email);
    expect(mail.subject).toContain('Clinic (invited)');
    const token = linkToken(mail.text);
    expect(mail.text).toContain(`http://console.test.invalid/#/accept-invitation?token=${token}`);
    // only the hash is stored
    const stored = (await admin.query('SELECT token_hash FROM invitation WHERE id = $1', [invitation.id])).rows[0].token_hash;
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(token.slice(4));

    expect(await describeInvitation(p, token)).toMatchObject({ email, organizationName: 'Clinic (invited)' });
    await expectDomainError(acceptInvitation(p, { token, displayName: 'Contact', password: 'short' }), 'validation');
    const accepted = await acceptInvitation(p, { token, displayName: 'Contact', password: PASSWORD });
    await expectDomainError(acceptInvitation(p, { token, displayName: 'Again', password: PASSWORD }), 'invitation-invalid', /already used/);

    const session = await signIn(p, { email, password: PASSWORD });
    const member = (await authenticateAccessToken(p, session.view.accessToken))!.actor;
    expect(member).toMatchObject({ role: 'member-admin', organizationId: accepted.organizationId });

    let org = (await p.db.organizations.find(accepted.organizationId))!;
    await expectDomainError(submitOrganizationProfile(p, org, { ...profile, identifiers: [{ type: 'NPI', value: '1234567890' }] }, member), 'validation', /identifiers\[0\]\.value/);
    org = await submitOrganizationProfile(p, org, profile, member);
    expect(org.status).toBe('submitted');
    // not issuable before approval
    const csr = opensslCsr(dir, { curve: 'P-256', sans: [san] });
    await expectDomainError(issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr: csr.csrPem }, operator), 'organization-inactive');

    await expectDomainError(rejectOrganization(p, org, '', operator), 'validation');
    org = await rejectOrganization(p, org, 'NPI does not match the legal name', operator);
    expect(org).toMatchObject({ status: 'rejected', statusReason: 'NPI does not match the legal name' });
    await expectDomainError(approveOrganization(p, org, org.profileRevision, operator), 'invalid-transition');
    org = await submitOrganizationProfile(p, org, profile, member);
    expect(org.profileRevision).toBe(2);
    await expectDomainError(approveOrganization(p, org, undefined, operator), 'validation', /profileRevision/);
    org = await approveOrganization(p, org, org.profileRevision, operator);
    expect(org).toMatchObject({ status: 'active', name: profile.legalName, sanUris: [san], statusReason: null });

    const issued = await issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr: csr.csrPem }, operator);
    expect(issued.certificate.status).toBe('issued');

    org = await suspendOrganization(p, org, 'security incident under review', operator);
    const again = opensslCsr(dir, { curve: 'P-256', sans: [san] });
    await expectDomainError(issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr: again.csrPem }, operator), 'organization-inactive', /security incident/);
    org = await reinstateOrganization(p, org, operator);
    expect((await issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr: again.csrPem }, operator)).certificate.status).toBe('issued');

    const actions = (await admin.query(`SELECT action FROM audit_event WHERE subject_id = $1 AND subject_type = 'organization' ORDER BY seq`, [org.id])).rows.map((r) => r.action);
    expect(actions).toEqual([
      'organization.created', 'organization.submitted', 'organization.rejected', 'organization.submitted', 'organization.approved', 'organization.suspended', 'organization.reinstated',
    ]);
  });

  it('binds the SAN URIs of the revision the operator reviewed, and nothing when the member submitted again', async () => {
    const uri = (n: string) => `https://${n}.rev-${tag}.example.org/r4`;
    const draft = await p.db.organizations.create({ id: randomUUID(), communityId, name: 'Revised Clinic', status: 'draft' });
    expect(draft.profileRevision).toBe(0);
    const submit = async (sans: string[]) => submitOrganizationProfile(p, (await p.db.organizations.find(draft.id))!, { ...profile, legalName: 'Revised Clinic LLC', requestedSanUris: sans }, operator);
    const bound = async () => (await p.db.organizations.sanOwners(communityId, [uri('a'), uri('b'), uri('c')])).map((b) => b.uri).sort();
    const approvals = async () => (await admin.query(`SELECT count(*)::int AS n FROM audit_event WHERE subject_id = $1 AND action = 'organization.approved'`, [draft.id])).rows[0].n;

    const shown = await submit([uri('a')]);
    expect(shown.profileRevision).toBe(1);
    // the member adds a SAN URI after the operator loaded revision 1
    expect((await submit([uri('a'), uri('b')])).profileRevision).toBe(2);
    await expectDomainError(approveOrganization(p, shown, shown.profileRevision, operator), 'profile-changed', /revision 2/);
    await expectDomainError(approveOrganization(p, (await p.db.organizations.find(draft.id))!, 1, operator), 'profile-changed');
    expect(await bound()).toEqual([]);

    // a submission between the approval's read and its commit: the conditional UPDATE refuses it, the bindings roll back
    const read = (await p.db.organizations.find(draft.id))!;
    expect((await submit([uri('a'), uri('b'), uri('c')])).profileRevision).toBe(3);
    const err = await expectDomainError(approveOrganization(p, read, read.profileRevision, operator), 'profile-changed', /revision 3/);
    expect(err.details).toEqual({ profileRevision: 3 });
    expect(await bound()).toEqual([]);
    expect(await approvals()).toBe(0);
    expect((await p.db.organizations.find(draft.id))!).toMatchObject({ status: 'submitted', sanUris: [], profileRevision: 3 });

    const approved = await approveOrganization(p, (await p.db.organizations.find(draft.id))!, 3, operator);
    expect(approved).toMatchObject({ status: 'active', name: 'Revised Clinic LLC', profileRevision: 3 });
    expect([...approved.sanUris].sort()).toEqual([uri('a'), uri('b'), uri('c')]);
    expect(await bound()).toEqual([uri('a'), uri('b'), uri('c')]);
    const events = (await admin.query(`SELECT action, data FROM audit_event WHERE subject_id = $1 AND action IN ('organization.submitted', 'organization.approved') ORDER BY seq`, [draft.id])).rows;
    expect(events.map((e) => [e.action, e.data.profileRevision])).toEqual([
      ['organization.submitted', 1], ['organization.submitted', 2], ['organization.submitted', 3], ['organization.approved', 3],
    ]);
  });

  it('refuses expired, withdrawn and malformed links, and a SAN another organization holds', async () => {
    const a = await inviteContact(p, { email: `late-${tag}@clinic.example`, communityId, organizationName: 'Late Clinic' }, operator, anyCommunity);
    const late = linkToken((await smtp.waitFor(`late-${tag}@clinic.example`)).text);
    const b = await inviteContact(p, { email: `gone-${tag}@clinic.example`, organizationId: a.organization.id }, operator, anyCommunity);
    const gone = linkToken((await smtp.waitFor(`gone-${tag}@clinic.example`)).text);
    await revokeInvitation(p, (await p.db.onboarding.findInvitation(b.invitation.id))!, operator);
    await expectDomainError(describeInvitation(p, gone), 'invitation-invalid', /withdrawn/);
    await expectDomainError(describeInvitation(p, 'ani_forged'), 'invitation-invalid', /not valid/);
    await expectDomainError(describeInvitation(p, undefined), 'invitation-invalid');
    clock.advance(INVITATION_DAYS * 86_400_000 + 1000);
    await expectDomainError(acceptInvitation(p, { token: late, displayName: 'Late', password: PASSWORD }), 'invitation-invalid', /expired/);
    expect((await admin.query('SELECT count(*)::int AS n FROM app_user WHERE email = $1', [`late-${tag}@clinic.example`])).rows[0].n).toBe(0);

    // the first test's organization holds `san`: another organization cannot even submit it
    const other = await inviteContact(p, { email: `other-${tag}@clinic.example`, communityId, organizationName: 'Other' }, operator, anyCommunity);
    await expectDomainError(submitOrganizationProfile(p, (await p.db.organizations.find(other.organization.id))!, profile, operator), 'san-taken');
  });

  it('stores nothing when the mail server refuses the invitation', async () => {
    const down = await openPlatform({ ...opts, smtpUrl: 'smtp://127.0.0.1:1', consoleUrl: 'http://console.test.invalid' });
    try {
      const email = `nomail-${tag}@clinic.example`;
      await expectDomainError(inviteContact(down, { email, communityId, organizationName: 'No Mail' }, operator, anyCommunity), 'mail-failed', /nothing was stored/);
      const left = (await admin.query(
        `SELECT (SELECT count(*) FROM invitation WHERE email = $1)::int AS i, (SELECT count(*) FROM organization WHERE community_id = $2 AND name = 'No Mail')::int AS o,
                (SELECT count(*) FROM audit_event WHERE action = 'invitation.created' AND data->>'email' = $1)::int AS a`,
        [email, communityId],
      )).rows[0];
      expect(left).toEqual({ i: 0, o: 0, a: 0 });
    } finally {
      await down.close();
    }
  });
});
