// Checks one monitored endpoint (docs/conformance.md) and records the result:
//
// 1. GET {baseURL}/.well-known/udap?community={community URI} through the outbound guard (its deadline,
//    size limit, no redirects, SSRF rules); anything but a 200 with a JSON object is a finding;
// 2. the required elements of UDAP STU2 §2.2 (metadata-rules.ts);
// 3. signed_metadata verified with libs/udap the way a relying party of this community does: RS256, the
//    x5c path to the community's anchors, CRLs at every level, iss = sub = the base URL byte for byte
//    (a SAN URI of x5c[0]), the signed endpoints equal to the unsigned ones;
// 4. x5c[0] must be a certificate this platform issued, in this community, to this organization, as a
//    udap-server certificate, and still live by the platform's records; one that expires within 30
//    days is a warning.
//
// Then, in one transaction under the endpoint's row lock: the check is appended to the history, the
// endpoint's state follows it (unless a check that started later was recorded first), and a passing
// endpoint that now fails gets one alert, whose delivery job is written to the outbox with it.
// Bad input from the server (malformed or huge metadata, a slow server, redirects) is a finding of a
// recorded check, never an exception: only the platform failing to record throws.
import { randomUUID } from 'node:crypto';
import { CONFORMANCE_FINDINGS, OUTBOUND_FAILURES, type ConformanceFindingCode, type ConformanceTrigger } from '@anchorage/contracts';
import type { CaRecord, ConformanceAlertRecord, ConformanceCheckRecord, ConformanceEndpointRecord, StoredConformanceFinding } from '@anchorage/db';
import { CONFORMANCE_ALERT, outboxEntry } from '@anchorage/jobs';
import { bytesEqual, readCertificateParts, toHex, type CertificateParts } from '@anchorage/pki';
import { verifyUdapJwt } from '@anchorage/udap';
import type { Actor, AuthorityDeps } from '../deps';
import { notFound } from '../errors';
import { OutboundError } from '../outbound-http';
import { communityTrust } from '../community-trust';
import { checkRequiredMetadata } from './metadata-rules';
import { udapMetadataUrl } from './metadata-url';

/** A certificate signing metadata this close to its notAfter is a warning. */
export const SIGNER_EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/** What a check found, before it is recorded. */
export interface EndpointInspection {
  checkedAt: Date;
  status: 'passing' | 'failing';
  findings: StoredConformanceFinding[];
  httpStatus: number | null;
  signerSerial: string | null;
  signerCertificateId: string | null;
  durationMs: number;
}

/** A recorded check: the endpoint's state after it, the check, and the alert it raised, if any. */
export interface EndpointCheckOutcome {
  endpoint: ConformanceEndpointRecord;
  check: ConformanceCheckRecord;
  alert: ConformanceAlertRecord | null;
}

type Deps = Pick<AuthorityDeps, 'db' | 'clock' | 'urls' | 'outbound' | 'conformanceFetch'>;

const own = (code: ConformanceFindingCode, section: string, message: string = CONFORMANCE_FINDINGS[code], extra: Partial<StoredConformanceFinding> = {}): StoredConformanceFinding => ({
  code, severity: code === 'signer-expiring' || code === 'metadata-content-type' ? 'warning' : 'error', section, message, ...extra,
});

/** Most findings a check keeps, and the longest message: what a server sends never makes a check's record large. */
const MAX_FINDINGS = 50;
const MAX_MESSAGE = 500;

function bounded(findings: StoredConformanceFinding[]): StoredConformanceFinding[] {
  const kept = findings.slice(0, MAX_FINDINGS).map((f) => ({
    ...f, message: f.message.length > MAX_MESSAGE ? `${f.message.slice(0, MAX_MESSAGE)}…` : f.message, ...(f.claim !== undefined ? { claim: f.claim.slice(0, 200) } : {}),
  }));
  if (findings.length > MAX_FINDINGS) {
    const errors = findings.slice(MAX_FINDINGS).filter((f) => f.severity === 'error').length;
    kept.push({ code: 'metadata-field-invalid', severity: errors ? 'error' : 'warning', section: 'UDAP STU2 §2.2', message: `${findings.length - MAX_FINDINGS} more findings not kept` });
  }
  return kept;
}

