// What the signer process does for each request frame of an authenticated connection (server.ts):
// every header field is checked here before the Signer sees it, and every TBS is checked against the
// key about to sign it (tbs-guard.ts) and, for a certificate, claimed in the serial journal first.
import { createHash } from 'node:crypto';
import { KEY_TYPES } from '@anchorage/contracts';
import { readTbsSerialHex, SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from '@anchorage/pki';
import type { Signer } from '../signer';
import type { SignatureAudit, SignatureMeta } from '../types';
import { readHeader, type Frame } from './framing';
import { SIGNER_OPS, type GeneratedKeyResponse, type HealthResponse } from './protocol';
import type { SerialJournal } from './serial-journal';
import { checkSigningInput } from './tbs-guard';

/** A request the signer refuses as malformed: answered badRequest with the message. */
export class BadRequest extends Error {}

/** An operation's answer: an optional JSON header and an optional body. */
export interface Reply {
  header?: object;
  body?: Uint8Array;
}

/** Signatures made since start, by purpose. */
export type SignedCounts = Record<'certificate' | 'crl' | 'csr' | 'certification' | 'checkpoint', number>;

/**
 * The client records signature.before and signature.after in the audit log itself (it owns the
 * database); the process that signs has no storage, so its side of the audit is a no-op.
 */
export const CLIENT_AUDITS: SignatureAudit = { before: async () => undefined, after: async () => undefined };

const ALGS: ReadonlySet<string> = new Set(SIGNATURE_ALGORITHMS);
const KEYTYPES: ReadonlySet<string> = new Set(KEY_TYPES);

function text(what: string, v: unknown, max = 2048): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new BadRequest(`${what} must be a string of 1 to ${max} characters`);
  return v;
}

function noBody(f: Frame): void {
  if (f.body.length > 0) throw new BadRequest('this operation takes no body');
}

/** The operations of `signer` as one dispatcher; `signed` counts the signatures made. */
export function signerOperations(signer: Signer, journal: SerialJournal | undefined, signed: SignedCounts): (f: Frame) => Promise<Reply> {
  // A key's public key does not change: fetched from its backend once per key (the Signer and the
  // client cache it likewise), so the check of each TBS does not wait on the backend.
  const spkis = new Map<string, Promise<Uint8Array>>();
  const publicKey = (keyRef: string): Promise<Uint8Array> => {
    let p = spkis.get(keyRef);
    if (!p) {
      p = signer.publicKey(keyRef);
      spkis.set(keyRef, p);
      p.catch(() => spkis.delete(keyRef));
    }
    return p;
  };

  // Whether a key is a test key is recorded with it at creation (key-file.ts) and does not change either.
  const testKeys = new Map<string, Promise<boolean>>();
  const testKey = (keyRef: string): Promise<boolean> => {
    let p = testKeys.get(keyRef);
    if (!p) {
      p = signer.isTestKey(keyRef);
      testKeys.set(keyRef, p);
      p.catch(() => testKeys.delete(keyRef));
    }
    return p;
  };

  const sign = async (h: Record<string, unknown>, tbs: Uint8Array): Promise<Reply> => {
    const keyRef = text('keyRef', h.keyRef);
    if (typeof h.alg !== 'string' || !ALGS.has(h.alg)) throw new BadRequest(`alg must be one of ${SIGNATURE_ALGORITHMS.join(', ')}`);
    const alg = h.alg as SignatureAlgorithm;
    if (!h.meta || typeof h.meta !== 'object' || Array.isArray(h.meta)) throw new BadRequest('meta is required');
    const meta = h.meta as SignatureMeta;
    if (tbs.length === 0) throw new BadRequest('the TBS (the body) is required');
    checkSigningInput(tbs, alg, meta, await publicKey(keyRef), { testKey: await testKey(keyRef) });
    if (meta.purpose === 'certificate' && journal) journal.claim(keyRef, readTbsSerialHex(tbs), createHash('sha256').update(tbs).digest('hex'));
    const signature = await signer.signTbs(keyRef, tbs, alg, CLIENT_AUDITS, meta);
    signed[meta.purpose] += 1;
    return { body: signature };
  };

  return async (f) => {
    const h = readHeaderOrRefuse(f);
    switch (f.code) {
      case SIGNER_OPS.sign:
        return sign(h, f.body);
      case SIGNER_OPS.health:
        noBody(f);
        return { header: { ok: true, backends: signer.backendKinds, auditKey: signer.hasAuditKey } satisfies HealthResponse };
      case SIGNER_OPS.publicKey:
        noBody(f);
        return { body: await publicKey(text('keyRef', h.keyRef)) };
      case SIGNER_OPS.generateKey: {
        noBody(f);
        if (h.backend !== 'software' && h.backend !== 'pkcs11') throw new BadRequest('backend must be software or pkcs11');
        if (typeof h.keyType !== 'string' || !KEYTYPES.has(h.keyType)) throw new BadRequest(`keyType must be one of ${KEY_TYPES.join(', ')}`);
        if (h.test !== undefined && h.test !== true) throw new BadRequest('test must be true or absent');
        const k = await signer.generateKey(h.backend, h.keyType as (typeof KEY_TYPES)[number], text('label', h.label, 200), { test: h.test === true });
        return { header: { keyRef: k.keyRef, keyType: k.keyType, ...(k.test ? { test: true as const } : {}) } satisfies GeneratedKeyResponse, body: k.spkiDer };
      }
      case SIGNER_OPS.auditKey:
        noBody(f);
        return { body: await signer.auditPublicKey() };
      case SIGNER_OPS.auditCheckpoint: {
        if (f.body.length === 0) throw new BadRequest('the signing input (the body) is required');
        const signature = await signer.signAuditCheckpoint(f.body);
        signed.checkpoint += 1;
        return { body: signature };
      }
      case SIGNER_OPS.auth:
        throw new BadRequest('this connection has presented the token already');
      default:
        throw new BadRequest(`no operation ${f.code}`);
    }
  };
}

function readHeaderOrRefuse(f: Frame): Record<string, unknown> {
  try {
    return readHeader(f);
  } catch (err) {
    throw new BadRequest((err as Error).message);
  }
}
