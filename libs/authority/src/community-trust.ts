// A community as a relying party of it sees it (libs/udap UdapTrust), which the platform's own
// verifications use (a conformance check's signed_metadata, a certification being recorded): its
// anchors (its root CAs, but a compromised one), its issuing CAs as known intermediates, and its CRLs
// by their distribution-point URLs, read from the database rather than fetched (the platform is their
// publisher; a relying party reads the same bytes at /pki/crl). CRL bytes are cached by CA and CRL
// number, which a new CRL always changes (the number is read with the CAs on every call), so a
// revocation counts from the verification after it.
import type { CaRecord } from '@anchorage/db';
import type { UdapTrust } from '@anchorage/udap';
import type { AuthorityDeps } from './deps';

/** CRLs held: CA id -> [CRL number, DER]; bounded (a platform has few CAs). */
const crlCache = new Map<string, { crlNumber: bigint; der: Uint8Array }>();
const CRL_CACHE_MAX = 256;

/** A community's trust as a relying party of it holds it, and its CAs. */
export interface CommunityTrust {
  trust: UdapTrust;
  cas: CaRecord[];
}

/** Builds the trust of `communityId` (see the file comment). */
export async function communityTrust(deps: Pick<AuthorityDeps, 'db' | 'urls'>, communityId: string): Promise<CommunityTrust> {
  const cas = await deps.db.cas.ofCommunity(communityId);
  const withCert = cas.filter((c) => c.certificateDer);
  const byUrl = new Map(withCert.map((c) => [deps.urls.crl(c.id), c]));
  return {
    cas,
    trust: {
      anchors: withCert.filter((c) => c.role === 'root' && c.status !== 'compromised').map((c) => c.certificateDer!),
      intermediates: withCert.filter((c) => c.role !== 'root').map((c) => c.certificateDer!),
      async crl(url) {
        const ca = byUrl.get(url);
        if (!ca) return null;
        const held = crlCache.get(ca.id);
        if (held && held.crlNumber === ca.lastCrlNumber) return held.der;
        const crl = await deps.db.crls.latest(ca.id, true);
        if (!crl?.der) return null;
        if (crlCache.size >= CRL_CACHE_MAX) crlCache.delete(crlCache.keys().next().value!);
        crlCache.set(ca.id, { crlNumber: crl.crlNumber, der: crl.der });
        return crl.der;
      },
    },
  };
}
