// The public status of each community's certifications (certification_status_endpoint; udap.org
// Certifications and Endorsements), held in memory like the rest of /pki: GET ?jti=&exp= is answered
// without touching the database. A certification is valid while it is not revoked, not expired, its
// certifier certificate is not revoked, and the app keeps a live udap-client certificate for its
// client URI; the exp asked must be the certification's own (a jti alone proves nothing).
//
// Freshness, as the community directory's (docs/directory.md): a community is rebuilt at once when this
// process records or revokes a certification or takes a new CRL (a revoked app or certifier certificate),
// when another instance announces a change on the community channel, and every `intervalMs` otherwise.
// Expiry needs no rebuild: each entry holds the instant it stops being valid.
import type { Database } from '@anchorage/db';
import type { Clock } from '../clock';
import { CommunityRebuilds } from '../community-rebuilds';

/** Default rebuild interval (the staleness bound for what nobody announces). */
export const CERTIFICATION_STATUS_REFRESH_MS = 30_000;
/** How long relying parties may cache an answer (seconds): a revocation reaches them within this. */
export const CERTIFICATION_STATUS_MAX_AGE = 60;

/** The two answers, as bytes (the same for every request). */
export const CERTIFICATION_STATUS_BODIES = {
  valid: Buffer.from('{"valid":true}'),
  invalid: Buffer.from('{"valid":false}'),
} as const;

interface Entry {
  /** The certification's exp, in seconds (what the query must carry). */
  exp: number;
  /** When it stops being valid (ms): its exp, or the end of the app's last live client certificate. */
  validUntil: number;
}

/** See the file comment. */
export class CertificationStatusIndex extends CommunityRebuilds {
  private readonly held = new Map<string, Map<string, Entry>>();

  constructor(db: Database, private readonly clock: Clock, log: (line: string) => void = (line) => console.error(line)) {
    super(db, 'certification status', log);
  }

  /** Builds every community's status, then rebuilds them every `intervalMs`. */
  override start(intervalMs = CERTIFICATION_STATUS_REFRESH_MS): Promise<void> {
    return super.start(intervalMs);
  }

  /**
   * Whether certification `jti` of `communityId` with exp `exp` (seconds) is valid now; undefined when
   * the community is not known here. The hot path: two map lookups and a clock read.
   */
  valid(communityId: string, jti: string, exp: number): boolean | undefined {
    const community = this.held.get(communityId);
    if (!community) return undefined;
    const e = community.get(jti);
    return e !== undefined && e.exp === exp && this.clock.now().getTime() < e.validUntil;
  }

  protected async build(communityId: string): Promise<void> {
    const community = await this.db.communities.find(communityId);
    if (!community) {
      this.held.delete(communityId);
      return;
    }
    const entries = new Map<string, Entry>();
    for (const e of await this.db.certifications.statusEntries(communityId, this.clock.now())) {
      if (!e.appCertificateLiveUntil) continue; // no live client certificate: invalid, like an unknown jti
      entries.set(e.jti, { exp: e.exp.getTime() / 1000, validUntil: Math.min(e.exp.getTime(), e.appCertificateLiveUntil.getTime()) });
    }
    this.held.set(communityId, entries);
  }
}
