// LISTEN on a channel: every API instance learns of every committed CRL (its CA id and number) and
// refreshes what it serves from memory; every worker's outbox relay learns that jobs were committed.
// All channels of a process share one listening connection (ListenHub). If it drops (a PostgreSQL
// restart), it listens again on a new one, retrying every `retryMs`, then calls `onReconnect`:
// notifications sent meanwhile are lost, so the caller catches up (reloads what it serves, looks at the outbox). `onDrop` hears of the drop itself, for a
// caller that must stop trusting what it holds until it listens again (the API token cache).
import type { Pool, PoolClient } from 'pg';
import { API_TOKEN_CHANGED_CHANNEL, AUDIT_CHECKPOINT_CHANNEL, COMMUNITY_CHANGED_CHANNEL, CRL_PUBLISHED_CHANNEL, OUTBOX_CHANNEL } from './channels';

/** Listens for CRL notifications (on the pool's shared listening connection); resolves to a function that stops. */
export function listenForCrls(
  pool: Pool,
  onCrl: (caId: string, crlNumber: bigint) => void,
  opts: { onReconnect?: () => void; retryMs?: number } = {},
): Promise<() => Promise<void>> {
  return listenOn(pool, CRL_PUBLISHED_CHANNEL, (payload) => {
    const m = /^([0-9a-f-]{36}):(\d+)$/.exec(payload);
    if (m) onCrl(m[1], BigInt(m[2]));
  }, opts);
}

type Channel = typeof CRL_PUBLISHED_CHANNEL | typeof OUTBOX_CHANNEL | typeof AUDIT_CHECKPOINT_CHANNEL | typeof COMMUNITY_CHANGED_CHANNEL | typeof API_TOKEN_CHANGED_CHANNEL;

/** One listener: its channel, what it does with a payload, and what it hears of the connection. */
interface Subscription {
  channel: Channel;
  onPayload: (payload: string) => void;
  onReconnect?: () => void;
  onDrop?: () => void;
  retryMs?: number;
}

/**
 * Every listener of a pool shares ONE pooled connection, which LISTENs on each channel someone listens
 * to (a process listening on five channels would otherwise hold five of its pool's connections for
 * good, which requests then wait for). Starting and stopping are serialized; when the connection drops,
 * every listener hears `onDrop`, the hub listens again on a new one after the shortest `retryMs`, and
 * every listener hears `onReconnect`.
 */
class ListenHub {
  private client: PoolClient | null = null;
  private readonly subs = new Set<Subscription>();
  private listening = new Set<string>();
  private retry: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly pool: Pool) {}

  /** Runs `fn` after every start and stop before it. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  add(sub: Subscription): Promise<() => Promise<void>> {
    return this.serial(async () => {
      this.subs.add(sub);
      try {
        if (!this.client) {
          // a retry is pending after a drop: this listener joins it, as the others wait for it
          if (!this.retry) await this.connect();
        } else if (!this.listening.has(sub.channel)) {
          await this.client.query(`LISTEN ${sub.channel}`);
          this.listening.add(sub.channel);
        }
      } catch (err) {
        this.subs.delete(sub);
        throw err;
      }
      return () => this.serial(() => this.remove(sub));
    });
  }

  private async remove(sub: Subscription): Promise<void> {
    if (!this.subs.delete(sub)) return;
    const needed = new Set([...this.subs].map((s) => s.channel));
    const client = this.client;
    if (needed.size === 0) {
      if (this.retry) clearTimeout(this.retry);
      this.retry = null;
      this.client = null;
      this.listening = new Set();
      if (client) {
        client.removeAllListeners('notification');
        await client.query('UNLISTEN *').catch(() => undefined);
        client.removeAllListeners('error');
        client.release(true); // not worth returning to the pool: nobody listens any more
      }
      return;
    }
    if (client && !needed.has(sub.channel) && this.listening.delete(sub.channel)) await client.query(`UNLISTEN ${sub.channel}`).catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = await this.pool.connect();
    let lost = false;
    client.on('error', () => {
      if (this.client === client) this.dropped(client);
      else lost = true; // while it starts to listen: connect() gives it up
    });
    client.on('notification', (msg: { channel: string; payload?: string }) => {
      for (const s of this.subs) if (s.channel === msg.channel) s.onPayload(msg.payload ?? '');
    });
    const channels = new Set([...this.subs].map((s) => s.channel));
    try {
      for (const c of channels) await client.query(`LISTEN ${c}`);
      if (lost) throw new Error('the connection dropped while it started to listen');
    } catch (err) {
      client.removeAllListeners('notification');
      client.release(true);
      throw err;
    }
    this.client = client;
    this.listening = channels;
  }

  private dropped(client: PoolClient): void {
    client.removeAllListeners('notification');
    client.release(true); // the connection is gone: the pool must not hand it out again
    this.client = null;
    this.listening = new Set();
    for (const s of this.subs) s.onDrop?.();
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retry || this.subs.size === 0) return;
    const ms = Math.min(...[...this.subs].map((s) => s.retryMs ?? 1000));
    this.retry = setTimeout(() => {
      void this.serial(async () => {
        this.retry = null;
        if (this.client || this.subs.size === 0) return;
        try {
          await this.connect();
        } catch {
          this.scheduleRetry();
          return;
        }
        for (const s of this.subs) s.onReconnect?.();
      });
    }, ms);
    this.retry.unref();
  }
}

const hubs = new WeakMap<Pool, ListenHub>();

/** Listens on `channel` on the pool's shared listening connection (ListenHub); resolves to a function that stops. */
export async function listenOn(
  pool: Pool,
  channel: Channel,
  onPayload: (payload: string) => void,
  opts: { onReconnect?: () => void; onDrop?: () => void; retryMs?: number } = {},
): Promise<() => Promise<void>> {
  let hub = hubs.get(pool);
  if (!hub) {
    hub = new ListenHub(pool);
    hubs.set(pool, hub);
  }
  return hub.add({ channel, onPayload, ...opts });
}