/** Fetches and judges the endpoint's metadata (steps 1-4 of the file comment); records nothing. */
export async function inspectEndpoint(deps: Deps, endpoint: ConformanceEndpointRecord, communityUri: string): Promise<EndpointInspection> {
  const checkedAt = deps.clock.now();
  const t0 = process.hrtime.bigint();
  const findings: StoredConformanceFinding[] = [];
  let httpStatus: number | null = null;
  let signerSerial: string | null = null;
  let signerCertificateId: string | null = null;
  const url = udapMetadataUrl(endpoint.baseUrl, communityUri);
  const limits = deps.conformanceFetch ?? { timeoutMs: 10_000, maxBytes: 256 * 1024 };

  let body: string | null = null;
  try {
    const res = await deps.outbound.request({
      method: 'GET', url, headers: { accept: 'application/json', 'user-agent': 'Anchorage conformance monitor' }, timeoutMs: limits.timeoutMs, maxBytes: limits.maxBytes,
    });
    httpStatus = res.status;
    if (res.status >= 300 && res.status < 400) throw deps.outbound.fail('redirect', `GET ${url} answered HTTP ${res.status}`);
    if (res.status === 404) findings.push(own('udap-not-supported', 'UDAP STU2 §2.1'));
    else if (res.status === 204) findings.push(own('community-not-supported', 'UDAP STU2 §2.4'));
    else if (res.status !== 200) throw deps.outbound.fail('http-status', `GET ${url} answered HTTP ${res.status}`);
    else {
      body = res.body;
      if (!/^application\/([a-z0-9.+-]*\+)?json\b/i.test(res.contentType ?? '')) findings.push(own('metadata-content-type', 'UDAP STU2 §2.1; RFC 8259 §11'));
    }
  } catch (err) {
    if (!(err instanceof OutboundError)) throw err;
    const message = err.code === 'http-status' ? `The server answered HTTP ${httpStatus}; the metadata must be served with 200.` : OUTBOUND_FAILURES[err.code];
    findings.push({ code: err.code, severity: 'error', section: 'UDAP STU2 §2.1', message });
  }

  if (body !== null) {
    let metadata: unknown;
    let parsed = false;
    try {
      metadata = JSON.parse(body);
      parsed = true;
    } catch {
      findings.push(own('metadata-not-json', 'UDAP STU2 §2.1; RFC 8259'));
    }
    if (parsed && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) findings.push(own('metadata-not-object', 'UDAP STU2 §2.1'));
    else if (parsed) {
      const m = metadata as Record<string, unknown>;
      findings.push(...checkRequiredMetadata(m));
      if (typeof m.signed_metadata !== 'string') {
        if (m.signed_metadata === undefined) findings.push(own('signed-metadata-missing', 'UDAP STU2 §2.2, §2.3', undefined, { claim: 'signed_metadata' }));
      } else {
        const signer = await verifySignedMetadata(deps, endpoint, m, m.signed_metadata, checkedAt, findings);
        signerSerial = signer.serial;
        signerCertificateId = signer.certificateId;
      }
    }
  }
  const durationMs = Number((process.hrtime.bigint() - t0) / 1_000_000n);
  const status = findings.some((f) => f.severity === 'error') ? 'failing' : 'passing';
  return { checkedAt, status, findings: bounded(findings), httpStatus, signerSerial, signerCertificateId, durationMs };
}

