// One connection of a SignerClient (client.ts) to the signer process: the token first, then any number
// of requests in flight, each answered by id (protocol.ts). When the connection drops, every request
// still waiting on it fails with a SignerError; the client then opens another for the next call.
import { createConnection, type Socket } from 'node:net';
import { SignerError } from '../errors';
import { encodeFrame, FrameError, FrameReader, FrameWriter, readHeader, type Frame } from './framing';
import { MAX_RESPONSE_BYTES, opName, SIGNER_OPS, SIGNER_STATUS } from './protocol';

/** Where the signer listens and how long a request may take. */
export interface ConnectionOptions {
  socketPath: string;
  token: Uint8Array;
  timeoutMs: number;
}

interface Pending {
  resolve(f: Frame): void;
  reject(err: SignerError): void;
  timer: NodeJS.Timeout;
}

/** The message of an error answer. */
function errorText(f: Frame): string {
  try {
    const e = readHeader(f).error;
    if (typeof e === 'string') return e;
  } catch (err) {
    if (!(err instanceof FrameError)) throw err;
  }
  return `status ${f.code}`;
}

/** A multiplexed, authenticated connection; `onDead` runs once when it can take no more requests. */
export class SignerConnection {
  private readonly socket: Socket;
  private readonly reader: FrameReader;
  private readonly writer: FrameWriter;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: SignerError | null = null;

  constructor(private readonly o: ConnectionOptions, private readonly onDead: () => void) {
    this.reader = new FrameReader(MAX_RESPONSE_BYTES, (f) => this.answer(f));
    this.socket = createConnection(o.socketPath);
    this.writer = new FrameWriter(this.socket);
    this.socket.unref(); // an idle connection keeps no process alive; one with requests in flight does
    this.socket.on('data', (chunk: Buffer) => {
      try {
        this.reader.push(chunk);
      } catch (err) {
        if (!(err instanceof FrameError)) throw err;
        this.fail(`its answer broke the frame format: ${err.message}`);
      }
    });
    this.socket.on('error', (err) => this.fail(err.message));
    this.socket.on('close', () => this.fail('it closed the connection'));
    // Written before any request; the signer reads nothing after it unless it holds the token. A refusal
    // fails every request on the connection with the signer's message.
    this.request(SIGNER_OPS.auth, null, o.token).catch(() => undefined);
  }

  /** Requests waiting for their answer. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Sends a request; resolves with its ok answer, rejects with SignerError on any other. */
  request(op: number, header: object | null, body?: Uint8Array): Promise<Frame> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId;
    this.nextId = this.nextId === 0xffffffff ? 1 : this.nextId + 1;
    const chunks = encodeFrame(id, op, header, body);
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending.delete(id)) {
          if (this.pending.size === 0) this.socket.unref();
          reject(new SignerError(`the signer process at ${this.o.socketPath} did not answer ${opName(op)} within ${this.o.timeoutMs} ms`));
        }
      }, this.o.timeoutMs);
      if (this.pending.size === 0) this.socket.ref();
      this.pending.set(id, { resolve, reject, timer });
      this.writer.write(chunks);
    });
  }

  /** Closes the connection; requests in flight fail. */
  close(): void {
    this.fail('the client closed the connection', 'the signer client is closed');
  }

  private answer(f: Frame): void {
    const p = this.pending.get(f.id);
    if (f.code === SIGNER_STATUS.unauthorized) {
      // the signer closes the connection after this: everything on it fails with its message
      return this.fail('', `signer: ${errorText(f)}`);
    }
    if (!p) return; // answered after its timeout
    this.pending.delete(f.id);
    clearTimeout(p.timer);
    if (this.pending.size === 0) this.socket.unref();
    if (f.code === SIGNER_STATUS.ok) return p.resolve(f);
    p.reject(new SignerError(`signer: ${errorText(f)}`));
  }

  private fail(detail: string, message = `the signer process at ${this.o.socketPath} is unreachable: ${detail}`): void {
    if (this.dead) return;
    this.dead = new SignerError(message);
    this.reader.stop();
    this.socket.destroy();
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(this.dead);
    }
    this.pending.clear();
    this.onDead();
  }
}
