// The platform issues a certification of a member app with a platform certifier (docs/certifications.md):
// the claims are built from the template (certification_name, _uris, _logo, _description, is_endorsement,
// the status endpoint) and the request (sub, grants within the template's, app claims); iat now, exp at
// most 3 years later and never after the certifier certificate's notAfter; x5c the certifier certificate
// and its issuing CA. The app is checked first (active member, sub a client URI with a live udap-client
// certificate), then the signer signs the signing input under its certification purpose (audited before
// and after), then the JWT is recorded exactly as an uploaded one is (recordCertification verifies it as
// a relying party would). A crash between signature and record leaves a JWT nobody holds and whose
// status answers false: its jti was never recorded.
import { randomUUID } from 'node:crypto';
import { CERTIFICATION_MAX_YEARS } from '@anchorage/contracts';
import type { CertificationRecord } from '@anchorage/db';
import { x5c } from '@anchorage/pki';
import { signatureAudit } from '../audit';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError, notFound } from '../errors';
import { signerToDomain } from '../sign';
import { appOrganization, checkCertifiedApp } from './certified-app';
import { recordCertification } from './record-certification';
import { templateProblems } from './template-conformance';

/** A certification to issue with a platform certifier. */
export interface IssueCertificationInput {
  certifierId: string;
  templateId: string;
  /** The certified app's organization. */
  organizationId: string;
  /** The app's client URI. */
  sub: string;
  /** Days until exp (default 365; at most 3 years, and never past the certifier certificate). */
  validityDays?: number;
  /** grant_types (default: the template's); within the template's. */
  grantTypes?: string[];
  /** response_types (default: the template's when grantTypes include authorization_code). */
  responseTypes?: string[];
  /** scope (space-separated). */
  scope?: string;
  /** exchange_purposes (default: the template's). */
  exchangePurposes?: string[];
  /** The app's own claims (client_name, developer_name, software_id, ...), as the certification states them. */
  appClaims?: Record<string, string | string[]>;
}

/** App claims a request may set (udap.org Certifications and Endorsements claims table). */
const APP_CLAIMS: ReadonlySet<string> = new Set([
  'developer_name', 'client_name', 'software_id', 'software_version', 'client_uri', 'logo_uri', 'tos_uri', 'policy_uri', 'contacts', 'launch_uri',
  'redirect_uris', 'ip_allowed', 'token_endpoint_auth_method', 'jwks_uri',
]);
const DAY = 86_400;
/** A certification's lifetime when validityDays is not given (shortened to the certifier certificate's notAfter). */
const DEFAULT_CERTIFICATION_DAYS = 365;

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function appClaimsOf(claims: IssueCertificationInput['appClaims']): Record<string, string | string[]> {
  if (claims === undefined) return {};
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(claims)) {
    if (!APP_CLAIMS.has(k)) throw new DomainError('validation', `appClaims.${k} is not a claim a certification states about the app (${[...APP_CLAIMS].join(', ')})`);
    out[k] = v;
  }
  return out;
}

