import { createServer, type Server } from 'node:http';
import { AUDIT_LINK_BOUND_MS, isExternalCa, type Platform } from '@anchorage/authority';
import type { QueueInspector } from '@anchorage/jobs';
import type { RunningWorker } from './worker';

type Labels = Record<string, string>;

/** Prometheus text exposition (version 0.0.4), written by hand: a few families, no client library needed. */
class Exposition {
  private readonly lines: string[] = [];

  family(name: string, type: 'gauge' | 'counter', help: string, samples: [Labels, number][]): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const l = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',');
      this.lines.push(`${name}${l ? `{${l}}` : ''} ${Number.isFinite(value) ? value : 'NaN'}`);
    }
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

const byName = (m: Map<string, number>): [Labels, number][] => [...m.entries()].map(([name, n]) => [{ name }, n]);

/**
 * The worker's metrics: CRL freshness and size per CA, certificates and bulk revocations by status
 * (from PostgreSQL, so every instance reports the same platform-wide figures), queue depth per
 * state (from Redis), the outbox backlog, and this process's job counters.
 */
export async function renderMetrics(platform: Platform, inspector: QueueInspector, w: RunningWorker): Promise<string> {
  const out = new Exposition();
  const now = platform.clock.now().getTime();
  const [m, backlog, unlinked] = await Promise.all([platform.db.reports.metrics(), platform.db.outboxRelay.backlog(), platform.db.audit.unlinked(AUDIT_LINK_BOUND_MS)]);
  const own = m.crls.filter((c) => !isExternalCa(c) && c.crlNumber !== null);
  const ca = (c: (typeof own)[number]): Labels => ({ ca_id: c.caId, community_id: c.communityId, role: c.role, status: c.status });
  out.family('anchorage_crl_seconds_until_next_update', 'gauge', 'Seconds until the nextUpdate of the CA\'s newest CRL (negative: lapsed).',
    own.map((c) => [ca(c), Math.floor((c.nextUpdate!.getTime() - now) / 1000)]));
  out.family('anchorage_crl_number', 'gauge', 'CRL Number of the CA\'s newest CRL.', own.map((c) => [ca(c), Number(c.crlNumber)]));
  out.family('anchorage_crl_entries', 'gauge', 'Revoked certificates listed on the CA\'s newest CRL.', own.map((c) => [ca(c), c.entryCount ?? 0]));
  out.family('anchorage_crl_size_bytes', 'gauge', 'Size of the CA\'s newest CRL (DER).', own.map((c) => [ca(c), c.bytes ?? 0]));
  out.family('anchorage_cas_without_crl', 'gauge', 'CAs the platform signs for that have no CRL yet.', [[{}, m.crls.filter((c) => !isExternalCa(c) && c.crlNumber === null).length]]);
  const certs = m.certificates;
  out.family('anchorage_certificates', 'gauge', 'Certificates by status.', Object.entries(certs).map(([status, n]) => [{ status }, n]));
  out.family('anchorage_certificates_issued_total', 'counter', 'Certificates ever issued (rows are never deleted).',
    [[{}, (certs.issued ?? 0) + (certs.revoked ?? 0) + (certs['on-hold'] ?? 0)]]);
  out.family('anchorage_certificates_revoked_total', 'counter', 'Certificates revoked for good (a final state).', [[{}, certs.revoked ?? 0]]);
  out.family('anchorage_bulk_revocations', 'gauge', 'Bulk revocations by status.', Object.entries(m.bulkRevocations).map(([status, n]) => [{ status }, n]));
  out.family('anchorage_outbox_unrelayed', 'gauge', 'Jobs committed but not yet moved into Redis.', [[{}, backlog.unrelayed]]);
  out.family('anchorage_outbox_oldest_unrelayed_seconds', 'gauge', 'Age of the oldest job waiting in the outbox.', [[{}, Math.round(backlog.oldestUnrelayedSeconds)]]);
  out.family('anchorage_outbox_relayed_incomplete', 'gauge', 'Jobs moved into Redis and not finished.', [[{}, backlog.relayedIncomplete]]);
  out.family('anchorage_audit_unlinked_events', 'gauge', 'Audit events committed but not yet linked into the hash chain.', [[{}, unlinked.count]]);
  out.family('anchorage_audit_unlinked_overdue_events', 'gauge', `Audit events left unlinked for over ${AUDIT_LINK_BOUND_MS / 1000} s (no sequencer running?).`, [[{}, unlinked.overdue]]);
  out.family('anchorage_audit_linked_total', 'counter', 'Audit events this worker\'s sequencer linked into the hash chain.', [[{}, w.sequencer.counters.linked]]);
  out.family('anchorage_audit_sequencer_errors_total', 'counter', 'Sequencer rounds of this worker that failed.', [[{}, w.sequencer.counters.errors]]);
  let redisUp = 1;
  try {
    const counts = await inspector.counts();
    out.family('anchorage_queue_jobs', 'gauge', 'Jobs per queue and state.',
      counts.flatMap((q) => Object.entries(q.counts).map(([state, n]): [Labels, number] => [{ queue: q.name, state }, n])));
  } catch {
    redisUp = 0;
  }
  out.family('anchorage_redis_up', 'gauge', '1 when Redis answered this scrape.', [[{}, redisUp]]);
  out.family('anchorage_jobs_processed_total', 'counter', 'Jobs this worker completed, by name.', byName(w.counters.processed));
  out.family('anchorage_jobs_failed_total', 'counter', 'Job attempts that failed in this worker, by name.', byName(w.counters.failed));
  out.family('anchorage_jobs_skipped_total', 'counter', 'Redelivered jobs this worker skipped as already completed, by name.', byName(w.counters.skipped));
  out.family('anchorage_bulk_revoked_certificates_total', 'counter', 'Certificates this worker revoked in bulk revocations.', [[{}, w.counters.revokedInBulk]]);
  out.family('anchorage_notices_sent_total', 'counter', 'Expiry notices sent, by channel (e-mail handed to the mail server, webhook answered 2xx).',
    [[{ channel: 'email' }, m.notices.emailed], [{ channel: 'webhook' }, m.notices.webhooks]]);
  out.family('anchorage_notices_pending', 'gauge', 'Expiry notices whose e-mail or webhook is still to be delivered.', [[{}, m.notices.pending]]);
  out.family('anchorage_crl_direct_sweeps_total', 'counter', 'CRL sweeps this worker ran in process because no queued sweep completed (Redis down).', [[{}, w.counters.directSweeps]]);
  out.family('anchorage_crl_paused_seconds_total', 'counter', 'Time this worker\'s CRL regenerations paused to leave a busy machine to other work (ANCHORAGE_CRL_PACING_DUTY).', [[{}, w.counters.crlPausedMs / 1000]]);
  out.family('anchorage_outbox_relayed_total', 'counter', 'Outbox rows this worker moved into Redis.', [[{}, w.relay.relayed]]);
  out.family('anchorage_outbox_relay_failed_rounds_total', 'counter', 'Relay rounds that failed (Redis or PostgreSQL unreachable).', [[{}, w.relay.failedRounds]]);
  return out.toString();
}

