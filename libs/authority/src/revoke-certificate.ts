import {
  OPERATOR_REASONS, RevocationReason, SUBSCRIBER_REASONS, isRevocationReasonName, type RevocationReasonName,
} from '@anchorage/contracts';
import type { CertificateRecord } from '@anchorage/db';
import { encodeCrlEntry } from '@anchorage/pki';
import type { Actor, AuthorityDeps } from './deps';
import { DomainError, notFound } from './errors';
import { generateCrl, type CrlOutcome } from './generate-crl';

/** Which certificate to revoke: by id, or by issuing CA and hex serial. */
export type CertificateLocator = { certificateId: string } | { caId: string; serialHex: string };

/** A revocation request. */
export interface RevokeInput {
  certificate: CertificateLocator;
  reason: string;
  /** RFC 5280 §5.3.2: when the key is known or suspected to have been compromised. */
  invalidityDate?: string;
}

/** The revoked certificate and the CRL that lists it. */
export interface Revocation {
  certificate: CertificateRecord;
  crl: CrlOutcome['crl'];
}

/** Finds a certificate by id or by issuer and serial. */
export async function locateCertificate(deps: AuthorityDeps, loc: CertificateLocator): Promise<CertificateRecord> {
  if ('certificateId' in loc) {
    const c = await deps.db.certificates.find(loc.certificateId);
    if (!c) throw notFound('certificate', loc.certificateId);
    return c;
  }
  if (!/^([0-9a-fA-F]{2}){1,20}$/.test(loc.serialHex)) throw new DomainError('validation', 'serial must be hexadecimal (1 to 20 octets)');
  const c = await deps.db.certificates.findBySerial(loc.caId, Buffer.from(loc.serialHex, 'hex'));
  if (!c) throw notFound('certificate with serial', `${loc.serialHex} of CA ${loc.caId}`);
  return c;
}

/** Validates a reason against the allow-list of the actor's role; unknown reasons are errors. */
export function allowedReason(reason: string, actor: Actor): RevocationReasonName {
  if (!isRevocationReasonName(reason)) {
    throw new DomainError('validation', `unknown revocation reason "${reason}"; use one of ${OPERATOR_REASONS.join(', ')}`);
  }
  // a member admin revokes as its organization, the subscriber (RFC 5280 §5.3.1 reasons it may claim)
  const allowed = actor.role === 'subscriber' || actor.role === 'member-admin' ? SUBSCRIBER_REASONS : OPERATOR_REASONS;
  if (!allowed.includes(reason)) {
    throw new DomainError('reason-not-allowed', `reason "${reason}" may not be set by a ${actor.role}; allowed: ${allowed.join(', ')}`);
  }
  return reason;
}

function parseInvalidityDate(v: string | undefined, now: Date): Date | null {
  if (v === undefined) return null;
  const d = new Date(v);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(v)) throw new DomainError('validation', 'invalidityDate must be an ISO 8601 date-time');
  if (d.getTime() > now.getTime()) throw new DomainError('validation', 'invalidityDate cannot be in the future');
  return d;
}

/**
 * Revokes a certificate (or puts it on hold) and publishes: when this resolves, the CRL served
 * at the certificate's CDP already lists the serial. The revocation commits first, so it is never
 * lost; the CRL generation that follows is coalesced with concurrent ones (see generateCrl).
 */
