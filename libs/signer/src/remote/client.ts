// The API's and the worker's way to the signer process (server.ts): the SigningService over a Unix
// socket. Audit hooks run here, in the caller's process, which owns the database; only the TBS and what
// it is cross to the signer, and only the signature comes back. Requests share a few persistent
// connections (connection.ts), each carrying many at once.
import { createHash } from 'node:crypto';
import type { KeyType } from '@anchorage/contracts';
import { SignerError } from '../errors';
import type { SigningService } from '../signing-service';
import type { GeneratedKey, KeyBackend, KeyGenerationOptions, SignatureAlgorithm, SignatureAudit, SignatureAuditEvent, SignatureMeta } from '../types';
import { SignerConnection } from './connection';
import { FrameError, readHeader, type Frame } from './framing';
import { SIGNER_OPS, type GenerateKeyRequest, type GeneratedKeyResponse, type HealthResponse, type PublicKeyRequest, type SignRequest } from './protocol';

const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** A frame's body as a Uint8Array of its own (not a view of the socket's buffer). */
const bytes = (f: Frame) => new Uint8Array(f.body);

/** An answer's JSON header; a SignerError when it is not one. */
function header<T>(f: Frame, op: string): Partial<T> {
  try {
    return readHeader(f) as Partial<T>;
  } catch (err) {
    if (err instanceof FrameError) throw new SignerError(`the signer answered ${op} with a malformed header: ${err.message}`);
    throw err;
  }
}

/** Settings of a SignerClient. */
export interface SignerClientOptions {
  socketPath: string;
  /** The bearer secret (ANCHORAGE_SIGNER_TOKEN_FILE). */
  token: Uint8Array;
  /** How long one request may take (a large CRL on an HSM: minutes); default 120 s. */
  timeoutMs?: number;
  /** Most connections to keep open; a new one is opened only while every open one is busy. Default 4. */
  connections?: number;
}

/** The signer process as a SigningService. Every failure is a SignerError, which the API answers 503. */
export class SignerClient implements SigningService {
  private readonly pool: SignerConnection[] = [];
  private readonly publicKeys = new Map<string, Promise<Uint8Array>>();
  private readonly maxConnections: number;
  private auditKey = false;
  private closed = false;

  private constructor(private readonly o: SignerClientOptions) {
    this.maxConnections = Math.max(1, o.connections ?? 4);
  }

  /** Connects (asks the signer's health) and returns the client; a SignerError names the socket when the signer cannot be reached. */
  static async connect(o: SignerClientOptions): Promise<SignerClient> {
    const client = new SignerClient(o);
    try {
      client.auditKey = header<HealthResponse>(await client.call(SIGNER_OPS.health, null), 'health').auditKey === true;
    } catch (err) {
      await client.close();
      throw err;
    }
    return client;
  }

  get hasAuditKey(): boolean {
    return this.auditKey;
  }

  async generateKey(backend: KeyBackend['kind'], keyType: KeyType, label: string, options: KeyGenerationOptions = {}): Promise<GeneratedKey> {
    const f = await this.call(SIGNER_OPS.generateKey, { backend, keyType, label, ...(options.test ? { test: true as const } : {}) } satisfies GenerateKeyRequest);
    const h = header<GeneratedKeyResponse>(f, 'generateKey');
    if (typeof h.keyRef !== 'string' || typeof h.keyType !== 'string') throw new SignerError('the signer answered generateKey without keyRef and keyType');
    if (Boolean(options.test) !== (h.test === true)) throw new SignerError(`the signer answered generateKey with a ${h.test ? 'test' : 'production'} key`);
    return { keyRef: h.keyRef, spkiDer: bytes(f), keyType: h.keyType, ...(h.test ? { test: true } : {}) };
  }

  /** SPKI DER of a key (cached per key: a CA's public key does not change). */
  publicKey(keyRef: string): Promise<Uint8Array> {
    let p = this.publicKeys.get(keyRef);
    if (!p) {
      p = this.call(SIGNER_OPS.publicKey, { keyRef } satisfies PublicKeyRequest).then(bytes);
      this.publicKeys.set(keyRef, p);
      p.catch(() => this.publicKeys.delete(keyRef));
    }
    return p;
  }

  async signTbs(keyRef: string, tbs: Uint8Array, alg: SignatureAlgorithm, audit: SignatureAudit, meta: SignatureMeta): Promise<Uint8Array> {
    const event: SignatureAuditEvent = {
      keyRef, purpose: meta.purpose, subject: meta.subject, ...(meta.entryCount === undefined ? {} : { entryCount: meta.entryCount }), algorithm: alg, tbsSha256: sha256Hex(tbs),
    };
    await audit.before(event);
    const signature = bytes(await this.call(SIGNER_OPS.sign, { keyRef, alg, meta } satisfies SignRequest, tbs));
    await audit.after({ ...event, signatureSha256: sha256Hex(signature) });
    return signature;
  }

  async auditPublicKey(): Promise<Uint8Array> {
    return bytes(await this.call(SIGNER_OPS.auditKey, null));
  }

  async signAuditCheckpoint(signingInput: Uint8Array): Promise<Uint8Array> {
    return bytes(await this.call(SIGNER_OPS.auditCheckpoint, null, signingInput));
  }

  /** Closes every connection; requests in flight fail, later calls too. */
  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.pool.splice(0)) c.close();
  }

  private call(op: number, header: object | null, body?: Uint8Array): Promise<Frame> {
    if (this.closed) return Promise.reject(new SignerError('the signer client is closed'));
    return this.connection().request(op, header, body);
  }

  /** The least busy open connection, or a new one while every open one is busy and the pool has room. */
  private connection(): SignerConnection {
    let best: SignerConnection | null = null;
    for (const c of this.pool) if (!best || c.inFlight < best.inFlight) best = c;
    if (best && (best.inFlight === 0 || this.pool.length >= this.maxConnections)) return best;
    const c: SignerConnection = new SignerConnection(
      { socketPath: this.o.socketPath, token: this.o.token, timeoutMs: this.o.timeoutMs ?? 120_000 },
      () => {
        const i = this.pool.indexOf(c);
        if (i >= 0) this.pool.splice(i, 1);
      },
    );
    this.pool.push(c);
    return c;
  }
}
