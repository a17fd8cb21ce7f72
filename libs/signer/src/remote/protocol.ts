// The signer process's wire format: HTTP/1.1 over a Unix socket, JSON bodies, binary values as base64,
// every request authenticated with the bearer secret of ANCHORAGE_SIGNER_TOKEN_FILE. Shared by the
// server (server.ts) and the client (client.ts), so the two cannot drift apart.
import type { KeyType } from '@anchorage/contracts';
import type { KeyBackend, SignatureAlgorithm, SignatureMeta } from '../types';

/** Paths of the signer's operations. */
export const SIGNER_PATHS = {
  health: '/v1/health',
  publicKey: '/v1/public-key',
  generateKey: '/v1/generate-key',
  sign: '/v1/sign',
  auditKey: '/v1/audit-key',
  auditCheckpoint: '/v1/audit-checkpoint',
} as const;

/** GET health: what the process holds. */
export interface HealthResponse {
  ok: true;
  backends: KeyBackend['kind'][];
  auditKey: boolean;
}

/** POST public-key. */
export interface PublicKeyRequest {
  keyRef: string;
}
/** POST generate-key. */
export interface GenerateKeyRequest {
  backend: KeyBackend['kind'];
  keyType: KeyType;
  label: string;
}
/** POST sign: the TBS (base64) and what it is. */
export interface SignRequest {
  keyRef: string;
  alg: SignatureAlgorithm;
  tbs: string;
  meta: SignatureMeta;
}
/** POST sign's answer: the signatureValue bytes (base64). */
export interface SignResponse {
  signature: string;
}
/** POST audit-checkpoint: the JWS signing input (base64). */
export interface CheckpointRequest {
  signingInput: string;
}
/** An SPKI (base64): public-key, audit-key. */
export interface SpkiResponse {
  spki: string;
}
/** generate-key's answer. */
export interface GeneratedKeyResponse {
  keyRef: string;
  spki: string;
  keyType: KeyType;
}
/** Any refusal or failure: the signer's message (never key material). */
export interface ErrorResponse {
  error: string;
}

/** Largest request body: a TBSCertList of a million entries is about 40 MB, as base64 about 54 MB. */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
