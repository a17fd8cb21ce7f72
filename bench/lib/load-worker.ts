// Child process: a small HTTP/1.1 load generator for loopback servers. It speaks raw HTTP over
// keep-alive sockets with every request serialized up front, so it costs little CPU per request: the
// machine's cores go to the server, not the client (node:http cost ~0.7 ms per issuance request,
// about one RSA signature). POST mode records per-request latencies. Responses are framed by
// Content-Length or chunked transfer coding (Go's net/http chunks bodies over 2 KB); sockets can be
// TLS (`tls` option, handshake done before the clock starts) for servers that only speak HTTPS.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { childInput, childResult } from './child';
import type { GetLoad, LoadResult, LoadTls, PostLoad } from './load';

const HEADER_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

/** Where a connection is in the response it is reading. */
const Read = { Head: 0, Body: 1, ChunkSize: 2, ChunkData: 3, ChunkEnd: 4, Trailer: 5 } as const;
type ReadState = (typeof Read)[keyof typeof Read];

/** One keep-alive connection sending the same request again as soon as a response completes. */
class RawConnection {
  private pending: Buffer | null = null;
  private state: ReadState = Read.Head;
  private left = 0;
  private status = 0;
  private bodyBytes = 0;
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
    socket.on('close', () => this.state !== Read.Head && onError(new Error('connection closed mid-response')));
  }

  send(bytes: Buffer = this.requestBytes): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }

  private take(buf: Buffer, off: number): number {
    const n = Math.min(this.left, buf.length - off);
    this.body?.push(Buffer.from(buf.subarray(off, off + n)));
    this.bodyBytes += n;
    this.left -= n;
    return off + n;
  }

  private complete(): void {
    this.state = Read.Head;
    this.onResponse(this, this.status, this.bodyBytes, this.body ? Buffer.concat(this.body) : null);
  }

  private data(chunk: Buffer): void {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    let off = 0;
    const wait = () => {
      this.pending = off < buf.length ? Buffer.from(buf.subarray(off)) : null;
    };
    while (off < buf.length) {
      if (this.state === Read.Head) {
        const end = buf.indexOf(HEADER_END, off);
        if (end < 0) return wait();
        const head = buf.toString('latin1', off, end);
        off = end + 4;
        this.status = Number(head.slice(9, 12));
        this.bodyBytes = 0;
        this.body = this.keepBody(this.status) ? [] : null;
        if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) {
          this.state = Read.ChunkSize;
          continue;
        }
        const m = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
        this.left = m ? Number(m[1]) : 0;
        this.state = Read.Body;
        if (this.left === 0) this.complete();
        continue;
      }
      if (this.state === Read.Body) {
        off = this.take(buf, off);
        if (this.left === 0) this.complete();
        continue;
      }
      if (this.state === Read.ChunkSize) {
        const end = buf.indexOf(CRLF, off);
        if (end < 0) return wait();
        const size = parseInt(buf.toString('latin1', off, end).split(';')[0], 16);
        if (!Number.isFinite(size)) return this.onError(new Error('malformed chunk size'));
        off = end + 2;
        this.left = size;
        this.state = size === 0 ? Read.Trailer : Read.ChunkData;
        continue;
      }
      if (this.state === Read.ChunkData) {
        off = this.take(buf, off);
        if (this.left === 0) this.state = Read.ChunkEnd;
        continue;
      }
      if (this.state === Read.ChunkEnd) {
        if (buf.length - off < 2) return wait();
        off += 2;
        this.state = Read.ChunkSize;
        continue;
      }
      // Trailer: empty line right away, or trailer fields ending with an empty line
      if (buf.length - off < 2) return wait();
      if (buf[off] === 13 && buf[off + 1] === 10) {
        off += 2;
        this.complete();
        continue;
      }
      const end = buf.indexOf(HEADER_END, off);
      if (end < 0) return wait();
      off = end + 4;
      this.complete();
    }
  }
}

/** A connected socket, plain TCP or TLS (handshake finished) to a loopback server. */
function openSocket(host: string, port: number, tls: LoadTls | undefined): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    if (tls) {
      const s = tlsConnect({ host, port, servername: tls.servername, ca: readFileSync(tls.caFile), ALPNProtocols: ['http/1.1'] }, () => resolve(s));
      s.once('error', reject);
    } else {
      const s = connect({ host, port }, () => resolve(s));
      s.once('error', reject);
    }
  });
}

async function runGet(o: GetLoad): Promise<LoadResult> {
  const head = [`GET ${o.path} HTTP/1.1`, `Host: ${o.host}:${o.port}`, 'Connection: keep-alive', ...Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}`)];
  const requestBytes = Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1');
  const sockets = await Promise.all(Array.from({ length: o.concurrency }, () => openSocket(o.host, o.port, o.tls)));
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
  const sockets = await Promise.all(Array.from({ length: Math.min(o.concurrency, requests.length) }, () => openSocket(o.host, o.port, o.tls)));
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
