// LISTEN on a channel: every API instance learns of every committed CRL (its CA id and number) and
// refreshes what it serves from memory; every worker's outbox relay learns that jobs were committed.
// If the listening connection drops (a PostgreSQL restart), it listens again on a new one, retrying
// every `retryMs`, then calls `onReconnect`: notifications sent meanwhile are lost, so the caller
// catches up (reloads what it serves, looks at the outbox). `onDrop` hears of the drop itself, for a
// caller that must stop trusting what it holds until it listens again (the API token cache).
import type { Pool, PoolClient } from 'pg';
import { API_TOKEN_CHANGED_CHANNEL, AUDIT_CHECKPOINT_CHANNEL, COMMUNITY_CHANGED_CHANNEL, CRL_PUBLISHED_CHANNEL, OUTBOX_CHANNEL } from './channels';

/** Listens for CRL notifications on a pooled connection of its own; resolves to a function that stops. */
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

/** Listens on `channel` on a pooled connection of its own; resolves to a function that stops. */
export async function listenOn(
  pool: Pool,
  channel: typeof CRL_PUBLISHED_CHANNEL | typeof OUTBOX_CHANNEL | typeof AUDIT_CHECKPOINT_CHANNEL | typeof COMMUNITY_CHANGED_CHANNEL | typeof API_TOKEN_CHANGED_CHANNEL,
  onPayload: (payload: string) => void,
  opts: { onReconnect?: () => void; onDrop?: () => void; retryMs?: number } = {},
): Promise<() => Promise<void>> {
  const handler = (msg: { channel: string; payload?: string }) => {
    if (msg.channel === channel) onPayload(msg.payload ?? '');
  };
  let stopped = false;
  let current: PoolClient | null = null;
  let retry: NodeJS.Timeout | null = null;
  const listen = async (): Promise<void> => {
    const client = await pool.connect();
    let dropped = false;
    const drop = () => {
      if (dropped) return;
      dropped = true;
      client.off('notification', handler);
      client.off('error', onError);
      client.release(true); // the connection is gone: the pool must not hand it out again
    };
    const onError = () => {
      const wasListening = current === client;
      if (wasListening) current = null;
      drop();
      if (wasListening && !stopped) {
        opts.onDrop?.();
        scheduleRetry();
      }
    };
    client.on('error', onError);
    client.on('notification', handler);
    try {
      await client.query(`LISTEN ${channel}`);
    } catch (err) {
      drop();
      throw err;
    }
    if (dropped) throw new Error('the connection dropped while it started to listen');
    if (stopped) return drop(); // stopped while this retry was connecting
    current = client;
  };
  const scheduleRetry = () => {
    retry = setTimeout(() => {
      retry = null;
      listen().then(() => { if (!stopped) opts.onReconnect?.(); }, () => { if (!stopped && !retry && !current) scheduleRetry(); });
    }, opts.retryMs ?? 1000);
    retry.unref();
  };
  await listen();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const client = current;
    current = null;
    if (!client) return;
    client.off('notification', handler);
    await client.query(`UNLISTEN ${channel}`).catch(() => undefined);
    client.removeAllListeners('error');
    client.release(true); // not worth returning to the pool: this is shutdown
  };
}
