// The signer process's listener (apps/signer): the only code that holds CA keys and the audit key in a
// deployment, reached over a Unix socket by the API and the worker (protocol.ts). A connection must
// prove the bearer secret in its first frame before anything else it sends is read; after that its
// requests run concurrently and are answered by id. Every TBS is checked against the key about to sign
// it (operations.ts, tbs-guard.ts) before it is signed.
import { createHash, timingSafeEqual } from 'node:crypto';
import { chmod, chown, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import { SignerError } from '../errors';
import type { Signer } from '../signer';
import { encodeFrame, FrameError, FrameReader, FrameWriter, type Frame } from './framing';
import { BadRequest, signerOperations, type Reply, type SignedCounts } from './operations';
import { AUTH_TIMEOUT_MS, MAX_AUTH_FRAME_BYTES, MAX_REQUEST_BYTES, opName, SIGNER_OPS, SIGNER_STATUS } from './protocol';
import type { SerialJournal } from './serial-journal';

/** A running signer listener. */
export interface SignerServer {
  socketPath: string;
  /** Signatures made since start, by purpose. */
  readonly signed: SignedCounts;
  close(): Promise<void>;
}

/** Requests, and bytes of them, one connection may have in flight before the server stops reading from it until some finish. */
const MAX_IN_FLIGHT = 256;
const MAX_IN_FLIGHT_BYTES = 2 * MAX_REQUEST_BYTES;
/** How long a closing connection may take to take its last frame before it is cut. */
const HANG_UP_GRACE_MS = 1000;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

interface ConnectionContext {
  /** SHA-256 of the token. */
  expected: Buffer;
  operate: (f: Frame) => Promise<Reply>;
  log: (line: string) => void;
}

/** Whether something listens at `socketPath` (a stale socket file of a crashed signer does not). */
function listening(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection(socketPath);
    c.once('connect', () => { c.destroy(); resolve(true); });
    c.once('error', () => resolve(false));
  });
}

/** The status and message a failed request is answered with; unexpected failures are logged, never sent. */
function failure(err: unknown, op: number, log: (line: string) => void): [number, string] {
  if (err instanceof BadRequest) return [SIGNER_STATUS.badRequest, err.message];
  if (err instanceof SignerError) {
    log(`${opName(op)}: ${err.message}`);
    return [SIGNER_STATUS.refused, err.message];
  }
  log(`${opName(op)}: ${(err as Error)?.stack ?? String(err)}`);
  return [SIGNER_STATUS.failed, 'the signer failed; see its log'];
}

/** Serves one connection; returns how to close it once its requests in flight are answered. */
function serveConnection(socket: Socket, ctx: ConnectionContext, onClose: () => void): { closeWhenIdle(): void } {
  let authenticated = false;
  let inFlight = 0;
  let inFlightBytes = 0;
  let closing = false;
  const writer = new FrameWriter(socket);
  const send = (id: number, status: number, reply: Reply) => {
    if (!socket.destroyed && socket.writable) writer.write(encodeFrame(id, status, reply.header, reply.body));
  };
  const hangUp = () => {
    reader.stop();
    if (socket.destroyed) return;
    socket.once('finish', () => socket.destroy());
    socket.end();
    setTimeout(() => socket.destroy(), HANG_UP_GRACE_MS).unref();
  };
  const refuse = (id: number, why: string) => {
    ctx.log(`refused a connection without the signer token: ${why}`);
    send(id, SIGNER_STATUS.unauthorized, { header: { error: 'the signer token is missing or wrong' } });
    hangUp();
  };
  const authTimer = setTimeout(() => refuse(0, `no token within ${AUTH_TIMEOUT_MS} ms`), AUTH_TIMEOUT_MS);

  const full = () => inFlight >= MAX_IN_FLIGHT || inFlightBytes >= MAX_IN_FLIGHT_BYTES;
  const dispatch = (f: Frame) => {
    const size = f.header.length + f.body.length;
    inFlight += 1;
    inFlightBytes += size;
    if (full()) socket.pause();
    const done = () => {
      inFlight -= 1;
      inFlightBytes -= size;
      if (closing && inFlight === 0) hangUp();
      else if (!closing && socket.isPaused() && !full()) socket.resume();
    };
    ctx.operate(f).then(
      (reply) => { send(f.id, SIGNER_STATUS.ok, reply); done(); },
      (err: unknown) => {
        const [status, message] = failure(err, f.code, ctx.log);
        send(f.id, status, { header: { error: message } });
        done();
      },
    );
  };

  const reader = new FrameReader(MAX_AUTH_FRAME_BYTES, (f) => {
    if (authenticated) return void dispatch(f);
    // nothing but the token is read before the token: the first frame proves it or the connection ends
    if (f.code !== SIGNER_OPS.auth) {
      refuse(f.id, `its first frame was ${opName(f.code)}, not auth`);
      return false;
    }
    // compare digests: equal length whatever was sent, so the comparison time tells nothing
    if (!timingSafeEqual(sha256(f.body), ctx.expected)) {
      refuse(f.id, 'a wrong token');
      return false;
    }
    authenticated = true;
    clearTimeout(authTimer);
    reader.maxFrameBytes = MAX_REQUEST_BYTES;
    send(f.id, SIGNER_STATUS.ok, {});
    return true;
  });

  socket.on('data', (chunk: Buffer) => {
    try {
      reader.push(chunk);
    } catch (err) {
      if (!(err instanceof FrameError)) throw err;
      if (!authenticated) return refuse(err.id, err.message);
      ctx.log(`closed a connection after a malformed frame: ${err.message}`);
      send(err.id, SIGNER_STATUS.badRequest, { header: { error: err.message } });
      hangUp();
    }
  });
  socket.on('error', () => undefined); // a client gone mid-answer: 'close' follows
  socket.on('close', () => {
    clearTimeout(authTimer);
    reader.stop();
    onClose();
  });
  return {
    closeWhenIdle: () => {
      closing = true;
      reader.stop(); // no new requests; those in flight are answered first
      if (inFlight === 0) hangUp();
    },
  };
}

/**
 * Serves `signer` on the Unix socket `socketPath` (mode 0660, group `socketGroup` if given) to clients presenting `token`;
 * with `journal`, each certificate serial is signed once per key. Refuses to
 * start when another signer already listens there; removes a stale socket file of a crashed one.
 */
export async function startSignerServer(
  signer: Signer, o: { socketPath: string; token: Uint8Array; socketGroup?: number | null; journal?: SerialJournal; log?: (line: string) => void },
): Promise<SignerServer> {
  if (o.token.length < 32) throw new SignerError('the signer token must be at least 32 bytes');
  const signed: SignedCounts = { certificate: 0, crl: 0, csr: 0, certification: 0, checkpoint: 0 };
  const ctx: ConnectionContext = { expected: sha256(o.token), operate: signerOperations(signer, o.journal, signed), log: o.log ?? (() => undefined) };
  const connections = new Set<{ closeWhenIdle(): void }>();
  const server = createServer((socket) => {
    const c = serveConnection(socket, ctx, () => connections.delete(c));
    connections.add(c);
  });
  if (await listening(o.socketPath)) throw new SignerError(`another signer already listens on ${o.socketPath}`);
  await unlink(o.socketPath).catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.socketPath, () => resolve());
  });
  await chmod(o.socketPath, 0o660);
  if (o.socketGroup !== undefined && o.socketGroup !== null) await chown(o.socketPath, process.getuid?.() ?? 0, o.socketGroup);
  return {
    socketPath: o.socketPath,
    signed,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const c of connections) c.closeWhenIdle();
    }),
  };
}
