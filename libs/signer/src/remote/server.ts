// The signer process's listener (apps/signer): the only code that holds CA keys and the audit key in a
// deployment, reached over a Unix socket by the API and the worker. Every request must carry the bearer
// secret; every TBS is checked against the key about to sign it (tbs-guard.ts) before it is signed.
import { createHash, timingSafeEqual } from 'node:crypto';
import { chmod, chown, unlink } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { KEY_TYPES } from '@anchorage/contracts';
import { readTbsSerialHex, SIGNATURE_ALGORITHMS } from '@anchorage/pki';
import { SignerError } from '../errors';
import type { Signer } from '../signer';
import type { SignatureAudit } from '../types';
import {
  MAX_REQUEST_BYTES, SIGNER_PATHS, type CheckpointRequest, type GenerateKeyRequest, type HealthResponse, type PublicKeyRequest, type SignRequest,
} from './protocol';
import type { SerialJournal } from './serial-journal';
import { checkSigningInput } from './tbs-guard';

/** A running signer listener. */
export interface SignerServer {
  socketPath: string;
  /** Signatures made since start, by purpose. */
  readonly signed: Record<'certificate' | 'crl' | 'csr' | 'checkpoint', number>;
  close(): Promise<void>;
}

/** A request the signer refuses: answered 400 with the message. */
class BadRequest extends Error {}

/**
 * The client records signature.before and signature.after in the audit log itself (it owns the
 * database); the process that signs has no storage, so its side of the audit is a no-op.
 */
const CLIENT_AUDITS: SignatureAudit = { before: async () => undefined, after: async () => undefined };

const ALGS: ReadonlySet<string> = new Set(SIGNATURE_ALGORITHMS);
const KEYTYPES: ReadonlySet<string> = new Set(KEY_TYPES);

function b64(what: string, v: unknown): Uint8Array {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw new BadRequest(`${what} must be base64`);
  return new Uint8Array(Buffer.from(v, 'base64'));
}

function text(what: string, v: unknown, max = 2048): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new BadRequest(`${what} must be a string of 1 to ${max} characters`);
  return v;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw new BadRequest(`request body over ${MAX_REQUEST_BYTES} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw new BadRequest('the body must be a JSON object');
  }
}

/** Whether something listens at `socketPath` (a stale socket file of a crashed signer does not). */
function listening(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection(socketPath);
    c.once('connect', () => { c.destroy(); resolve(true); });
    c.once('error', () => resolve(false));
  });
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
  const expected = createHash('sha256').update(o.token).digest();
  const signed = { certificate: 0, crl: 0, csr: 0, checkpoint: 0 };
  const authorized = (req: IncomingMessage): boolean => {
    const m = /^Bearer ([A-Za-z0-9+/]+={0,2})$/.exec(req.headers.authorization ?? '');
    // compare digests: equal length whatever was sent, so the comparison time tells nothing
    return m !== null && timingSafeEqual(createHash('sha256').update(Buffer.from(m[1], 'base64')).digest(), expected);
  };
  const handle = async (req: IncomingMessage): Promise<unknown> => {
    const path = req.url ?? '';
    if (req.method === 'GET' && path === SIGNER_PATHS.health) {
      return { ok: true, backends: signer.backendKinds, auditKey: signer.hasAuditKey } satisfies HealthResponse;
    }
    if (req.method === 'GET' && path === SIGNER_PATHS.auditKey) {
      return { spki: Buffer.from(await signer.auditPublicKey()).toString('base64') };
    }
    if (req.method !== 'POST') throw new BadRequest(`no operation ${req.method} ${path}`);
    const body = await readBody(req);
    switch (path) {
      case SIGNER_PATHS.publicKey: {
        const r = body as Partial<PublicKeyRequest>;
        return { spki: Buffer.from(await signer.publicKey(text('keyRef', r.keyRef))).toString('base64') };
      }
      case SIGNER_PATHS.generateKey: {
        const r = body as Partial<GenerateKeyRequest>;
        if (r.backend !== 'software' && r.backend !== 'pkcs11') throw new BadRequest('backend must be software or pkcs11');
        if (typeof r.keyType !== 'string' || !KEYTYPES.has(r.keyType)) throw new BadRequest(`keyType must be one of ${KEY_TYPES.join(', ')}`);
        const k = await signer.generateKey(r.backend, r.keyType, text('label', r.label, 200));
        return { keyRef: k.keyRef, spki: Buffer.from(k.spkiDer).toString('base64'), keyType: k.keyType };
      }
      case SIGNER_PATHS.sign: {
        const r = body as Partial<SignRequest>;
        const keyRef = text('keyRef', r.keyRef);
        if (typeof r.alg !== 'string' || !ALGS.has(r.alg)) throw new BadRequest(`alg must be one of ${SIGNATURE_ALGORITHMS.join(', ')}`);
        if (!r.meta || typeof r.meta !== 'object') throw new BadRequest('meta is required');
        const tbs = b64('tbs', r.tbs);
        checkSigningInput(tbs, r.alg, r.meta, await signer.publicKey(keyRef));
        if (r.meta.purpose === 'certificate' && o.journal) o.journal.claim(keyRef, readTbsSerialHex(tbs), createHash('sha256').update(tbs).digest('hex'));
        const signature = await signer.signTbs(keyRef, tbs, r.alg, CLIENT_AUDITS, r.meta);
        signed[r.meta.purpose] += 1;
        return { signature: Buffer.from(signature).toString('base64') };
      }
      case SIGNER_PATHS.auditCheckpoint: {
        const r = body as Partial<CheckpointRequest>;
        const signature = await signer.signAuditCheckpoint(b64('signingInput', r.signingInput));
        signed.checkpoint += 1;
        return { signature: Buffer.from(signature).toString('base64') };
      }
      default:
        throw new BadRequest(`no operation ${req.method} ${path}`);
    }
  };
  const send = (res: ServerResponse, status: number, value: unknown) => {
    const body = Buffer.from(JSON.stringify(value));
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  };
  const server: Server = createServer((req, res) => {
    if (!authorized(req)) {
      req.resume();
      o.log?.(`refused a request without the signer token: ${req.method} ${req.url}`);
      return send(res, 401, { error: 'the signer token is missing or wrong' });
    }
    handle(req).then(
      (v) => send(res, 200, v),
      (err: unknown) => {
        if (err instanceof BadRequest) return send(res, 400, { error: err.message });
        if (err instanceof SignerError) {
          o.log?.(`${req.url}: ${err.message}`);
          return send(res, 422, { error: err.message });
        }
        o.log?.(`${req.url}: ${(err as Error).stack ?? String(err)}`);
        return send(res, 500, { error: 'the signer failed; see its log' });
      },
    );
  });
  server.keepAliveTimeout = 60_000;
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
      server.closeIdleConnections();
    }),
  };
}
