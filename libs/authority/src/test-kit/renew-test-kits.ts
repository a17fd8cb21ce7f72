// Keeps communities' test kits usable: a kit's valid leaves and its CRLs last TEST_KIT_VALIDITY_DAYS, so
// the worker's CRL sweep regenerates each kit once fewer than TEST_KIT_RENEW_DAYS remain (same TEST CAs,
// new cases and CRLs). Two workers at once: one regenerates, the other's attempt is a conflict, skipped.
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { generateTestKit } from './generate-test-kit';

/** Days before a kit lapses that it is regenerated. */
export const TEST_KIT_RENEW_DAYS = 10;

/** What became of one kit that was due. */
export interface TestKitRenewal {
  communityId: string;
  action: 'regenerated' | 'skipped' | 'failed';
  generation?: number;
  error?: string;
}

/** Regenerates every kit lapsing within TEST_KIT_RENEW_DAYS (see the file comment). */
export async function renewTestKits(deps: AuthorityDeps, actor: Actor): Promise<TestKitRenewal[]> {
  const due = await deps.db.testKits.lapsingBefore(new Date(deps.clock.now().getTime() + TEST_KIT_RENEW_DAYS * 86_400_000));
  const out: TestKitRenewal[] = [];
  for (const communityId of due) {
    try {
      const kit = await generateTestKit(deps, communityId, actor);
      out.push({ communityId, action: 'regenerated', generation: kit.content.generation });
    } catch (err) {
      if (err instanceof DomainError && err.code === 'conflict') out.push({ communityId, action: 'skipped' });
      else out.push({ communityId, action: 'failed', error: (err as Error).message });
    }
  }
  return out;
}
