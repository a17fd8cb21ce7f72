// The signer process's wire format, shared by the server (server.ts, operations.ts) and the client
// (client.ts, connection.ts) so the two cannot drift apart: length-prefixed binary frames
// (framing.ts) over a Unix socket, multiplexed by request id.
//
//   request:  [u32 length][u32 id][u8 op]     [u16 header length][header JSON][body bytes]
//   response: [u32 length][u32 id][u8 status] [u16 header length][header JSON][body bytes]
//
// length counts the bytes after itself. Binary values (TBS, SPKI, signature, checkpoint input) travel
// raw in the body; the few small fields (keyRef, alg, meta, label, keyType, backend) in the JSON
// header, which the server validates field by field. The first frame of a connection must be `auth`,
// its body the bearer secret of ANCHORAGE_SIGNER_TOKEN_FILE: until it is accepted no other frame is
// read (and none over MAX_AUTH_FRAME_BYTES is buffered); a wrong or missing token gets an
// `unauthorized` frame and the connection is closed. After it a client may have many requests in flight
// on the connection; responses come back in any order, each with its request's id.
import type { KeyType } from '@anchorage/contracts';
import type { KeyBackend, SignatureAlgorithm, SignatureMeta } from '../types';

/** Operation codes: the `op` of a request frame. */
export const SIGNER_OPS = {
  /** body: the token. Must be the first frame; answered with an empty ok. */
  auth: 1,
  /** → header HealthResponse. */
  health: 2,
  /** header PublicKeyRequest → body: SPKI DER. */
  publicKey: 3,
  /** header GenerateKeyRequest → header GeneratedKeyResponse, body: SPKI DER. */
  generateKey: 4,
  /** header SignRequest, body: the TBS DER → body: the signatureValue bytes. */
  sign: 5,
  /** → body: the audit key's SPKI DER. */
  auditKey: 6,
  /** body: the JWS signing input of an audit checkpoint → body: the signature. */
  auditCheckpoint: 7,
} as const;
export type SignerOp = (typeof SIGNER_OPS)[keyof typeof SIGNER_OPS];

/** Status codes: the `code` of a response frame. Every status but ok carries an ErrorResponse header. */
export const SIGNER_STATUS = {
  ok: 0,
  /** The request is malformed (unknown op, a field missing or out of range). */
  badRequest: 1,
  /** The signer refused or could not do it (a SignerError: its message). */
  refused: 2,
  /** Anything else went wrong in the signer; the message only points to its log. */
  failed: 3,
  /** The token is missing or wrong; the connection is closed after this frame. */
  unauthorized: 4,
} as const;

/** The name of an op code, for messages and logs. */
export function opName(op: number): string {
  return Object.entries(SIGNER_OPS).find(([, code]) => code === op)?.[0] ?? `op ${op}`;
}

/** health's answer: what the process holds. */
export interface HealthResponse {
  ok: true;
  backends: KeyBackend['kind'][];
  auditKey: boolean;
}

/** publicKey's header. */
export interface PublicKeyRequest {
  keyRef: string;
}
/** generateKey's header. */
export interface GenerateKeyRequest {
  backend: KeyBackend['kind'];
  keyType: KeyType;
  label: string;
  /** A test key (docs/test-certificates.md); absent for every production key. */
  test?: true;
}
/** sign's header; the TBS is the body. */
export interface SignRequest {
  keyRef: string;
  alg: SignatureAlgorithm;
  meta: SignatureMeta;
}
/** generateKey's answer header; the SPKI is the body. */
export interface GeneratedKeyResponse {
  keyRef: string;
  keyType: KeyType;
  test?: true;
}
/** The header of any refusal or failure: the signer's message (never key material). */
export interface ErrorResponse {
  error: string;
}

/** Largest request frame: a TBSCertList of a million entries is about 40 MB. */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
/** Largest frame before the connection has authenticated: the auth frame (the token is 32 bytes; a few KB leaves room). */
export const MAX_AUTH_FRAME_BYTES = 4096;
/** Largest response frame a client accepts: a signature, an SPKI, a small header. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
/** How long the server waits for the auth frame of a new connection. */
export const AUTH_TIMEOUT_MS = 10_000;
