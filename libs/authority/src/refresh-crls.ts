import type { CaRecord } from '@anchorage/db';
import type { Actor, AuthorityDeps } from './deps';
import { isExternalCa } from './external-ca';
import { generateCrl } from './generate-crl';

/**
 * Whether the platform still publishes CRLs for `ca`: it has its certificate, and it is active, or
 * retired or compromised but its own certificate has not expired. Certificates such a CA issued
 * (revoked by the bulk revocation) must stay checkable, and a lapsed CRL fails them closed.
 */
export function publishesCrls(ca: Pick<CaRecord, 'status' | 'notAfter'>, now: Date): boolean {
  return ca.status === 'active' || (ca.status !== 'awaiting-certificate' && !(ca.notAfter && ca.notAfter <= now));
}

/** What a refresh sweep did for one CA. */
export interface RefreshResult {
  caId: string;
  /** 'external': an offline root, whose CRL its own operator issues (the platform holds no key). */
  action: 'regenerated' | 'fresh' | 'failed' | 'external';
  crlNumber?: string;
  nextUpdate?: string;
  error?: string;
  /** Milliseconds a regeneration paused to leave a busy machine to other work (crl-pacing.ts). */
  pausedMs?: number;
}

/**
 * Regenerates every CA's CRL that is missing, past half its lifetime, or missing a committed
 * revocation, so a CRL is always replaced well before nextUpdate (UDAP profile: "regenerated well
 * before it lapses"; a lapsed CRL is an outage at strict relying parties) and a revocation whose
 * publication was cut short (a crash, a failed signature) reaches the CRL at the next sweep.
 * Safe to run from several workers at once: generation is serialized per CA in the database, and
 * a fresh CRL is left alone. External (offline) roots are reported and skipped: the platform cannot
 * sign for them.
 */
export async function refreshStaleCrls(deps: AuthorityDeps, actor: Actor): Promise<RefreshResult[]> {
  return sweep(deps, actor, false);
}

/**
 * Regenerates only the CRLs of CAs with a revocation, hold or release committed but on no CRL yet.
 * Every process runs it at start, so a crash between a revocation's commit and its CRL is repaired
 * by whichever process comes up first, without waiting for a sweep.
 */
export async function publishPendingRevocations(deps: AuthorityDeps, actor: Actor): Promise<RefreshResult[]> {
  return sweep(deps, actor, true);
}

async function sweep(deps: AuthorityDeps, actor: Actor, pendingOnly: boolean): Promise<RefreshResult[]> {
  const results: RefreshResult[] = [];
  const now = deps.clock.now();
  const pending = new Set(await deps.db.certificates.issuersWithUnpublishedRevocations());
  for (const ca of await deps.db.cas.withCertificate()) {
    if (pendingOnly && !pending.has(ca.id)) continue;
    if (!publishesCrls(ca, now)) continue;
    if (isExternalCa(ca)) {
      results.push({ caId: ca.id, action: 'external' });
      continue;
    }
    try {
      const community = await deps.db.communities.find(ca.communityId);
      const latest = await deps.db.crls.latest(ca.id, false);
      const halfLife = ((community?.crlLifetimeSeconds ?? 0) * 1000) / 2;
      const stale = !latest || latest.nextUpdate.getTime() - now.getTime() <= halfLife;
      if (!stale && !pending.has(ca.id)) {
        results.push({ caId: ca.id, action: 'fresh', crlNumber: latest.crlNumber.toString(), nextUpdate: latest.nextUpdate.toISOString() });
        continue;
      }
      // a fresh CRL is replaced only if the revocation seen pending is still on no CRL once the CA is
      // locked (the revoking process usually publishes it meanwhile)
      const out = await generateCrl(deps, ca.id, actor, stale ? {} : { onlyIfPending: true });
      results.push({
        caId: ca.id, action: out.generated ? 'regenerated' : 'fresh', crlNumber: out.crl.crlNumber.toString(), nextUpdate: out.crl.nextUpdate.toISOString(),
        ...(out.pausedMs > 0 ? { pausedMs: Math.round(out.pausedMs) } : {}),
      });
    } catch (err) {
      results.push({ caId: ca.id, action: 'failed', error: (err as Error).message });
    }
  }
  return results;
}
