import { randomUUID } from 'node:crypto';
import { CrlEncoder, encodeCrlEntry, readCertificateParts, signatureAlgorithmFor, subjectKeyIdentifier } from '@anchorage/pki';
import type { ClaimedRevocations, CrlRecord, NoticeSerial } from '@anchorage/db';
import { CRL_PUBLISH, REVOCATION_NOTICE_DELIVER, REVOCATION_NOTICE_JOB_PREFIX, outboxEntry } from '@anchorage/jobs';
import type { Actor, AuthorityDeps } from './deps';
import { DomainError, notFound } from './errors';
import { isExternalCa } from './external-ca';
import { signatureAudit } from './audit';
import { MAX_NOTICE_SERIALS } from './revocation-notices/notice-payload';
import { sha256Hex, signerToDomain } from './sign';
import { CrlPacer, procLoadProbe } from './crl-pacing';

/** Entries the database concatenates per round trip while streaming CRL entries (~1 MB). */
const ENTRY_CHUNK = 20_000;

/** Outcome of a CRL generation request. */
export interface CrlOutcome {
  crl: CrlRecord;
  /** False when a CRL committed meanwhile already covered the change and none was needed. */
  generated: boolean;
  /** Milliseconds the generation paused to leave the machine to other work (crl-pacing.ts); 0 when it did not. */
  pausedMs: number;
}

/**
 * The notice's list with the subordinate CAs this CRL newly lists appended after the leaves (still at
 * most MAX_NOTICE_SERIALS listed; the count stays exact).
 */
function withRevokedChildCas(listed: ClaimedRevocations, childCas: { certificateDer: Uint8Array; reason: number; revokedAt: Date }[]): ClaimedRevocations {
  if (childCas.length === 0) return listed;
  const added: NoticeSerial[] = childCas
    .map((c) => ({ serial: Buffer.from(readCertificateParts(c.certificateDer).serial).toString('hex'), reason: c.reason, revokedAt: c.revokedAt.toISOString() }))
    .sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
  return {
    claimed: listed.claimed + childCas.length,
    added: [...listed.added, ...added].slice(0, MAX_NOTICE_SERIALS),
    addedCount: listed.addedCount + childCas.length,
    released: listed.released,
  };
}

/**
 * Generates, signs, stores and publishes the next CRL of a CA (RFC 5280 §5; UDAP profile "CRLs").
 * Serialized per CA in the database, so the CRL Number is strictly increasing across instances.
 * Each entry's DER is stored at revocation (revoke-certificate.ts); they stream from the database in
 * concatenated chunks straight into the encoder, which is sized exactly and signs in place.
 * With `unlessPublished`, returns early when that certificate's revocation state is already on a
 * committed CRL (concurrent revocations coalesce into one CRL instead of queueing one each). With
 * `onlyIfPending`, returns early unless some revocation change of the CA is on no committed CRL.
 */
