// What the API holds in memory per community and rebuilds from the database (the community directory,
// the certification status index): one community at once when a change is announced, calls during its
// rebuild coalescing into one more after it, and every community every interval, one sweep at a time.
import type { Database } from '@anchorage/db';
import { CoalescedRuns } from './coalesced-runs';

const PAGE = 1000;

/** See the file comment; a subclass says how one community is built. */
export abstract class CommunityRebuilds {
  private readonly runs = new CoalescedRuns((communityId) => this.build(communityId));
  private sweeping: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  protected constructor(
    protected readonly db: Database,
    /** What is rebuilt, for the log line of a failed sweep. */
    private readonly what: string,
    protected readonly log: (line: string) => void,
  ) {}

  /** Builds one community's state (or forgets it when the community is gone). */
  protected abstract build(communityId: string): Promise<void>;

  /** Builds every community, then rebuilds them every `intervalMs`. */
  async start(intervalMs: number): Promise<void> {
    await this.refreshAll();
    this.timer = setInterval(() => void this.refreshAll().catch((err: Error) => this.log(`${this.what} refresh failed: ${err.message}`)), intervalMs);
    this.timer.unref();
  }

  /** Stops the periodic rebuild and waits for the rebuilds under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([this.sweeping, this.runs.settled()]);
  }

  /** Rebuilds one community; calls during a rebuild coalesce into one more after it. */
  refresh(communityId: string): Promise<void> {
    return this.runs.run(communityId);
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
}
