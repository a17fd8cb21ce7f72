import { createHash, verify, type KeyObject } from 'node:crypto';
import type { KeyType } from '@anchorage/contracts';
import { assertAlgorithmFits } from './algorithms';
import { AUDIT_CHECKPOINT_TYP, AuditKey } from './audit-key';
import { SignerError } from './errors';
import { describeKeyRef, PKCS11_PREFIX, SOFT_PREFIX } from './key-ref';
import { keyTypeOfKeyObject } from './key-type';
import type { SigningService } from './signing-service';
import type { GeneratedKey, KeyBackend, KeyGenerationOptions, SignatureAlgorithm, SignatureAudit, SignatureAuditEvent, SignatureMeta } from './types';
import { checkCertificationSigningInput } from './remote/certification-guard';
import { publicKeyFromSpki, verifySignature } from './verify-signature';

const PURPOSES: ReadonlySet<string> = new Set(['certificate', 'crl', 'csr', 'certification']);

/** Options of the Signer beyond its CA key backends. */
export interface SignerOptions {
  /** Where the audit key lives and the KEK that seals it (audit-key.ts); without it nothing signs checkpoints. */
  auditKey?: { keyDir: string; kek: Uint8Array };
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The only holder of CA private keys and of the audit key (architecture: signer role). It signs a fully
 * decided TBS or audit checkpoint and nothing else: no policy, storage or HTTP. Routes each keyRef to a
 * backend by its prefix.
 */
export class Signer implements SigningService {
  private readonly backends = new Map<KeyBackend['kind'], KeyBackend>();
  private readonly verificationKeys = new Map<string, { key: KeyObject; keyType: KeyType }>();
  private readonly auditKeyStore: { keyDir: string; kek: Buffer } | null;
  private auditKeyLoading: Promise<AuditKey> | null = null;

  constructor(backends: KeyBackend[], options: SignerOptions = {}) {
    this.auditKeyStore = options.auditKey ? { keyDir: options.auditKey.keyDir, kek: Buffer.from(options.auditKey.kek) } : null;
    for (const backend of backends) {
      if (this.backends.has(backend.kind)) {
        throw new SignerError(`more than one ${backend.kind} key backend configured`);
      }
      this.backends.set(backend.kind, backend);
    }
  }

  /** Generates a CA key pair in the named backend. */
  async generateKey(backend: KeyBackend['kind'], keyType: KeyType, label: string, options: KeyGenerationOptions = {}): Promise<GeneratedKey> {
    const b = this.backends.get(backend);
    if (!b) throw new SignerError(`no ${backend} key backend configured`);
    if (options.test && !b.isTestKey) throw new SignerError(`the ${backend} key backend keeps no test keys`);
    return options.test ? b.generateKey(keyType, label, { test: true }) : b.generateKey(keyType, label);
  }

  /** Whether `keyRef` was generated as a test key (recorded with the key by its backend). */
  async isTestKey(keyRef: string): Promise<boolean> {
    const b = this.backendFor(keyRef);
    return b.isTestKey ? b.isTestKey(keyRef) : false;
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
    // a certification is checked here too, so the in-process signer signs no more than the socket allows
    if (meta.purpose === 'certification') checkCertificationSigningInput(tbs, alg, await this.publicKey(keyRef));
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

  /** The kinds of the configured backends. */
  get backendKinds(): KeyBackend['kind'][] {
    return [...this.backends.keys()];
  }

  /** Whether an audit key is configured (a KEK and a key directory). */
  get hasAuditKey(): boolean {
    return this.auditKeyStore !== null;
  }

  /** SPKI DER of the audit key (audit-key.ts), which is generated and sealed into the key directory on first use. */
  async auditPublicKey(): Promise<Uint8Array> {
    return new Uint8Array((await this.auditKey()).spki);
  }

  /**
   * Signs the signing input of an audit checkpoint JWS (RFC 7515 §5.1: ASCII `header.payload`) with the
   * audit key (EdDSA, RFC 8037 §3.1), and self-checks the signature. Only a protected header of alg EdDSA
   * and the checkpoint typ is signed, so the key signs checkpoints and nothing else. Unlike signTbs it
   * writes no audit event: one would move the chain head the checkpoint names, so every checkpoint would
   * call for another; the stored checkpoint is the record.
   */
  async signAuditCheckpoint(signingInput: Uint8Array): Promise<Uint8Array> {
    checkCheckpointInput(signingInput);
    const key = await this.auditKey();
    const signature = key.sign(signingInput);
    if (!verify(null, signingInput, key.publicKey, signature)) {
      throw new SignerError('self-check failed: the audit checkpoint signature does not verify with the audit public key; nothing was returned');
    }
    return signature;
  }

  /** Closes every backend. */
  async close(): Promise<void> {
    this.verificationKeys.clear();
    this.auditKeyLoading = null;
    await Promise.all([...this.backends.values()].map((b) => b.close?.()));
  }

  private auditKey(): Promise<AuditKey> {
    const store = this.auditKeyStore;
    if (!store) return Promise.reject(new SignerError('no audit key: it needs a key-encryption key file (ANCHORAGE_KEK_FILE)'));
    if (!this.auditKeyLoading) {
      const loading = AuditKey.openOrCreate(store.keyDir, store.kek);
      this.auditKeyLoading = loading;
      loading.catch(() => {
        if (this.auditKeyLoading === loading) this.auditKeyLoading = null; // a later call tries again
      });
    }
    return this.auditKeyLoading;
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

const B64URL = /^[A-Za-z0-9_-]+$/;

function checkCheckpointInput(input: Uint8Array): void {
  const refuse = () => new SignerError(`the audit key signs only JWS signing inputs with the header {"alg":"EdDSA","typ":"${AUDIT_CHECKPOINT_TYP}"}`);
  if (!(input instanceof Uint8Array) || input.length > 4096) throw refuse();
  const parts = Buffer.from(input).toString('latin1').split('.');
  if (parts.length !== 2 || !parts.every((p) => B64URL.test(p))) throw refuse();
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw refuse();
  }
  if (header === null || typeof header !== 'object' || header.alg !== 'EdDSA' || header.typ !== AUDIT_CHECKPOINT_TYP || 'crit' in header) throw refuse();
}

function checkRequest(tbs: Uint8Array, meta: SignatureMeta): void {
  if (!meta || !PURPOSES.has(meta.purpose)) throw new SignerError('signature purpose must be certificate, crl, csr or certification');
  // TBSCertificate, TBSCertList and CertificationRequestInfo are all DER SEQUENCEs (RFC 5280 §4.1, §5.1; RFC 2986 §4.1);
  // a certification's signing input is JWS text, read by checkCertificationSigningInput
  if (meta.purpose !== 'certification' && (!(tbs instanceof Uint8Array) || tbs.length < 2 || tbs[0] !== 0x30)) {
    throw new SignerError('TBS must be a DER SEQUENCE');
  }
  if (!(tbs instanceof Uint8Array) || tbs.length === 0) throw new SignerError('the signing input is empty');
  if (typeof meta.subject !== 'string' || meta.subject.trim() === '') {
    throw new SignerError('signature subject must be a non-empty string');
  }
  if (meta.entryCount !== undefined && !(Number.isInteger(meta.entryCount) && meta.entryCount >= 0)) {
    throw new SignerError('entryCount must be a non-negative integer');
  }
}