export async function generateCrl(deps: AuthorityDeps, caId: string, actor: Actor, opts: { unlessPublished?: string; onlyIfPending?: boolean } = {}): Promise<CrlOutcome> {
  const ca = await deps.db.cas.find(caId);
  if (!ca) throw notFound('CA', caId);
  if (!ca.certificateDer || ca.status === 'awaiting-certificate') throw new DomainError('ca-not-active', `CA ${caId} has no certificate yet`);
  // RFC 5280 §5.1.1.3: a CRL is signed by its issuer's key, and the platform does not hold an offline root's.
  if (isExternalCa(ca)) {
    throw new DomainError('external-ca', `CA ${caId} is an external (offline) root: its key is not held here, so its CRL is issued and published by its own operator`, { caId });
  }
  const community = await deps.db.communities.find(ca.communityId);
  if (!community) throw notFound('community', ca.communityId);
  const alg = signatureAlgorithmFor(ca.keyType);

  const outcome = await deps.db.crls.generate(caId, async (g): Promise<CrlOutcome | null> => {
    if (opts.unlessPublished && (await g.isRevocationPublished(opts.unlessPublished))) return null;
    // a large CRL yields the machine to issuance between its steps while others are busy
    const pacer = new CrlPacer(deps.crlPacing === false ? () => null : procLoadProbe(g.backendPid), deps.crlPacing || {});
    // with relying parties subscribed, the claim also lists what it claimed, for their notice
    const notify = await g.hasActiveSubscriptions(ca.communityId);
    const listed = notify ? await g.claimUnpublishedRevocationsListed(MAX_NOTICE_SERIALS) : null;
    const leaves = listed ? listed.claimed : await g.claimUnpublishedRevocations();
    // subordinate CAs revoked since the last CRL are on this one too, and in its notice
    const childCas = await g.claimRevokedChildCas();
    const claimed = leaves + childCas.length;
    if (opts.onlyIfPending && claimed === 0) return null;
    const notice = listed && withRevokedChildCas(listed, childCas);
    // thisUpdate is "now" to the second, so it is never in the future (UDAP profile "CRLs").
    const thisUpdate = new Date(Math.floor(deps.clock.now().getTime() / 1000) * 1000);
    const lifetimeMs = community.crlLifetimeSeconds * 1000;
    const nextUpdate = new Date(thisUpdate.getTime() + lifetimeMs);
    const crlNumber = g.lastCrlNumber + 1n;
    // Rows revoked before entries were stored at revocation get theirs now, once (normally none).
    const missing = await g.entriesMissingDer();
    await g.storeEntryDers(missing.map((r) => ({ id: r.id, der: encodeCrlEntry(r.serial, r.revokedAt, r.reason, r.invalidityDate ?? undefined) })));
    // An entry stays until at least one CRL issued after the certificate expired listed it
    // (RFC 5280 §3.3): keep entries whose notAfter is within one CRL lifetime of thisUpdate.
    const keepExpiredSince = new Date(thisUpdate.getTime() - lifetimeMs);
    const entryBytes = await g.entryBytesHint(leaves + missing.length);
    // subordinate CAs retired or declared compromised (retire-issuing-ca.ts) are listed after the leaves
    const children = await g.revokedChildCaEntries(keepExpiredSince);
    const encoder = new CrlEncoder({
      issuer: ca.subjectDer, signatureAlgorithm: alg, thisUpdate, nextUpdate, crlNumber,
      authorityKeyId: subjectKeyIdentifier(ca.spkiDer), expectedBytes: entryBytes + children.bytes.length,
    });
    await g.streamEncodedEntries(keepExpiredSince, ENTRY_CHUNK, async (bytes, count) => {
      encoder.addEncodedEntries(bytes, count);
      await pacer.step();
    });
    if (children.count) encoder.addEncodedEntries(children.bytes, children.count);
    const tbs = encoder.finishTbs();
    const subject = `crl:${caId}:${crlNumber}`;
    const entryCount = encoder.entryCount;
    await g.appendAudit({
      at: deps.clock.now(), actor: actor.id, action: 'crl.prepared', subjectType: 'ca', subjectId: caId,
      data: { crlNumber: crlNumber.toString(), entryCount, thisUpdate: thisUpdate.toISOString(), nextUpdate: nextUpdate.toISOString() },
    });
    // Signed like signWithCa (audited before and after), but assembled in the encoder's buffer:
    // at 1M entries the TBS is ~47 MB and assembleSigned would copy it.
    const signature = await deps.signer.signTbs(ca.keyRef, tbs, alg, signatureAudit((e) => g.appendAudit(e), deps.clock, actor), { purpose: 'crl', subject, entryCount })
      .catch(signerToDomain);
    const der = encoder.finishSigned(signature);
    const crl = { id: randomUUID(), caId, crlNumber, thisUpdate, nextUpdate, entryCount, sha256: sha256Hex(der), der };
    await pacer.step();
    await g.storeCrl(crl);
    // the publish directory is written by the worker's publication job, committed with the CRL
    await g.enqueue(outboxEntry(CRL_PUBLISH, { caId, crlNumber: crlNumber.toString() }));
    // relying parties' notices, committed with the CRL: once a revocation is on a committed CRL its
    // notice cannot be lost (docs/revocation-notices.md)
    if (notice) {
      await g.recordRevocationNotice(
        { communityId: ca.communityId, crlId: crl.id, crlNumber, thisUpdate, nextUpdate, claimed: notice },
        { queue: REVOCATION_NOTICE_DELIVER.queue, name: REVOCATION_NOTICE_DELIVER.name, jobIdPrefix: REVOCATION_NOTICE_JOB_PREFIX },
      );
    }
    await pacer.step();
    return { crl, generated: true, pausedMs: pacer.pausedMs };
  });

  if (!outcome) {
    const latest = await deps.db.crls.latest(caId, true);
    if (!latest?.der) throw new DomainError('publication-failed', `CA ${caId} has no stored CRL`);
    deps.repository.acceptCrl(caId, latest);
    return { crl: latest, generated: false, pausedMs: 0 };
  }
  deps.repository.acceptCrl(caId, outcome.crl);
  return outcome;
}
