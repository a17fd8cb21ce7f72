// The body of a revocation notice (docs/revocation-notices.md): what a relying server needs to act on
// a CRL change without fetching the CRL first. `id` is the delivery id, the same on every retry, so a
// receiver drops a repeat; previousCrlNumber lets it tell that it missed a notice (and then fetch the
// CRL at crlUrl, the CRL distribution point of the CA's certificates, RFC 5280 §4.2.1.13).
import { revocationReasonName, type RevocationReasonName } from '@anchorage/contracts';
import type { CaRecord, CommunityRecord, RevocationNoticeRecord } from '@anchorage/db';
import type { PublicUrls } from '../urls';

/** The event type of a revocation notice (header X-Anchorage-Event and field `type`). */
export const CRL_PUBLISHED_EVENT = 'crl.published';

/** The most serials one notice lists; past it `serialsTruncated` is true and the CRL is the full list. */
export const MAX_NOTICE_SERIALS = 10_000;

/** A revocation notice as posted (see the file comment). */
export interface RevocationNoticeBody {
  type: typeof CRL_PUBLISHED_EVENT;
  id: string;
  community: { id: string; uri: string };
  ca: { id: string; issuer: string };
  crlNumber: string;
  previousCrlNumber: string | null;
  thisUpdate: string;
  nextUpdate: string;
  crlUrl: string;
  serialsAdded: { serial: string; reason: RevocationReasonName; revokedAt: string }[];
  serialsAddedCount: number;
  serialsTruncated: boolean;
  serialsReleased: string[];
}

/** The notice of delivery `deliveryId` (see the file comment). */
export function revocationNoticeBody(deliveryId: string, n: RevocationNoticeRecord, community: CommunityRecord, ca: CaRecord, urls: PublicUrls): RevocationNoticeBody {
  return {
    type: CRL_PUBLISHED_EVENT,
    id: deliveryId,
    community: { id: community.id, uri: community.uri },
    ca: { id: ca.id, issuer: ca.subject },
    crlNumber: n.crlNumber.toString(),
    previousCrlNumber: n.previousCrlNumber === null ? null : n.previousCrlNumber.toString(),
    thisUpdate: n.thisUpdate.toISOString(),
    nextUpdate: n.nextUpdate.toISOString(),
    crlUrl: urls.crl(ca.id),
    serialsAdded: n.serials.map((s) => ({ serial: s.serial, reason: revocationReasonName(s.reason), revokedAt: s.revokedAt })),
    serialsAddedCount: n.serialCount,
    serialsTruncated: n.serialCount > n.serials.length,
    serialsReleased: n.released,
  };
}