/** Issues and records a certification signed by a platform certifier (see the file comment). */
export async function issueCertification(deps: AuthorityDeps, input: IssueCertificationInput, actor: Actor): Promise<CertificationRecord> {
  if (actor.role !== 'operator' && actor.role !== 'system') throw new DomainError('forbidden', 'only an operator issues a certification with a platform certifier');
  const certifier = await deps.db.certifications.findCertifier(input.certifierId);
  if (!certifier) throw notFound('platform certifier', input.certifierId);
  const template = await deps.db.certifications.findTemplate(input.templateId);
  if (!template || template.communityId !== certifier.communityId) throw notFound('certification template', input.templateId);
  const cert = await deps.db.certificates.find(certifier.certificateId);
  if (!cert?.der || cert.status !== 'issued') throw new DomainError('certification-invalid', `the certifier's certificate ${certifier.certificateId} is ${cert?.status ?? 'missing'}`, { problems: [] });
  const issuer = await deps.db.cas.find(cert.issuerId);
  const now = deps.clock.now();
  const app = await appOrganization(deps, certifier.communityId, input.organizationId);
  if (typeof input.sub !== 'string' || !input.sub) throw new DomainError('validation', 'sub is required: the app\'s client URI', { errors: [{ field: 'sub', message: 'is required' }] });
  await checkCertifiedApp(deps, app, input.sub, now);

  const days = input.validityDays;
  if (days !== undefined && (!Number.isSafeInteger(days) || days < 1 || days > CERTIFICATION_MAX_YEARS * 365)) {
    throw new DomainError('validation', `validityDays must be a whole number from 1 to ${CERTIFICATION_MAX_YEARS * 365} (udap.org Certifications and Endorsements §1: at most 3 years)`,
      { errors: [{ field: 'validityDays', message: 'out of range' }] });
  }
  const iat = Math.floor(now.getTime() / 1000);
  const certifierEnd = Math.floor(cert.notAfter.getTime() / 1000);
  // without validityDays: a year, or up to the certifier certificate's notAfter when that comes sooner
  // (a certifier's certificate of a year ends less than a year after any certification it signs)
  const exp = days === undefined ? Math.min(iat + DEFAULT_CERTIFICATION_DAYS * DAY, certifierEnd) : iat + days * DAY;
  if (exp > certifierEnd) {
    throw new DomainError('certification-invalid', `exp ${new Date(exp * 1000).toISOString()} would be after the certifier certificate's notAfter ${cert.notAfter.toISOString()}; ask for fewer days`, { problems: [] });
  }
  if (exp <= iat) throw new DomainError('certification-invalid', `the certifier certificate's notAfter ${cert.notAfter.toISOString()} has passed`, { problems: [] });
  const grantTypes = input.grantTypes ?? template.grantTypes;
  const responseTypes = input.responseTypes ?? (grantTypes.includes('authorization_code') ? template.responseTypes : undefined);
  const exchangePurposes = input.exchangePurposes ?? (template.exchangePurposes.length ? template.exchangePurposes : undefined);
  const jti = randomUUID();
  const claims = {
    iss: cert.sanUris[0], sub: input.sub, iat, exp, jti,
    certification_name: template.name, certification_uris: template.uris,
    ...(template.logoUri ? { certification_logo: template.logoUri } : {}),
    ...(template.description ? { certification_description: template.description } : {}),
    certification_status_endpoint: deps.urls.certificationStatus(certifier.communityId),
    is_endorsement: template.isEndorsement,
    ...appClaimsOf(input.appClaims),
    grant_types: grantTypes,
    ...(responseTypes?.length ? { response_types: responseTypes } : {}),
    ...(input.scope !== undefined ? { scope: input.scope } : {}),
    ...(exchangePurposes ? { exchange_purposes: exchangePurposes } : {}),
  };
  // what the record would refuse is refused before anything is signed
  const problems = templateProblems(claims, template, deps.urls.certificationStatus(certifier.communityId));
  if (problems.length) throw new DomainError('certification-invalid', `the certification would not follow the template "${template.name}": ${problems.join('; ')}`, { problems });
  const header = { alg: 'RS256', x5c: x5c([cert.der, ...(issuer?.certificateDer ? [issuer.certificateDer] : [])]) };
  const signingInput = `${b64url(header)}.${b64url(claims)}`;
  const signature = await deps.signer.signTbs(
    certifier.keyRef, new Uint8Array(Buffer.from(signingInput, 'latin1')), 'sha256WithRSAEncryption',
    signatureAudit((e) => deps.db.audit.append(e), deps.clock, actor), { purpose: 'certification', subject: `certification ${jti}` },
  ).catch(signerToDomain);
  const jwt = `${signingInput}.${Buffer.from(signature).toString('base64url')}`;
  return recordCertification(deps, { templateId: template.id, organizationId: app.id, jwt }, actor);
}