/** A running metrics listener. */
export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves GET /metrics (Prometheus) and GET /healthz (200 when PostgreSQL and Redis answer, else 503
 * naming the one that does not). Nothing else: the worker has no public HTTP.
 */
export async function startMetricsServer(platform: Platform, inspector: QueueInspector, w: RunningWorker, host: string, port: number): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, 'text/plain', 'only GET\n');
    if (path === '/metrics') {
      renderMetrics(platform, inspector, w).then((body) => send(200, 'text/plain; version=0.0.4; charset=utf-8', body), (err: Error) => send(503, 'text/plain', `metrics unavailable: ${err.message}\n`));
      return;
    }
    if (path === '/healthz') {
      void health(platform, inspector).then((h) => send(h.ok ? 200 : 503, 'application/json', JSON.stringify(h)));
      return;
    }
    send(404, 'text/plain', 'GET /metrics or /healthz\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  return {
    url: `http://${host}:${bound}`,
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}

async function health(platform: Platform, inspector: QueueInspector): Promise<{ ok: boolean; postgres: string; redis: string }> {
  const postgres = await platform.db.outboxRelay.backlog().then(() => 'ok', (e: Error) => e.message);
  const redis = await inspector.counts().then(() => 'ok', (e: Error) => e.message);
  return { ok: postgres === 'ok' && redis === 'ok', postgres, redis };
}
