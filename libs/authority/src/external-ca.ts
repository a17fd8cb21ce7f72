import type { CaRecord } from '@anchorage/db';
import { sha256Hex } from './sign';

/**
 * key_ref prefix of a CA whose private key the platform does not hold (an offline root installed
 * with its issuing CA's certificate). No signer backend answers to it, so nothing can be signed
 * with it even by mistake; the rest of the reference is the SHA-256 of the CA's certificate.
 */
export const EXTERNAL_KEY_PREFIX = 'external:';

/** key_ref of an external CA: `external:` + lowercase hex SHA-256 of its certificate DER. */
export function externalKeyRef(certificateDer: Uint8Array): string {
  return `${EXTERNAL_KEY_PREFIX}${sha256Hex(certificateDer)}`;
}

/** True when the platform does not hold the CA's key (it never signs certificates or CRLs for it). */
export function isExternalCa(ca: Pick<CaRecord, 'keyRef'>): boolean {
  return ca.keyRef.startsWith(EXTERNAL_KEY_PREFIX);
}
