// PKCS #12 (RFC 7292) bundles for members whose key the platform generated (community policy
// "platform may generate member keys"; udap-profile.md "Delivery to the member").
import { createHash, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { toArrayBuffer } from './bytes';
import { PkiError } from './errors';
import { OID } from './oids';

/** Inputs of buildPkcs12. */
export interface Pkcs12Params {
  /** The member's private key, PKCS #8 PrivateKeyInfo DER. */
  privateKeyPkcs8: Uint8Array;
  leafDer: Uint8Array;
  /** Issuing CA first, then any further CA certificates. */
  chainDers: Uint8Array[];
  password: string;
  /** Optional friendlyName on the key and leaf bags. */
  friendlyName?: string;
  /** PBKDF2 and MAC iteration count; default 100,000 (PBKDF2) and 2,048 (MAC, OpenSSL's default). */
  iterations?: number;
}

/** Default PBKDF2 iterations for the key bag. */
export const PKCS12_KDF_ITERATIONS = 100_000;
/** Default PKCS #12 MAC iterations (OpenSSL's PKCS12_DEFAULT_ITER). */
export const PKCS12_MAC_ITERATIONS = 2048;

// PKI.js draws a fresh random IV and 64-byte salt itself (CryptoEngine.encryptEncryptedContentInfo).
type ContentEncryption = Parameters<pkijs.PKCS8ShroudedKeyBag['makeInternalValues']>[0]['contentEncryptionAlgorithm'];
const AES_256_CBC = { name: 'AES-CBC', length: 256 } as ContentEncryption;

/**
 * PKI.js's engine with its encrypted content kept in one primitive OCTET STRING. PKI.js cuts it into a
 * constructed OCTET STRING of 1,024-octet pieces (and the EncryptedContentInfo into indefinite length):
 * BER, but not DER (X.690 §10.1, §10.2), and node-forge refuses such an EncryptedPrivateKeyInfo
 * (RFC 5958 §3 encryptedData) outright. Both the key bag and EncryptedData take their encryptedContent
 * from this one method.
 */
class DerCryptoEngine extends pkijs.CryptoEngine {
  override async encryptEncryptedContentInfo(parameters: Parameters<pkijs.CryptoEngine['encryptEncryptedContentInfo']>[0]): Promise<pkijs.EncryptedContentInfo> {
    const info = await super.encryptEncryptedContentInfo(parameters);
    if (info.encryptedContent) info.encryptedContent = new asn1js.OctetString({ valueHex: info.encryptedContent.getValue() });
    return info;
  }
}

/**
 * Builds a PFX: the key in a pkcs8ShroudedKeyBag (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC), the leaf and
 * chain in certBags (not encrypted: certificates are public), `localKeyId` = SHA-1 of the leaf DER on
 * the key bag and the leaf bag (how OpenSSL and node-forge pair them), and password integrity with
 * HMAC-SHA256 (RFC 7292 Appendix B KDF). Every OCTET STRING is primitive and every length definite (DER),
 * so OpenSSL, Java's keytool and node-forge all read it. Salts and IVs come from Node's CSPRNG via WebCrypto.
 */
export async function buildPkcs12(p: Pkcs12Params): Promise<Uint8Array> {
  if (typeof p.password !== 'string' || p.password.length === 0) {
    throw new PkiError('validation', 'a PKCS #12 password is required');
  }
  const engine = new DerCryptoEngine({ name: 'node-webcrypto', crypto: webcrypto as unknown as Crypto });
  let keyInfo: pkijs.PrivateKeyInfo;
  let leaf: pkijs.Certificate;
  let chain: pkijs.Certificate[];
  try {
    keyInfo = pkijs.PrivateKeyInfo.fromBER(toArrayBuffer(p.privateKeyPkcs8));
  } catch (e) {
    throw new PkiError('validation', `private key is not PKCS #8 DER: ${(e as Error).message}`);
  }
  try {
    leaf = pkijs.Certificate.fromBER(toArrayBuffer(p.leafDer));
    chain = p.chainDers.map((d) => pkijs.Certificate.fromBER(toArrayBuffer(d)));
  } catch (e) {
    throw new PkiError('validation', `certificate is not DER X.509: ${(e as Error).message}`);
  }

  const localKeyId = createHash('sha1').update(p.leafDer).digest();
  const attrs = (): pkijs.Attribute[] => {
    const list = [new pkijs.Attribute({ type: OID.localKeyId, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(localKeyId) })] })];
    if (p.friendlyName) list.push(new pkijs.Attribute({ type: OID.friendlyName, values: [new asn1js.BmpString({ value: p.friendlyName })] }));
    return list;
  };
  const certBag = (cert: pkijs.Certificate, attributes?: pkijs.Attribute[]) =>
    new pkijs.SafeBag({
      bagId: OID.certBag,
      bagValue: new pkijs.CertBag({ parsedValue: cert }),
      ...(attributes ? { bagAttributes: attributes } : {}), // absent, not an empty SET, on CA bags
    });

  const keyBag = new pkijs.PKCS8ShroudedKeyBag({ parsedValue: keyInfo });
  const password = toArrayBuffer(new TextEncoder().encode(p.password));
  await keyBag.makeInternalValues(
    {
      password,
      contentEncryptionAlgorithm: AES_256_CBC,
      hmacHashAlgorithm: 'SHA-256',
      iterationCount: p.iterations ?? PKCS12_KDF_ITERATIONS,
    },
    engine,
  );

  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 0, // password integrity (RFC 7292 §4)
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: {
          safeContents: [
            { privacyMode: 0, value: new pkijs.SafeContents({ safeBags: [certBag(leaf, attrs()), ...chain.map((c) => certBag(c))] }) },
            { privacyMode: 0, value: new pkijs.SafeContents({ safeBags: [new pkijs.SafeBag({ bagId: OID.pkcs8ShroudedKeyBag, bagValue: keyBag, bagAttributes: attrs() })] }) },
          ],
        },
      }),
    },
  });
  await pfx.parsedValue!.authenticatedSafe!.makeInternalValues({ safeContents: [{}, {}] }, engine);
  await pfx.makeInternalValues(
    { password, iterations: p.iterations ?? PKCS12_MAC_ITERATIONS, pbkdf2HashAlgorithm: 'SHA-256', hmacHashAlgorithm: 'SHA-256' },
    engine,
  );
  // The MAC's DigestInfo names SHA-256 with NULL parameters, as OpenSSL and Java write it (RFC 8017 §9.2
  // note 1 DigestInfo); node-forge matches MacData only with the parameters present and otherwise skips
  // the MAC unchecked. The MAC covers the authSafe content, not this field, so it stays valid.
  const mac = pfx.macData!.mac;
  mac.digestAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: mac.digestAlgorithm.algorithmId, algorithmParams: new asn1js.Null() });
  return new Uint8Array(pfx.toSchema().toBER(false));
}
