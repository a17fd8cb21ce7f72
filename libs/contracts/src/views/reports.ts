// The charts' read models: counts the API aggregates in SQL, within the caller's scope, for the
// console's dashboard and community pages (issuance and revocation per day, CRL size and freshness
// per CA, certificates expiring per week, and a community's CA hierarchy with its leaves).
import { z } from 'zod';
import { caStatusSchema } from './communities';
import { keyTypeSchema, timestamp, uuid, view } from './common';

/** Certificates issued and revoked per UTC day, oldest day first, every day of the window present (zero when none). */
export const activityReportViewSchema = view({
  days: z.number().int(),
  /** First day of the window (YYYY-MM-DD, UTC). */
  from: z.string(),
  /** Last day of the window, today (YYYY-MM-DD, UTC). */
  to: z.string(),
  totals: view({ issued: z.number().int(), revoked: z.number().int() }),
  series: z.array(view({ day: z.string(), issued: z.number().int(), revoked: z.number().int() })),
});
/** Certificates issued and revoked per UTC day. */
export type ActivityReportView = z.infer<typeof activityReportViewSchema>;

/** One published CRL of a CA, as a point of its size and freshness charts. */
export const crlPointSchema = view({
  crlNumber: z.string(),
  thisUpdate: timestamp,
  nextUpdate: timestamp,
  entryCount: z.number().int(),
  /** Size of the DER. */
  bytes: z.number().int(),
  /** Seconds from thisUpdate to nextUpdate: the freshness the CRL had when published. */
  lifetimeSeconds: z.number().int(),
  /**
   * Seconds its nextUpdate was still ahead when the next CRL replaced it (negative: it had lapsed);
   * null for the CA's newest CRL.
   */
  secondsLeftAtReplacement: z.number().int().nullable(),
});
/** One published CRL of a CA, as a point of its charts. */
export type CrlPoint = z.infer<typeof crlPointSchema>;

/** The CRLs each CA in scope published within the window, oldest first. */
export const crlReportViewSchema = view({
  days: z.number().int(),
  cas: z.array(view({
    caId: uuid, caSubject: z.string(), caRole: z.enum(['root', 'issuing']), communityId: uuid, caStatus: caStatusSchema,
    crls: z.array(crlPointSchema),
  })),
});
/** The CRLs each CA in scope published within the window. */
export type CrlReportView = z.infer<typeof crlReportViewSchema>;

/** Issued, unrevoked certificates whose notAfter falls in each of the next weeks (week 0 starts now). */
export const expiryReportViewSchema = view({
  weeks: z.number().int(),
  total: z.number().int(),
  series: z.array(view({ week: z.number().int(), from: timestamp, to: timestamp, count: z.number().int() })),
});
/** Certificates expiring per week. */
export type ExpiryReportView = z.infer<typeof expiryReportViewSchema>;

/** Counts of a CA's leaf certificates by state. */
export const leafCountsSchema = view({
  /** Issued, not revoked, not yet expired. */
  active: z.number().int(),
  revoked: z.number().int(),
  /** Issued, not revoked, notAfter passed. */
  expired: z.number().int(),
});
/** Counts of a CA's leaf certificates by state. */
export type LeafCounts = z.infer<typeof leafCountsSchema>;

/** A community's CAs, each with its parent, fingerprint and leaf counts (root first). */
export const communityHierarchyViewSchema = view({
  communityId: uuid,
  cas: z.array(view({
    id: uuid, role: z.enum(['root', 'issuing']), parentId: uuid.nullable(), subject: z.string(), status: caStatusSchema, keyType: keyTypeSchema,
    /** The root is kept outside the platform (its CRL is not the platform's to issue). */
    external: z.boolean(),
    /** SHA-256 of the CA certificate's DER, lowercase hex; null while it awaits its certificate. */
    sha256: z.string().nullable(),
    notAfter: timestamp.nullable(),
    leaves: leafCountsSchema,
  })),
  trustBundleUrl: z.string(),
});
/** A community's CA hierarchy. */
export type CommunityHierarchyView = z.infer<typeof communityHierarchyViewSchema>;
