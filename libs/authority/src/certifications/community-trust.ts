// A community as a relying party sees it (libs/udap UdapTrust): its roots as anchors, its issuing CAs as
// intermediates, and the CRLs the platform publishes, by the CDP URL in each certificate.
import type { UdapTrust } from '@anchorage/udap';
import type { AuthorityDeps } from '../deps';

/** The trust of community `communityId`, with the CRLs held in memory (or, when not held, the newest stored). */
export async function communityTrust(deps: Pick<AuthorityDeps, 'db' | 'urls' | 'repository'>, communityId: string): Promise<UdapTrust> {
  const cas = (await deps.db.cas.ofCommunity(communityId)).filter((c) => c.certificateDer);
  const byUrl = new Map(cas.map((c) => [deps.urls.crl(c.id), c.id]));
  return {
    anchors: cas.filter((c) => c.role === 'root').map((c) => c.certificateDer!),
    intermediates: cas.filter((c) => c.role !== 'root').map((c) => c.certificateDer!),
    async crl(url) {
      const caId = byUrl.get(url);
      if (!caId) return null;
      const held = deps.repository.crl(caId);
      if (held) return held.body;
      return (await deps.db.crls.latest(caId, true))?.der ?? null;
    },
  };
}
