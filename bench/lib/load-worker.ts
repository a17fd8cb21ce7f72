// Child process: a small HTTP/1.1 load generator for loopback servers. GET mode speaks raw HTTP
// over keep-alive sockets (cheap per request, so the server, not the client, is the bottleneck);
// POST mode uses node:http with a keep-alive agent and records per-request latencies.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { childInput, childResult } from './child';
import type { GetLoad, LoadResult, PostLoad } from './load';

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection sending the same request again as soon as a response completes. */
class RawConnection {
  private pending: Buffer | null = null;
  private bodyLeft = -1; // -1: reading a response head
  private status = 0;

  constructor(
    private readonly socket: Socket,
    private readonly requestBytes: Buffer,
    private readonly onResponse: (c: RawConnection, status: number, bodyBytes: number) => void,
    private readonly onError: (err: Error) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.data(chunk));
    socket.on('error', onError);
    socket.on('close', () => this.bodyLeft !== -1 && onError(new Error('connection closed mid-response')));
  }

  send(): void {
    this.socket.write(this.requestBytes);
  }

  close(): void {
    this.socket.destroy();
  }

  private bodyBytes = 0;

  private data(chunk: Buffer): void {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    let off = 0;
    while (off < buf.length) {
      if (this.bodyLeft < 0) {
        const end = buf.indexOf(HEADER_END, off);
        if (end < 0) {
          this.pending = Buffer.from(buf.subarray(off));
          return;
        }
        const head = buf.toString('latin1', off, end);
        if (/\r\ntransfer-encoding:/i.test(head)) return this.onError(new Error('chunked responses are not supported by the load generator'));
        this.status = Number(head.slice(9, 12));
        const m = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
        this.bodyLeft = m ? Number(m[1]) : 0;
        this.bodyBytes = this.bodyLeft;
        off = end + 4;
      }
      const take = Math.min(this.bodyLeft, buf.length - off);
      off += take;
      this.bodyLeft -= take;
      if (this.bodyLeft === 0) {
        this.bodyLeft = -1;
        this.onResponse(this, this.status, this.bodyBytes);
      }
    }
  }
}

async function runGet(o: GetLoad): Promise<LoadResult> {
  const head = [`GET ${o.path} HTTP/1.1`, `Host: ${o.host}:${o.port}`, 'Connection: keep-alive', ...Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}`)];
  const requestBytes = Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1');
  const sockets = await Promise.all(
    Array.from({ length: o.concurrency }, () => new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: o.host, port: o.port }, () => resolve(s));
      s.once('error', reject);
    })),
  );
  const phase = (total: number) => new Promise<{ ms: number; statuses: Record<string, number>; bytes: number }>((resolve, reject) => {
    const statuses: Record<string, number> = {};
    let issued = 0;
    let completed = 0;
    let bytes = 0;
    const start = process.hrtime.bigint();
    const timer = setTimeout(() => reject(new Error(`load did not finish within ${o.timeoutMs} ms (${completed}/${total})`)), o.timeoutMs);
    const conns = sockets.map((s) => new RawConnection(s, requestBytes, (c, status, n) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
      bytes += n;
      completed++;
      if (issued < total) {
        issued++;
        c.send();
      } else if (completed === total) {
        clearTimeout(timer);
        for (const s2 of sockets) s2.removeAllListeners('data');
        resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, statuses, bytes });
      }
    }, (err) => {
      clearTimeout(timer);
      reject(err);
    }));
    for (const c of conns) {
      if (issued >= total) break;
      issued++;
      c.send();
    }
  });
  if (o.warmup > 0) await phase(o.warmup);
  for (const s of sockets) s.removeAllListeners();
  const r = await phase(o.requests);
  for (const s of sockets) s.destroy();
  return { requests: o.requests, ms: r.ms, rps: (o.requests * 1000) / r.ms, statuses: r.statuses, bytes: r.bytes, latenciesMs: [], errors: [] };
}

async function runPost(o: PostLoad): Promise<LoadResult> {
  const bodies = JSON.parse(readFileSync(o.bodiesFile, 'utf8')) as string[];
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  const statuses: Record<string, number> = {};
  const latenciesMs: number[] = [];
  const errors: string[] = [];
  let next = 0;
  let bytes = 0;
  const one = (body: string) => new Promise<void>((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = request(
      { host: o.host, port: o.port, path: o.path, method: 'POST', agent, headers: { ...o.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
          const status = res.statusCode ?? 0;
          statuses[status] = (statuses[status] ?? 0) + 1;
          const text = Buffer.concat(chunks);
          bytes += text.length;
          if (status !== o.expectStatus && errors.length < 3) errors.push(`${status}: ${text.toString('utf8').slice(0, 300)}`);
          resolve();
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  const start = process.hrtime.bigint();
  const timer = setTimeout(() => {
    console.error(`POST load did not finish within ${o.timeoutMs} ms`);
    process.exit(3);
  }, o.timeoutMs);
  await Promise.all(Array.from({ length: o.concurrency }, async () => {
    while (next < bodies.length) await one(bodies[next++]);
  }));
  clearTimeout(timer);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  agent.destroy();
  return { requests: bodies.length, ms, rps: (bodies.length * 1000) / ms, statuses, bytes, latenciesMs, errors };
}

async function main(): Promise<void> {
  const input = childInput<GetLoad | PostLoad>();
  childResult(input.mode === 'get' ? await runGet(input) : await runPost(input));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