async function verifySignedMetadata(
  deps: Deps, endpoint: ConformanceEndpointRecord, m: Record<string, unknown>, jwt: string, now: Date, findings: StoredConformanceFinding[],
): Promise<{ serial: string | null; certificateId: string | null }> {
  const { trust, cas } = await communityTrust(deps, endpoint.communityId);
  let verification;
  try {
    verification = await verifyUdapJwt(jwt, trust, { kind: 'signed-metadata', now, expected: { iss: endpoint.baseUrl, unsignedMetadata: m } });
  } catch (err) {
    deps.outbound.fail('bad-response', `verifying signed_metadata of ${endpoint.baseUrl} threw: ${(err as Error).message}`);
    findings.push(own('verifier-error', 'UDAP STU2 §2.3'));
    return { serial: null, certificateId: null };
  }
  for (const f of verification.findings) {
    // without an expected iss the verifier warns; the monitor always gives one
    findings.push({ code: f.code, severity: f.severity, section: f.section, message: f.message, ...(f.claim ? { claim: f.claim } : {}), ...(f.depth !== undefined ? { depth: f.depth } : {}) });
  }
  const x5c0 = verification.header?.x5c?.[0];
  if (typeof x5c0 !== 'string') return { serial: null, certificateId: null };
  const der = new Uint8Array(Buffer.from(x5c0, 'base64'));
  let parts: CertificateParts;
  try {
    parts = readCertificateParts(der);
  } catch {
    return { serial: null, certificateId: null }; // the verifier reported x5c-not-certificate
  }
  const serialHex = toHex(parts.serial).toLowerCase();
  const serial = serialHex.length > 0 && serialHex.length <= 64 ? serialHex : null;
  const section = 'UDAP STU2 §2.3; community membership';
  // the community's own issuers first; every other CA of the platform only when none of them issued it
  const findCertificate = async (candidates: CaRecord[]) => {
    for (const ca of candidates.filter((x) => bytesEqual(x.subjectDer, parts.issuerDer))) {
      const cert = await deps.db.certificates.findBySerial(ca.id, parts.serial);
      if (cert?.der && bytesEqual(cert.der, der)) return { ca, cert };
    }
    return null;
  };
  const found = (await findCertificate(cas)) ?? (await findCertificate((await deps.db.cas.list()).filter((x) => x.communityId !== endpoint.communityId)));
  if (found) {
    const { ca, cert } = found;
    if (ca.communityId !== endpoint.communityId) {
      findings.push(own('signer-other-community', section, `signed_metadata is signed with certificate ${serial} this platform issued in another community, not in the one this endpoint is a member of`, { depth: 0 }));
      return { serial, certificateId: cert.id };
    }
    if (cert.organizationId !== endpoint.organizationId) {
      findings.push(own('signer-other-organization', section, `signed_metadata is signed with certificate ${serial}, which belongs to another organization of the community`, { depth: 0 }));
    }
    if (cert.profile !== 'udap-server') {
      findings.push(own('signer-wrong-profile', section, `signed_metadata is signed with a ${cert.profile} certificate (${serial}); a server signs with its udap-server certificate`, { depth: 0 }));
    }
    if (cert.status !== 'issued' && !findings.some((f) => f.code === 'revoked' && f.depth === 0)) {
      // revoked by the platform and not on the CRL the verifier read yet
      findings.push(own('signer-not-live', section, `certificate ${serial} is ${cert.status === 'on-hold' ? 'on hold' : 'revoked'} by the platform since ${cert.revokedAt?.toISOString() ?? 'an unknown time'}`, { depth: 0 }));
    } else if (cert.status === 'issued' && cert.notAfter.getTime() > now.getTime() && cert.notAfter.getTime() - now.getTime() <= SIGNER_EXPIRY_WARNING_DAYS * DAY_MS) {
      const days = Math.ceil((cert.notAfter.getTime() - now.getTime()) / DAY_MS);
      findings.push(own('signer-expiring', section, `certificate ${serial} that signs signed_metadata expires in ${days} day${days === 1 ? '' : 's'} (${cert.notAfter.toISOString()}): renew it and sign with the new one`, { depth: 0 }));
    }
    return { serial, certificateId: cert.id };
  }
  findings.push(own('signer-not-platform-certificate', section, undefined, { depth: 0 }));
  return { serial, certificateId: null };
}

