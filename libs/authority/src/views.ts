import { createHash } from 'node:crypto';
import {
  communityWarnings, isOutboundFailure, revocationReasonName, type CaView, type CertificateView, type CommunityView, type CrlView, type ExpiryNoticeView, type OrganizationView,
} from '@anchorage/contracts';
import type { CaRecord, CertificateRecord, CommunityRecord, CrlRecord, ExpiryNoticeRecord, OrganizationRecord } from '@anchorage/db';
import { toPem, x5c } from '@anchorage/pki';
import type { PublicUrls } from './urls';

/** Community record to wire view. */
export function communityView(c: CommunityRecord, cas: CaRecord[]): CommunityView {
  return {
    id: c.id,
    uri: c.uri,
    name: c.name,
    policy: {
      allowedLeafKeyTypes: c.allowedLeafKeyTypes, maxLeafValidityDays: c.maxLeafValidityDays, crlLifetimeSeconds: c.crlLifetimeSeconds, allowGeneratedKeys: c.allowGeneratedKeys,
      requireEndpointControl: c.requireEndpointControl, autoApproveVerifiedRequests: c.autoApproveVerified, requireRsaChain: c.requireRsaChain,
    },
    rootCaId: cas.find((a) => a.role === 'root')?.id ?? null,
    issuingCaId: cas.find((a) => a.role === 'issuing' && a.status === 'active')?.id ?? null,
    warnings: communityWarnings(cas),
    exchangePurposes: c.exchangePurposes.map((x) => ({ code: x.code, display: x.display, active: x.active })),
    createdAt: c.createdAt.toISOString(),
  };
}

/** CA record to wire view (never any key material: only the signer's reference stays inside). */
export function caView(ca: CaRecord, urls: PublicUrls): CaView {
  return {
    id: ca.id,
    communityId: ca.communityId,
    role: ca.role,
    status: ca.status,
    subject: ca.subject,
    keyType: ca.keyType,
    notBefore: ca.notBefore?.toISOString() ?? null,
    notAfter: ca.notAfter?.toISOString() ?? null,
    certificateUrl: urls.caCertificate(ca.id),
    crlUrl: urls.crl(ca.id),
    certificatePem: ca.certificateDer ? toPem(ca.certificateDer, 'CERTIFICATE') : null,
    csrPem: ca.csrDer ? toPem(ca.csrDer, 'CERTIFICATE REQUEST') : null,
    sha256: ca.certificateDer ? createHash('sha256').update(ca.certificateDer).digest('hex') : null,
    revokedAt: ca.revokedAt?.toISOString() ?? null,
  };
}

/** Organization record to wire view. */
export function organizationView(o: OrganizationRecord): OrganizationView {
  return {
    id: o.id, communityId: o.communityId, name: o.name, sanUris: o.sanUris, status: o.status, statusReason: o.statusReason, profile: o.profile,
    profileRevision: o.profileRevision, submittedAt: o.submittedAt?.toISOString() ?? null, reviewedAt: o.reviewedAt?.toISOString() ?? null, createdAt: o.createdAt.toISOString(),
    webhookUrl: o.webhookUrl,
  };
}

/** PEM and base64 of a CA certificate, encoded once per certificate (every issued leaf's chain repeats it). */
const caEncodings = new WeakMap<Uint8Array, { pem: string; base64: string }>();
function encodedCertificate(der: Uint8Array): { pem: string; base64: string } {
  let e = caEncodings.get(der);
  if (!e) {
    e = { pem: toPem(der, 'CERTIFICATE'), base64: x5c([der])[0] };
    caEncodings.set(der, e);
  }
  return e;
}

/**
 * Certificate record to the member's delivery: PEM chain, DER, x5c (leaf then intermediates), and
 * where the platform generated the key, the PKCS #12 (or why it cannot be delivered again).
 */
export function certificateView(
  c: CertificateRecord, issuer: CaRecord, urls: PublicUrls, delivery: { pkcs12?: Uint8Array; pkcs12Unavailable?: string } = {},
): CertificateView {
  const der = c.der ?? new Uint8Array();
  const intermediate = issuer.role === 'issuing' && issuer.certificateDer ? encodedCertificate(issuer.certificateDer) : null;
  const leafPem = c.der ? toPem(der, 'CERTIFICATE') : '';
  const leafBase64 = Buffer.from(der).toString('base64');
  return {
    id: c.id,
    issuerId: c.issuerId,
    organizationId: c.organizationId,
    serial: Buffer.from(c.serial).toString('hex'),
    profile: c.profile,
    status: c.status,
    subject: c.subject,
    sanUris: c.sanUris,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    revokedAt: c.revokedAt?.toISOString() ?? null,
    expiredAt: c.expiredAt?.toISOString() ?? null,
    revocationReason: c.revocationReason === null ? null : revocationReasonName(c.revocationReason),
    pem: leafPem,
    chainPem: c.der ? leafPem + (intermediate?.pem ?? '') : '',
    derBase64: leafBase64,
    x5c: c.der ? (intermediate ? [leafBase64, intermediate.base64] : [leafBase64]) : [],
    crlUrl: urls.crl(c.issuerId),
    caIssuersUrl: urls.caCertificate(c.issuerId),
    ...(delivery.pkcs12 ? { pkcs12Base64: Buffer.from(delivery.pkcs12).toString('base64') } : {}),
    ...(delivery.pkcs12Unavailable ? { pkcs12Unavailable: delivery.pkcs12Unavailable } : {}),
  };
}

/** CRL record to wire view. */
export function crlView(c: CrlRecord, urls: PublicUrls): CrlView {
  return {
    caId: c.caId,
    crlNumber: c.crlNumber.toString(),
    thisUpdate: c.thisUpdate.toISOString(),
    nextUpdate: c.nextUpdate.toISOString(),
    entryCount: c.entryCount,
    sha256: c.sha256,
    url: urls.crl(c.caId),
  };
}

/** Expiry notice record to wire view. */
export function expiryNoticeView(n: ExpiryNoticeRecord): ExpiryNoticeView {
  // a webhook error is a fixed code (deliver-notice.ts); older records held what the member's server
  // or socket said, which members are never shown
  const webhookError = n.webhookUrl !== null && n.webhookDeliveredAt === null && n.lastError !== null;
  return {
    ...n, notAfter: n.notAfter.toISOString(), createdAt: n.createdAt.toISOString(), emailSentAt: n.emailSentAt?.toISOString() ?? null,
    webhookDeliveredAt: n.webhookDeliveredAt?.toISOString() ?? null,
    lastError: webhookError && !isOutboundFailure(n.lastError) ? 'unknown' : n.lastError,
  };
}
