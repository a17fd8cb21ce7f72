// Test-only: signs UDAP JWTs with jose CompactSign, putting the certificate chain in `x5c` (standard
// base64 DER, leaf first) unless the header already sets one.
import type { KeyObject } from 'node:crypto';
import { CompactSign, type CompactJWSHeaderParameters, type JWSHeaderParameters } from 'jose';
import { x5c as x5cOf } from '@anchorage/pki';

/** The protected header to sign with; `alg` is required, `x5c` defaults to the chain argument. */
export type UdapJwtHeader = JWSHeaderParameters & { alg: string };

/** Signs `claims` as a compact JWS with `key`, the header's `alg` and x5c = `x5c` (leaf first). */
export async function signUdapJwt(
  claims: Record<string, unknown>,
  header: UdapJwtHeader,
  key: KeyObject,
  x5c: readonly Uint8Array[],
): Promise<string> {
  const protectedHeader: CompactJWSHeaderParameters = { ...header, x5c: header.x5c ?? x5cOf(x5c) };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader(protectedHeader).sign(key);
}

/** A compact JWS with an arbitrary header and signature part, for JWTs no honest signer produces. */
export function forgeUdapJwt(header: Record<string, unknown>, claims: Record<string, unknown>, signature = ''): string {
  const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part(header)}.${part(claims)}.${signature}`;
}
