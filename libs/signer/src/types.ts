import type { KeyType } from '@anchorage/contracts';

import type { LintKind, SignatureAlgorithm } from '@anchorage/pki';

/** X.509 signature algorithms the signer produces (RFC 4055 §5 for RSA, RFC 5758 §3.2 for ECDSA); defined once, in libs/pki. */
export type { SignatureAlgorithm };

/** A key pair freshly generated in a backend: its opaque reference, public key and type. */
export interface GeneratedKey {
  /** Opaque reference (`soft:<id>` or a PKCS#11 URI); never a display name. */
  keyRef: string;
  /** SubjectPublicKeyInfo, DER (RFC 5280 §4.1.2.7). */
  spkiDer: Uint8Array;
  keyType: KeyType;
  /** True for a test key (generated with `{ test: true }`): see KeyGenerationOptions. */
  test?: boolean;
}

/**
 * How a key is generated. `test` makes a test key for a community's test kit (docs/test-certificates.md):
 * recorded with the key at creation (software backend only; bound into its sealed file), it lets the
 * signer process sign the kit's deliberate deviations with it, and nothing marks a key test afterwards.
 */
export interface KeyGenerationOptions {
  test?: boolean;
}

/** What a signature is for; recorded in the audit trail. */
export type SignaturePurpose = 'certificate' | 'crl' | 'csr' | 'certification';

/** What gets audited around each signature. */
export interface SignatureAuditEvent {
  keyRef: string;
  purpose: SignaturePurpose;
  /** What is being signed, e.g. issuer CA id + serial, or CRL number. */
  subject: string;
  /** Number of CRL entries, for CRLs. */
  entryCount?: number;
  /** Algorithm of the signature (filled in by the Signer). */
  algorithm?: SignatureAlgorithm;
  /** Lower-case hex SHA-256 of the TBS DER. */
  tbsSha256: string;
  /** Lower-case hex SHA-256 of the signatureValue bytes (present in `after`). */
  signatureSha256?: string;
  /** SHA-256 of the assembled signed object; the signer never sees it, so only callers set it. */
  signedSha256?: string;
}

/** Audit sink awaited before and after every signature (architecture habit 2: audit every signature). */
export interface SignatureAudit {
  before(e: SignatureAuditEvent): Promise<void>;
  after(e: SignatureAuditEvent & { signatureSha256: string }): Promise<void>;
}

/** Caller-supplied description of a signature, copied into the audit events. */
export interface SignatureMeta {
  purpose: SignaturePurpose;
  subject: string;
  entryCount?: number;
  /** What a certificate is ('root', 'issuing' or its leaf profile): the signer process lints it as that before signing. */
  profile?: LintKind;
}

/** A place private keys live (software files or a PKCS#11 token); it only generates and signs. */
export interface KeyBackend {
  readonly kind: 'software' | 'pkcs11';
  /** Generates a signing key pair; `label` is a display name only. */
  generateKey(keyType: KeyType, label: string, options?: KeyGenerationOptions): Promise<GeneratedKey>;
  /** Whether the key was generated as a test key (a backend without test keys answers false). */
  isTestKey?(keyRef: string): Promise<boolean>;
  /** SubjectPublicKeyInfo DER of the key. */
  publicKey(keyRef: string): Promise<Uint8Array>;
  /** X.509 signatureValue bytes over `data` (ECDSA: DER Ecdsa-Sig-Value, RFC 5758 §3.2 / RFC 3279 §2.2.3). */
  sign(keyRef: string, data: Uint8Array, alg: SignatureAlgorithm): Promise<Uint8Array>;
  /** Releases sessions and caches. */
  close?(): Promise<void>;
}
