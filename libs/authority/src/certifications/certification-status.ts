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

/** Default rebuild interval (the staleness bound for what nobody announces). */
export const CERTIFICATION_STATUS_REFRESH_MS = 30_000;
/** How long relying parties may cache an answer (seconds): a revocation reaches them within this. */
export const CERTIFICATION_STATUS_MAX_AGE = 60;
const PAGE = 1000;

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
export class CertificationStatusIndex {
  private readonly held = new Map<string, Map<string, Entry>>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private sweeping: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {}

  /** Builds every community's status, then rebuilds them every `intervalMs`. */
  async start(intervalMs = CERTIFICATION_STATUS_REFRESH_MS): Promise<void> {
    await this.refreshAll();
    this.timer = setInterval(() => void this.refreshAll().catch((err: Error) => this.log(`certification status refresh failed: ${err.message}`)), intervalMs);
    this.timer.unref();
  }

  /** Stops the periodic rebuild and waits for the rebuilds under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([this.sweeping, ...this.running.values()]);
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

  /** Rebuilds one community; calls during a rebuild coalesce into one more after it. */
  refresh(communityId: string): Promise<void> {
    const running = this.running.get(communityId);
    if (running) {
      this.again.add(communityId);
      return running;
    }
    const run = (async () => {
      try {
        do {
          this.again.delete(communityId);
          await this.build(communityId);
        } while (this.again.has(communityId));
      } finally {
        this.running.delete(communityId);
      }
    })();
    this.running.set(communityId, run);
    return run;
  }

  /** Rebuilds every community (one sweep at a time). */
  refreshAll(): Promise<void> {
    this.sweeping ??= (async () => {
      try {
        for (let skip = 0; ; skip += PAGE) {
          const page = await this.db.communities.list(skip, PAGE);
          for (const c of page.items) await this.refresh(c.id);
          if (page.items.length < PAGE) break;
        }
      } finally {
        this.sweeping = null;
      }
    })();
    return this.sweeping;
  }

  private async build(communityId: string): Promise<void> {
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
