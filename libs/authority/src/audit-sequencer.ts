// The audit sequencer (docs/audit.md). Business transactions only INSERT their audit rows, so no write
// waits on a chain-wide lock; this loop links committed rows into the hash chain shortly after. Any number
// of processes may run it: each round try-locks, so exactly one links at a time and the others skip.
import type { AuthorityDeps } from './deps';

/**
 * How long a committed audit row may stay unlinked before `audit verify` reports it: a live sequencer
 * links within about one interval, so a row older than this means no sequencer is running.
 */
export const AUDIT_LINK_BOUND_MS = 60_000;

/** Rows linked per transaction: bounds the time one round holds the sequencer lock and its memory. */
const LINK_BATCH = 5000;

/** What the sequencer has done since it started (for /metrics and tests). */
export interface SequencerCounters {
  linked: number;
  rounds: number;
  errors: number;
  lastError: string | null;
}

/**
 * Links everything committed and unlinked now, in rounds of LINK_BATCH; returns how many this process
 * linked. While another process holds the sequencer lock it retries for up to `waitMs` (default 5 s:
 * a checkpoint must cover what committed before it), or gives up at once with 0 (the sequencer loop:
 * the other process is linking anyway).
 */
export async function linkAuditChain(deps: Pick<AuthorityDeps, 'db'>, o: { waitMs?: number } = {}): Promise<number> {
  const until = Date.now() + (o.waitMs ?? 5000);
  let total = 0;
  for (;;) {
    const r = await deps.db.audit.link(LINK_BATCH);
    total += r.linked;
    if (r.busy) {
      if (Date.now() >= until) return total;
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    if (r.linked < LINK_BATCH) return total;
  }
}

/** Runs linkAuditChain every `intervalMs` until stopped; a failed round is counted and logged, and the next one retries. */
export class AuditSequencer {
  readonly counters: SequencerCounters = { linked: 0, rounds: 0, errors: 0, lastError: null };
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly deps: Pick<AuthorityDeps, 'db'>,
    private readonly o: { intervalMs?: number; log?: (line: string) => void } = {},
  ) {}

  /** Starts the loop (a first round at once). */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.running = this.round().finally(() => {
        this.running = null;
        if (this.timer) this.timer = setTimeout(tick, this.o.intervalMs ?? 250);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops the loop after the round in flight, if any. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private async round(): Promise<void> {
    try {
      this.counters.linked += await linkAuditChain(this.deps, { waitMs: 0 });
      this.counters.rounds += 1;
    } catch (err) {
      this.counters.errors += 1;
      this.counters.lastError = (err as Error).message;
      this.o.log?.(`audit sequencer: ${(err as Error).message}`);
    }
  }
}
