// Recording a certification of a member app (docs/certifications.md). The certifier, an organization of
// the community holding a live udap-certifier certificate the platform issued, signs the certification
// JWT with its own key (the platform holds no certifier key) and uploads the compact JWS; the platform
// verifies it exactly as a relying party would (libs/udap, kind certification: signature, x5c path to
// the community's anchors, CRLs at every level, iss a SAN URI of x5c[0], exp at most 3 years after iat
// and not after the certifier certificate's notAfter), then checks what only the community knows: the
// certificate is a udap-certifier one of an active organization, the claims follow the template and
// name the community's status endpoint, and sub is a SAN URI of a live udap-client certificate of the
// app's organization. Only then one insert with its audit event; nothing is written on any refusal.
import { randomUUID } from 'node:crypto';
import { DbConflictError, type CertificateRecord, type CertificationRecord } from '@anchorage/db';
import { verifyUdapJwt } from '@anchorage/udap';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError, notFound } from '../errors';
import { appOrganization, checkCertifiedApp } from './certified-app';
import { communityTrust } from '../community-trust';
import { templateProblems } from './template-conformance';

/** A certification to record: the template it follows, the certified app's organization, and the JWT. */
export interface RecordCertificationInput {
  templateId: string;
  /** The certified app's organization: `sub` must be one of its client URIs. */
  organizationId: string;
  /** The compact JWS the certifier signed. */
  jwt: string;
}

/** Longest certification accepted: a chain of three RSA-4096 certificates and the claims fit well within. */
export const MAX_CERTIFICATION_JWT_LENGTH = 65_536;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const refused = (message: string, problems: string[] = []) =>
  new DomainError('certification-invalid', problems.length ? `${message}: ${problems.join('; ')}` : message, { problems });

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

/** The platform-issued certificate that is x5c[0] (found by the SAN URI iss, compared byte for byte). */
async function certifierCertificate(deps: Pick<AuthorityDeps, 'db'>, communityId: string, iss: string, leaf: Uint8Array): Promise<CertificateRecord> {
  const page = await deps.db.certificates.list({ san: iss, communityIds: [communityId] }, 0, 1000);
  const cert = page.items.find((c) => c.der && sameBytes(c.der, leaf));
  if (!cert) throw refused(`x5c[0] is not a certificate this platform issued in the community for ${iss}`);
  if (cert.profile !== 'udap-certifier') {
    throw refused(`x5c[0] is a ${cert.profile} certificate; certifications are signed with a udap-certifier certificate (docs/certifications.md)`);
  }
  if (cert.status !== 'issued') throw refused(`the certifier certificate ${cert.id} is ${cert.status}`);
  return cert;
}

/** Records a certification of a member app after verifying it (see the file comment). */
export async function recordCertification(
  deps: Pick<AuthorityDeps, 'db' | 'clock' | 'urls' | 'repository'>, input: RecordCertificationInput, actor: Actor,
): Promise<CertificationRecord> {
  if (typeof input.jwt !== 'string' || input.jwt.length > MAX_CERTIFICATION_JWT_LENGTH || !COMPACT_JWS.test(input.jwt)) {
    throw new DomainError('validation', `jwt must be a compact JWS (header.payload.signature, base64url) of at most ${MAX_CERTIFICATION_JWT_LENGTH} characters`,
      { errors: [{ field: 'jwt', message: 'must be a compact JWS' }] });
  }
  const template = await deps.db.certifications.findTemplate(input.templateId);
  if (!template) throw notFound('certification template', input.templateId);
  const communityId = template.communityId;
  const app = await appOrganization(deps, communityId, input.organizationId);

  const now = deps.clock.now();
  const verdict = await verifyUdapJwt(input.jwt, (await communityTrust(deps, communityId)).trust, { kind: 'certification', now });
  if (!verdict.valid || !verdict.claims || !verdict.chain) {
    const errors = verdict.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} (${f.section}): ${f.message}`);
    throw refused('the certification does not verify as a relying party checks it', errors);
  }
  const claims = verdict.claims;
  const iss = claims.iss as string;
  const sub = claims.sub as string;
  const jti = claims.jti as string;
  const certifier = await certifierCertificate(deps, communityId, iss, verdict.chain[0]);
  // a member records only what its own certifier certificate signed; operators record for any certifier
  if (actor.role === 'member-admin' && actor.organizationId !== certifier.organizationId) {
    throw new DomainError('forbidden', 'a member records only certifications signed with its own organization\'s certifier certificate');
  }
  const certifierOrg = await deps.db.organizations.find(certifier.organizationId);
  if (certifierOrg?.status !== 'active') throw refused(`the certifier organization ${certifier.organizationId} is not active`);

  const problems = templateProblems(claims, template, deps.urls.certificationStatus(communityId));
  if (problems.length) throw refused(`the certification does not follow the template "${template.name}"`, problems);
  const exp = new Date((claims.exp as number) * 1000);
  // libs/udap refuses this too (certification-outlives-certificate); the record must never say otherwise
  if (exp > certifier.notAfter) throw refused(`exp ${exp.toISOString()} is after the certifier certificate's notAfter ${certifier.notAfter.toISOString()}`);

  // sub: a client URI of the app, i.e. a SAN URI of a live udap-client certificate of its organization
  await checkCertifiedApp(deps, app, sub, now);

  const id = randomUUID();
  try {
    const recorded = await deps.db.transaction((tx) => tx.certifications.create({
      id, communityId, templateId: template.id, jti, iss, sub, organizationId: app.id, certifierCertificateId: certifier.id, certifierSerial: certifier.serial,
      certifierOrganizationId: certifier.organizationId, iat: new Date((claims.iat as number) * 1000), exp, jwt: input.jwt, createdBy: actor.id,
    }, {
      at: now, actor: actor.id, action: 'certification.recorded', subjectType: 'certification', subjectId: id,
      data: { communityId, templateId: template.id, jti, iss, sub, organizationId: app.id, certifierCertificateId: certifier.id, exp: exp.toISOString() },
    }));
    // the status endpoint answers for it at once here, and on the other instances through the notification
    deps.repository.communityChanged(communityId, { certifications: true });
    return recorded;
  } catch (err) {
    if (err instanceof DbConflictError) throw new DomainError('conflict', err.message, err.details);
    throw err;
  }
}
