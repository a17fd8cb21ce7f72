// Ending an issuing CA (issue: workers). Retiring it (planned: a successor takes over) or declaring
// it compromised (its key is no longer trusted) stops issuance at once, revokes its own certificate
// on its parent's CRL, and queues the bulk revocation of everything it issued, all in one
// transaction with the job in the outbox. The CA keeps publishing CRLs (refresh-crls.ts) so its
// certificates stay checkable; relying parties that check the root's CRL reject the whole branch.
import { randomUUID } from 'node:crypto';
import { RevocationReason, type RevocationReasonName } from '@anchorage/contracts';
import type { BulkRevocationRecord, CaRecord } from '@anchorage/db';
import { encodeCrlEntry, readCertificateParts } from '@anchorage/pki';
import { bulkReason, queueBulkRevocation } from './bulk-revocation';
import type { Actor, AuthorityDeps } from './deps';
import { DomainError, notFound } from './errors';
import { isExternalCa } from './external-ca';
import { generateCrl } from './generate-crl';

/** What ending an issuing CA asks for. */
export interface EndIssuingCaInput {
  /** 'compromised': cACompromise for the CA and every certificate; 'retired': cessationOfOperation or superseded. */
  as: 'retired' | 'compromised';
  /** Why, in words (audit log). */
  reason: unknown;
  /** For a retirement: superseded or cessationOfOperation (default). */
  revocationReason?: unknown;
}

/** The ended CA, the bulk revocation it queued, and the parent CRL that lists it (null when the parent is an external root). */
export interface EndedIssuingCa {
  ca: CaRecord;
  bulkRevocation: BulkRevocationRecord;
  parentCrlNumber: string | null;
  /** Set when the parent is an offline root: its operator must revoke the CA's certificate. */
  notice: string | null;
}

function leafReason(input: EndIssuingCaInput): RevocationReasonName {
  if (input.as === 'compromised') {
    if (input.revocationReason !== undefined && input.revocationReason !== 'cACompromise') {
      throw new DomainError('validation', 'a compromised CA revokes everything with cACompromise', { errors: [{ field: 'revocationReason', message: 'must be cACompromise or absent' }] });
    }
    return 'cACompromise';
  }
  const r = bulkReason(input.revocationReason, 'cessationOfOperation');
  if (r !== 'cessationOfOperation' && r !== 'superseded') {
    throw new DomainError('validation', 'a retired CA revokes its certificates with cessationOfOperation or superseded', { errors: [{ field: 'revocationReason', message: 'must be cessationOfOperation or superseded' }] });
  }
  return r;
}

/**
 * Retires an active issuing CA, or declares an active or retired one compromised (see the file
 * comment). Operators only; the API checks the community scope.
 */
export async function endIssuingCa(deps: AuthorityDeps, caId: string, input: EndIssuingCaInput, actor: Actor): Promise<EndedIssuingCa> {
  if (actor.role !== 'operator') throw new DomainError('reason-not-allowed', 'only an operator may retire a CA or declare it compromised');
  if (input.as !== 'retired' && input.as !== 'compromised') throw new DomainError('validation', 'as must be retired or compromised');
  const text = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (!text || text.length > 1000) throw new DomainError('validation', 'reason is required (1 to 1000 characters)', { errors: [{ field: 'reason', message: 'is required' }] });
  const reason = leafReason(input);
  const now = deps.clock.now();
  const { ca, bulk, serialHex } = await deps.db.transaction(async (tx) => {
    const ca = await tx.cas.lock(caId);
    if (!ca) throw notFound('CA', caId);
    if (ca.role !== 'issuing') throw new DomainError('invalid-transition', `CA ${caId} is a root: retire its issuing CAs, or replace the community's trust anchor`);
    const from = input.as === 'retired' ? ['active'] : ['active', 'retired'];
    if (!from.includes(ca.status)) throw new DomainError('invalid-transition', `CA ${caId} is ${ca.status}; this needs it to be ${from.join(' or ')}`, { status: ca.status });
    const code = RevocationReason[reason];
    const serial = readCertificateParts(ca.certificateDer!).serial;
    // a retired CA later found compromised keeps the date of its first revocation and gets the new reason
    const revokedAt = ca.revokedAt ?? now;
    await tx.cas.end(ca.id, from as CaRecord['status'][], input.as, { revokedAt, reason: code, crlEntryDer: encodeCrlEntry(serial, revokedAt, code) });
    await tx.audit.append({
      at: now, actor: actor.id, action: input.as === 'retired' ? 'ca.retired' : 'ca.compromised', subjectType: 'ca', subjectId: ca.id,
      data: { from: ca.status, reason: text, revocationReason: reason, serial: Buffer.from(serial).toString('hex'), parentId: ca.parentId },
    });
    const bulk = await queueBulkRevocation(tx, {
      id: randomUUID(), communityId: ca.communityId, organizationId: null, caId: ca.id, reason, cause: input.as === 'retired' ? 'ca-retired' : 'ca-compromised', requestedBy: actor.id,
    });
    return { ca, bulk, serialHex: Buffer.from(serial).toString('hex') };
  });
  // The trust bundle drops the CA; the parent's CRL lists it. An offline root's operator must do that part.
  await deps.repository.refreshCa(ca.id);
  const parent = ca.parentId ? await deps.db.cas.find(ca.parentId) : null;
  let parentCrlNumber: string | null = null;
  let notice: string | null = null;
  if (parent && !isExternalCa(parent)) {
    parentCrlNumber = (await generateCrl(deps, parent.id, actor)).crl.crlNumber.toString();
  } else if (parent) {
    notice = `the root ${parent.subject} is offline: its operator must revoke this CA's certificate (serial ${serialHex}) on the root's CRL`;
  }
  return { ca: (await deps.db.cas.find(ca.id))!, bulkRevocation: bulk, parentCrlNumber, notice };
}
