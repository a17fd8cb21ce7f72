// The API's and the worker's way to the signer process (server.ts): the SigningService over a Unix
// socket. Audit hooks run here, in the caller's process, which owns the database; only the TBS and what
// it is cross to the signer, and only the signature comes back.
import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { KeyType } from '@anchorage/contracts';
import { SignerError } from '../errors';
import type { SigningService } from '../signing-service';
import type { GeneratedKey, KeyBackend, SignatureAlgorithm, SignatureAudit, SignatureAuditEvent, SignatureMeta } from '../types';
import { SIGNER_PATHS, type ErrorResponse, type GeneratedKeyResponse, type HealthResponse, type SignResponse, type SpkiResponse } from './protocol';

const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const toB64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

/** Settings of a SignerClient. */
export interface SignerClientOptions {
  socketPath: string;
  /** The bearer secret (ANCHORAGE_SIGNER_TOKEN_FILE). */
  token: Uint8Array;
  /** How long one request may take (a large CRL on an HSM: minutes); default 120 s. */
  timeoutMs?: number;
}

/** The signer process as a SigningService. Every failure is a SignerError, which the API answers 503. */
export class SignerClient implements SigningService {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 32 });
  private readonly authorization: string;
  private readonly publicKeys = new Map<string, Promise<Uint8Array>>();

  private constructor(private readonly o: SignerClientOptions, readonly hasAuditKey: boolean) {
    this.authorization = `Bearer ${Buffer.from(o.token).toString('base64')}`;
  }

  /** Connects (asks the signer's health) and returns the client; a SignerError names the socket when the signer cannot be reached. */
  static async connect(o: SignerClientOptions): Promise<SignerClient> {
    const probe = new SignerClient(o, false);
    const health = await probe.call<HealthResponse>('GET', SIGNER_PATHS.health);
    await probe.close();
    return new SignerClient(o, health.auditKey);
  }

  async generateKey(backend: KeyBackend['kind'], keyType: KeyType, label: string): Promise<GeneratedKey> {
    const r = await this.call<GeneratedKeyResponse>('POST', SIGNER_PATHS.generateKey, { backend, keyType, label });
    return { keyRef: r.keyRef, spkiDer: fromB64(r.spki), keyType: r.keyType };
  }

  /** SPKI DER of a key (cached per key: a CA's public key does not change). */
  publicKey(keyRef: string): Promise<Uint8Array> {
    let p = this.publicKeys.get(keyRef);
    if (!p) {
      p = this.call<SpkiResponse>('POST', SIGNER_PATHS.publicKey, { keyRef }).then((r) => fromB64(r.spki));
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
    const r = await this.call<SignResponse>('POST', SIGNER_PATHS.sign, { keyRef, alg, tbs: toB64(tbs), meta });
    const signature = fromB64(r.signature);
    await audit.after({ ...event, signatureSha256: sha256Hex(signature) });
    return signature;
  }

  async auditPublicKey(): Promise<Uint8Array> {
    return fromB64((await this.call<SpkiResponse>('GET', SIGNER_PATHS.auditKey)).spki);
  }

  async signAuditCheckpoint(signingInput: Uint8Array): Promise<Uint8Array> {
    return fromB64((await this.call<SignResponse>('POST', SIGNER_PATHS.auditCheckpoint, { signingInput: toB64(signingInput) })).signature);
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise<T>((resolve, reject) => {
      const req = request({
        socketPath: this.o.socketPath, path, method, agent: this.agent, timeout: this.o.timeoutMs ?? 120_000,
        headers: { authorization: this.authorization, ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new SignerError(`the signer's answer to ${path} broke off: ${err.message}`)));
        res.on('end', () => {
          let v: unknown;
          try {
            v = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return reject(new SignerError(`the signer answered ${path} with ${res.statusCode} and no JSON`));
          }
          if (res.statusCode === 200) return resolve(v as T);
          reject(new SignerError(`signer: ${(v as ErrorResponse).error ?? `status ${res.statusCode}`}`));
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.o.timeoutMs ?? 120_000} ms`)));
      req.on('error', (err) => reject(new SignerError(`the signer process at ${this.o.socketPath} is unreachable: ${err.message}`)));
      req.end(payload);
    });
  }
}
