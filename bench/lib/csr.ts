// PKCS #10 requests made up front, so generating leaf keys is never part of a timed issuance.
import { generateKeyPair, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import {
  algorithmIdentifierDer, derBitString, derImplicitConstructed, derInteger, derOid, derSequence, derSet, encodeExtensions,
  encodeName, OID, subjectAltNameUrisExtension, toPem,
} from '@anchorage/pki';

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * A PKCS #10 request (RFC 2986 §4) for `spki` with subject CN=`cn` and a subjectAltName URI in the
 * extensionRequest attribute (PKCS #9 §5.4.2), signed sha256WithRSAEncryption.
 */
export function buildCsr(privateKey: KeyObject, spki: Uint8Array, cn: string, sanUri: string): string {
  const extensionRequest = derSequence(derOid(OID.extensionRequest), derSet(encodeExtensions([subjectAltNameUrisExtension([sanUri])])));
  const info = derSequence(derInteger(0), encodeName({ commonName: cn }), spki, derImplicitConstructed(0, extensionRequest));
  const signature = sign('sha256', info, privateKey);
  const der = derSequence(info, algorithmIdentifierDer('sha256WithRSAEncryption'), derBitString(new Uint8Array(signature)));
  return toPem(der, 'CERTIFICATE REQUEST');
}

/**
 * `count` distinct RSA-2048 CSRs (distinct subjects) for `sanUri`. Keys come from a small pool:
 * the CA never checks leaf key uniqueness, and key generation is not what is measured.
 */
export async function makeCsrs(count: number, sanUri: string, keyPool = 8): Promise<string[]> {
  const keys = await Promise.all(
    Array.from({ length: Math.min(keyPool, count) }, () => generateKeyPairAsync('rsa', { modulusLength: 2048, publicExponent: 0x10001 })),
  );
  const spkis = keys.map((k) => new Uint8Array(k.publicKey.export({ type: 'spki', format: 'der' })));
  return Array.from({ length: count }, (_, i) => buildCsr(keys[i % keys.length].privateKey, spkis[i % keys.length], `bench-leaf-${i}`, sanUri));
}
