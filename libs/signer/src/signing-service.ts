import type { KeyType } from '@anchorage/contracts';
import type { GeneratedKey, KeyBackend, KeyGenerationOptions, SignatureAlgorithm, SignatureAudit, SignatureMeta } from './types';

/**
 * What the rest of the platform may ask of the holder of the CA keys and the audit key: the in-process
 * Signer (tests, development) or the signer process reached over its socket (remote/client.ts).
 */
export interface SigningService {
  /** Generates a CA key pair in the named backend (`{ test: true }`: a test key, software backend only). */
  generateKey(backend: KeyBackend['kind'], keyType: KeyType, label: string, options?: KeyGenerationOptions): Promise<GeneratedKey>;
  /** SPKI DER of a key. */
  publicKey(keyRef: string): Promise<Uint8Array>;
  /** Signs a fully decided TBS, with `audit.before` awaited before and `audit.after` after the signature. */
  signTbs(keyRef: string, tbs: Uint8Array, alg: SignatureAlgorithm, audit: SignatureAudit, meta: SignatureMeta): Promise<Uint8Array>;
  /** Whether an audit key is configured. */
  readonly hasAuditKey: boolean;
  /** SPKI DER of the audit key. */
  auditPublicKey(): Promise<Uint8Array>;
  /** Signs the signing input of an audit checkpoint JWS with the audit key. */
  signAuditCheckpoint(signingInput: Uint8Array): Promise<Uint8Array>;
  /** Releases backends or connections. */
  close(): Promise<void>;
}
