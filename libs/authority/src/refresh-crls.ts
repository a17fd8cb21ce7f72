import type { Actor, AuthorityDeps } from './deps';
import { isExternalCa } from './external-ca';
import { generateCrl } from './generate-crl';

/** What a refresh sweep did for one CA. */
export interface RefreshResult {
  caId: string;
  /** 'external': an offline root, whose CRL its own operator issues (the platform holds no key). */
  action: 'regenerated' | 'fresh' | 'failed' | 'external';
  crlNumber?: string;
  nextUpdate?: string;
  error?: string;
}

/**
 * Regenerates every CA's CRL that is missing or past half its lifetime, so a CRL is always
 * replaced well before nextUpdate (UDAP profile: "regenerated well before it lapses"; a lapsed
 * CRL is an outage at strict relying parties). Safe to run from several workers at once:
 * generation is serialized per CA in the database, and a fresh CRL is left alone. External
 * (offline) roots are reported and skipped: the platform cannot sign for them.
 */
export async function refreshStaleCrls(deps: AuthorityDeps, actor: Actor): Promise<RefreshResult[]> {
  const results: RefreshResult[] = [];
  const now = deps.clock.now();
  for (const ca of await deps.db.listCasWithCertificate()) {
    // A retired or compromised CA keeps publishing until its own certificate expires: certificates it
    // issued (revoked by the bulk revocation) must stay checkable, and a lapsed CRL fails them closed.
    if (ca.status === 'awaiting-certificate' || (ca.status !== 'active' && ca.notAfter && ca.notAfter <= now)) continue;
    if (isExternalCa(ca)) {
      results.push({ caId: ca.id, action: 'external' });
      continue;
    }
    try {
      const community = await deps.db.findCommunity(ca.communityId);
      const latest = await deps.db.latestCrl(ca.id, false);
      const halfLife = ((community?.crlLifetimeSeconds ?? 0) * 1000) / 2;
      if (latest && latest.nextUpdate.getTime() - now.getTime() > halfLife) {
        results.push({ caId: ca.id, action: 'fresh', crlNumber: latest.crlNumber.toString(), nextUpdate: latest.nextUpdate.toISOString() });
        continue;
      }
      const out = await generateCrl(deps, ca.id, actor);
      results.push({ caId: ca.id, action: 'regenerated', crlNumber: out.crl.crlNumber.toString(), nextUpdate: out.crl.nextUpdate.toISOString() });
    } catch (err) {
      results.push({ caId: ca.id, action: 'failed', error: (err as Error).message });
    }
  }
  return results;
}
