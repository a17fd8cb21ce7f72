import { createHash } from 'node:crypto';
import { parseCsr, type ParsedCsr } from '@anchorage/pki';
import type { Actor, AuthorityDeps } from './deps';
import {
  findRepeat, issueForKey, pkiToDomain, validateIssuanceBasics, withIssuanceContext, type IssuedCertificate,
} from './issuance';

export { activeIssuingCa, type IssuedCertificate } from './issuance';

/** A request to issue a leaf certificate from a PKCS#10 CSR. */
export interface IssueCertificateInput {
  organizationId: string;
  profile: string;
  /** PEM or DER PKCS#10. */
  csr: string | Uint8Array;
  /** SAN URIs to certify; defaults to those the CSR requests. */
  sanUris?: string[];
  validityDays?: number;
  /** Client-supplied idempotency key: repeating a request returns the same certificate. */
  requestId?: string;
}

function fingerprint(input: IssueCertificateInput, csrDer: Uint8Array): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([input.organizationId, input.profile, input.sanUris ?? null, input.validityDays ?? null]));
  h.update(csrDer);
  return h.digest('hex');
}

/**
 * Issues a leaf certificate from a CSR: verify the CSR (its self-signature proves possession of the
 * key), then the shared issuance pipeline (key policy, SAN rules, prepare, lint, intent, sign,
 * store). Idempotent under `requestId`. Any refusal leaves nothing behind.
 */
export async function issueCertificate(deps: AuthorityDeps, input: IssueCertificateInput, actor: Actor): Promise<IssuedCertificate> {
  const { profile, requestKey } = validateIssuanceBasics(input, actor);
  const csr: ParsedCsr = await parseCsr(input.csr).catch(pkiToDomain);
  const requestFingerprint = fingerprint(input, csr.der);
  const repeat = await findRepeat(deps, requestKey, requestFingerprint, actor);
  if (repeat) return repeat;
  return withIssuanceContext(deps, input.organizationId, (ctx) => issueForKey(deps, ctx, {
    profile, spkiDer: csr.spkiDer, sanUris: input.sanUris ?? csr.sanUris, validityDays: input.validityDays,
    requestKey, requestFingerprint, keySource: { csrSha256: csr.sha256 },
  }, actor));
}
