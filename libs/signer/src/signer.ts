import { createHash, type KeyObject } from 'node:crypto';
import type { KeyType } from '@anchorage/contracts';
import { assertAlgorithmFits } from './algorithms';
import { SignerError } from './errors';
import { describeKeyRef, PKCS11_PREFIX, SOFT_PREFIX } from './key-ref';
import { keyTypeOfKeyObject } from './key-type';
import type { GeneratedKey, KeyBackend, SignatureAlgorithm, SignatureAudit, SignatureAuditEvent, SignatureMeta } from './types';
import { publicKeyFromSpki, verifySignature } from './verify-signature';

const PURPOSES: ReadonlySet<string> = new Set(['certificate', 'crl', 'csr']);

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The only holder of CA private keys (architecture: signer role). It signs a fully decided TBS and
 * nothing else: no policy, storage or HTTP. Routes each keyRef to a backend by its prefix.
 */
export class Signer {
  private readonly backends = new Map<KeyBackend['kind'], KeyBackend>();
  private readonly verificationKeys = new Map<string, { key: KeyObject; keyType: KeyType }>();

  constructor(backends: KeyBackend[]) {
    for (const backend of backends) {
      if (this.backends.has(backend.kind)) {
        throw new SignerError(`more than one ${backend.kind} key backend configured`);
      }
      this.backends.set(backend.kind, backend);
    }
  }

  /** Generates a CA key pair in the named backend. */
  async generateKey(backend: KeyBackend['kind'], keyType: KeyType, label: string): Promise<GeneratedKey> {
    const b = this.backends.get(backend);
    if (!b) throw new SignerError(`no ${backend} key backend configured`);
    return b.generateKey(keyType, label);
  }

  /** SPKI DER of a key. */
  async publicKey(keyRef: string): Promise<Uint8Array> {
    return this.backendFor(keyRef).publicKey(keyRef);
  }

  /**
   * Signs a fully decided TBS (certificate, CRL or CSR info): audit.before, sign, self-check the
   * signature against the public key, audit.after. Nothing is signed if audit.before fails, and the
   * signature is withheld if the self-check or audit.after fails (architecture habit 2).
   */
  async signTbs(
    keyRef: string,
    tbs: Uint8Array,
    alg: SignatureAlgorithm,
    audit: SignatureAudit,
    meta: SignatureMeta,
  ): Promise<Uint8Array> {
    const backend = this.backendFor(keyRef);
    checkRequest(tbs, meta);
    const { key, keyType } = await this.verificationKey(keyRef);
    assertAlgorithmFits(keyType, alg, keyRef);
    const event: SignatureAuditEvent = {
      keyRef,
      purpose: meta.purpose,
      subject: meta.subject,
      ...(meta.entryCount === undefined ? {} : { entryCount: meta.entryCount }),
      algorithm: alg,
      tbsSha256: sha256Hex(tbs),
    };
    await audit.before(event);
    const signature = await backend.sign(keyRef, tbs, alg);
    // Self-check before anything leaves the signer: a broken HSM or a key that does not match the
    // recorded public key would yield a certificate or CRL that fails path validation for every relying
    // party (RFC 5280 §6.1.3 (a)(1)), and a faulty RSA-CRT signature can even disclose the private key
    // (Boneh, DeMillo, Lipton 1997), so a signature that does not verify is never returned.
    if (!(await verifySignature(key, tbs, signature, alg))) {
      throw new SignerError(
        `self-check failed: signature by ${keyRef} does not verify with its public key; nothing was returned`,
      );
    }
    await audit.after({ ...event, signatureSha256: sha256Hex(signature) });
    return signature;
  }

  /** Closes every backend. */
  async close(): Promise<void> {
    this.verificationKeys.clear();
    await Promise.all([...this.backends.values()].map((b) => b.close?.()));
  }

  private backendFor(keyRef: string): KeyBackend {
    const kind = kindOf(keyRef);
    if (!kind) {
      throw new SignerError(
        `unknown key reference ${describeKeyRef(keyRef)}: expected a '${SOFT_PREFIX}' or '${PKCS11_PREFIX}' reference`,
      );
    }
    const backend = this.backends.get(kind);
    if (!backend) throw new SignerError(`no ${kind} key backend configured for key ${describeKeyRef(keyRef)}`);
    return backend;
  }

  private async verificationKey(keyRef: string): Promise<{ key: KeyObject; keyType: KeyType }> {
    const cached = this.verificationKeys.get(keyRef);
    if (cached) return cached;
    const key = publicKeyFromSpki(await this.backendFor(keyRef).publicKey(keyRef), keyRef);
    const keyType = keyTypeOfKeyObject(key);
    if (!keyType) throw new SignerError(`key ${keyRef} is of an unsupported type`);
    const entry = { key, keyType };
    this.verificationKeys.set(keyRef, entry);
    return entry;
  }
}

/** The backend kind a reference belongs to, by its prefix. */
function kindOf(keyRef: unknown): KeyBackend['kind'] | undefined {
  if (typeof keyRef !== 'string') return undefined;
  if (keyRef.startsWith(SOFT_PREFIX)) return 'software';
  if (keyRef.startsWith(PKCS11_PREFIX)) return 'pkcs11';
  return undefined;
}

function checkRequest(tbs: Uint8Array, meta: SignatureMeta): void {
  // TBSCertificate, TBSCertList and CertificationRequestInfo are all DER SEQUENCEs (RFC 5280 §4.1, §5.1; RFC 2986 §4.1).
  if (!(tbs instanceof Uint8Array) || tbs.length < 2 || tbs[0] !== 0x30) {
    throw new SignerError('TBS must be a DER SEQUENCE');
  }
  if (!meta || !PURPOSES.has(meta.purpose)) throw new SignerError('signature purpose must be certificate, crl or csr');
  if (typeof meta.subject !== 'string' || meta.subject.trim() === '') {
    throw new SignerError('signature subject must be a non-empty string');
  }
  if (meta.entryCount !== undefined && !(Number.isInteger(meta.entryCount) && meta.entryCount >= 0)) {
    throw new SignerError('entryCount must be a non-negative integer');
  }
}