export async function revokeCertificate(deps: AuthorityDeps, input: RevokeInput, actor: Actor): Promise<Revocation> {
  const reason = allowedReason(input.reason, actor);
  const now = deps.clock.now();
  const invalidityDate = parseInvalidityDate(input.invalidityDate, now);
  const target = await locateCertificate(deps, input.certificate);
  const code = RevocationReason[reason];
  const revoked = await deps.db.transaction(async (tx): Promise<CertificateRecord | Retried> => {
    const c = await tx.certificates.lock(target.id);
    if (!c) throw notFound('certificate', target.id);
    if (c.status === 'pending') throw new DomainError('validation', `certificate ${c.id} was never issued`);
    if (c.status === 'revoked' || (c.status === 'on-hold' && reason === 'certificateHold')) {
      // A revocation committed but on no CRL yet (the process died, or signing failed, before the CRL
      // was stored): the retry drives it forward instead of refusing, so the client's retry is what
      // gets the serial onto the CRL (idempotent when the reason is the one recorded).
      if (!c.revocationPublished) return { retried: c, sameReason: c.revocationReason === code };
      const since = c.status === 'revoked' ? `revoked (since ${c.revokedAt!.toISOString()})` : 'on hold';
      throw new DomainError('already-revoked', `certificate ${Buffer.from(c.serial).toString('hex')} is already ${since}`);
    }
    // RFC 5280 §5.3.1: a held certificate may be revoked for good with another reason; the
    // revocation date stays the date of the hold.
    const revokedAt = c.status === 'on-hold' ? c.revokedAt! : now;
    // The CRL entry is encoded once, here, and concatenated by every later CRL (generate-crl.ts);
    // a hold revoked for good gets a new entry with the new reason (RFC 5280 §5.3.1).
    const crlEntryDer = encodeCrlEntry(c.serial, revokedAt, code, invalidityDate ?? undefined);
    const rec = await tx.certificates.markRevoked(c.id, { revokedAt, reason: code, invalidityDate, crlEntryDer });
    await tx.audit.append({
      at: now, actor: actor.id, action: reason === 'certificateHold' ? 'certificate.held' : 'certificate.revoked', subjectType: 'certificate', subjectId: c.id,
      data: { issuerId: c.issuerId, serial: Buffer.from(c.serial).toString('hex'), reason, invalidityDate: invalidityDate?.toISOString() ?? null, actorRole: actor.role },
    });
    return rec;
  });
  if ('retried' in revoked) {
    const published = await publishOrExplain(deps, revoked.retried, actor);
    const c = revoked.retried;
    if (!revoked.sameReason) {
      throw new DomainError('already-revoked', `certificate ${Buffer.from(c.serial).toString('hex')} is already ${c.status === 'revoked' ? 'revoked' : 'on hold'} with reason code ${c.revocationReason}; that revocation is now on CRL ${published.crl.crlNumber}`);
    }
    return { certificate: c, crl: published.crl };
  }
  const published = await publishOrExplain(deps, revoked, actor);
  return { certificate: revoked, crl: published.crl };
}

/** A retried change that was committed before but is on no CRL yet. */
interface Retried {
  retried: CertificateRecord;
  sameReason: boolean;
}

/** Releases a certificate from hold (operators only); the next CRL no longer lists it. */
export async function releaseHold(deps: AuthorityDeps, loc: CertificateLocator, actor: Actor): Promise<Revocation> {
  if (actor.role !== 'operator') throw new DomainError('reason-not-allowed', 'only an operator may release a hold');
  const target = await locateCertificate(deps, loc);
  const released = await deps.db.transaction(async (tx) => {
    const c = await tx.certificates.lock(target.id);
    // a release committed but on no CRL yet: the retry publishes it (idempotent, as for revocations)
    if (c && c.status === 'issued' && !c.revocationPublished) return c;
    if (!c || c.status !== 'on-hold') throw new DomainError('not-revoked', `certificate ${target.id} is not on hold`);
    const rec = await tx.certificates.releaseHold(c.id);
    await tx.audit.append({
      at: deps.clock.now(), actor: actor.id, action: 'certificate.hold-released', subjectType: 'certificate', subjectId: c.id,
      data: { issuerId: c.issuerId, serial: Buffer.from(c.serial).toString('hex') },
    });
    return rec;
  });
  const published = await publishOrExplain(deps, released, actor);
  return { certificate: released, crl: published.crl };
}

async function publishOrExplain(deps: AuthorityDeps, c: CertificateRecord, actor: Actor): Promise<CrlOutcome> {
  try {
    return await generateCrl(deps, c.issuerId, actor, { unlessPublished: c.id });
  } catch (err) {
    throw new DomainError(
      'publication-failed',
      `the change to certificate ${Buffer.from(c.serial).toString('hex')} is recorded, but the CRL could not be published yet (${(err as Error).message}); the next CRL generation includes it`,
      { certificateId: c.id },
    );
  }
}