/**
 * Records `inspection` as a check of the endpoint (see the file comment); returns the endpoint's state,
 * the check and the alert raised, if any.
 */
export async function recordEndpointCheck(
  deps: Pick<AuthorityDeps, 'db' | 'clock'>, endpointId: string, inspection: EndpointInspection, o: { trigger: ConformanceTrigger; actor: Actor },
): Promise<EndpointCheckOutcome> {
  return deps.db.transaction(async (tx) => {
    const before = await tx.conformance.lock(endpointId);
    if (!before) throw notFound('conformance endpoint', endpointId);
    const check: ConformanceCheckRecord = {
      id: randomUUID(), endpointId, checkedAt: inspection.checkedAt, status: inspection.status, trigger: o.trigger, requestedBy: o.actor.id,
      findings: inspection.findings, signerSerial: inspection.signerSerial, signerCertificateId: inspection.signerCertificateId,
      durationMs: inspection.durationMs, httpStatus: inspection.httpStatus,
    };
    await tx.conformance.recordCheck(check);
    // a check that started before the one the state shows is history only
    if (before.lastCheckedAt && before.lastCheckedAt.getTime() > inspection.checkedAt.getTime()) return { endpoint: before, check, alert: null };
    const failing = inspection.status === 'failing';
    const endpoint = await tx.conformance.setState(endpointId, {
      status: inspection.status,
      statusSince: before.status === inspection.status ? before.statusSince : inspection.checkedAt,
      lastCheckedAt: inspection.checkedAt,
      lastPassingAt: failing ? before.lastPassingAt : inspection.checkedAt,
      lastCheckId: check.id,
      consecutiveFailures: failing ? before.consecutiveFailures + 1 : 0,
    });
    const at = deps.clock.now();
    let alert: ConformanceAlertRecord | null = null;
    if (before.status === 'passing' && failing) {
      const codes = [...new Set(inspection.findings.filter((f) => f.severity === 'error').map((f) => f.code))];
      alert = await tx.conformance.createAlert({
        id: randomUUID(), endpointId, checkId: check.id, organizationId: before.organizationId, communityId: before.communityId, baseUrl: before.baseUrl,
        codes, lastPassingAt: before.lastPassingAt, createdAt: at,
      });
      await tx.outbox.enqueue(outboxEntry(CONFORMANCE_ALERT, { alertId: alert.id, organizationId: before.organizationId }));
    }
    if (before.status !== inspection.status || o.trigger === 'on-demand') {
      await tx.audit.append({
        at, actor: o.actor.id, action: before.status !== inspection.status ? `endpoint.conformance-${inspection.status}` : 'endpoint.conformance-checked',
        subjectType: 'organization', subjectId: before.organizationId,
        data: { endpointId, baseUrl: before.baseUrl, checkId: check.id, trigger: o.trigger, from: before.status, to: inspection.status, ...(alert ? { alertId: alert.id } : {}) },
      });
    }
    return { endpoint, check, alert };
  });
}

/** Checks one monitored endpoint now and records the result (see the file comment). */
export async function checkConformanceEndpoint(deps: Deps, endpointId: string, o: { trigger: ConformanceTrigger; actor: Actor }): Promise<EndpointCheckOutcome> {
  const endpoint = await deps.db.conformance.find(endpointId);
  if (!endpoint) throw notFound('conformance endpoint', endpointId);
  const community = await deps.db.communities.find(endpoint.communityId);
  if (!community) throw notFound('community', endpoint.communityId);
  return recordEndpointCheck(deps, endpointId, await inspectEndpoint(deps, endpoint, community.uri), o);
}
