// Child process: a small HTTP/1.1 load generator for loopback servers. It speaks raw HTTP over
// keep-alive sockets with every request serialized up front, so it costs little CPU per request: the
// machine's cores go to the server, not the client (node:http cost ~0.7 ms per issuance request,
// about one RSA signature). POST mode records per-request latencies.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { childInput, childResult } from './child';
import type { GetLoad, LoadResult, PostLoad } from './load';

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection sending the same request again as soon as a response completes. */
class RawConnection {
  private pending: Buffer | null = null;
  private bodyLeft = -1; // -1: reading a response head
  private status = 0;
  /** Body of the current response, kept only when `keepBody(status)` says so (error messages). */
  private body: Buffer[] | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly requestBytes: Buffer,
    private readonly onResponse: (c: RawConnection, status: number, bodyBytes: number, body: Buffer | null) => void,
    private readonly onError: (err: Error) => void,
    private readonly keepBody: (status: number) => boolean = () => false,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.data(chunk));
    socket.on('error', onError);
    socket.on('close', () => this.bodyLeft !== -1 && onError(new Error('connection closed mid-response')));
  }

  send(bytes: Buffer = this.requestBytes): void {
    this.socket.write(bytes);
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
        this.body = this.keepBody(this.status) ? [] : null;
        off = end + 4;
      }
      const take = Math.min(this.bodyLeft, buf.length - off);
      this.body?.push(Buffer.from(buf.subarray(off, off + take)));
      off += take;
      this.bodyLeft -= take;
      if (this.bodyLeft === 0) {
        this.bodyLeft = -1;
        this.onResponse(this, this.status, this.bodyBytes, this.body ? Buffer.concat(this.body) : null);
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
  const head = [`POST ${o.path} HTTP/1.1`, `Host: ${o.host}:${o.port}`, 'Connection: keep-alive', 'Content-Type: application/json', ...Object.entries(o.headers).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  const requests = bodies.map((b) => Buffer.concat([Buffer.from(`${head}\r\nContent-Length: ${Buffer.byteLength(b)}\r\n\r\n`, 'latin1'), Buffer.from(b, 'utf8')]));
  const sockets = await Promise.all(
    Array.from({ length: Math.min(o.concurrency, requests.length) }, () => new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: o.host, port: o.port }, () => resolve(s));
      s.once('error', reject);
    })),
  );
  const statuses: Record<string, number> = {};
  const latenciesMs: number[] = [];
  const errors: string[] = [];
  let next = 0;
  let completed = 0;
  let bytes = 0;
  const sentAt = new Map<RawConnection, bigint>();
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`POST load did not finish within ${o.timeoutMs} ms (${completed}/${requests.length})`)), o.timeoutMs);
    const sendNext = (c: RawConnection) => {
      if (next >= requests.length) return;
      sentAt.set(c, process.hrtime.bigint());
      c.send(requests[next++]);
    };
    const conns = sockets.map((s) => new RawConnection(s, Buffer.alloc(0), (c, status, n, body) => {
      latenciesMs.push(Number(process.hrtime.bigint() - sentAt.get(c)!) / 1e6);
      statuses[status] = (statuses[status] ?? 0) + 1;
      bytes += n;
      if (body && errors.length < 3) errors.push(`${status}: ${body.toString('utf8').slice(0, 300)}`);
      completed++;
      if (completed === requests.length) {
        clearTimeout(timer);
        resolve();
      } else {
        sendNext(c);
      }
    }, (err) => {
      clearTimeout(timer);
      reject(err);
    }, (status) => status !== o.expectStatus));
    for (const c of conns) sendNext(c);
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  for (const s of sockets) s.destroy();
  return { requests: requests.length, ms, rps: (requests.length * 1000) / ms, statuses, bytes, latenciesMs, errors, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function main(): Promise<void> {
  const input = childInput<GetLoad | PostLoad>();
  childResult(input.mode === 'get' ? await runGet(input) : await runPost(input));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
