// PKCS #12 (RFC 7292) files built in the browser with pkijs for a key the browser generated: the key
// in a pkcs8ShroudedKeyBag and the leaf and chain in an encrypted SafeContents, both PBES2 (PBKDF2 with
// HMAC-SHA256, AES-256-CBC), `localKeyId` (SHA-1 of the leaf DER) on the key and leaf bags so
// OpenSSL and other readers pair them, and the password MAC with HMAC-SHA256 (RFC 7292 Appendix B).
// Every OCTET STRING is primitive and every length definite (DER; see engine.ts), so OpenSSL 3 (default
// provider, no legacy algorithms), Java's keytool and node-forge all read these files.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { toPem } from './bytes';
import { cryptoEngine } from './engine';

const OID = {
  localKeyId: '1.2.840.113549.1.9.21',
  friendlyName: '1.2.840.113549.1.9.20',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
};

/** PBKDF2 iterations of the key bag and the certificates (OpenSSL 3's PKCS12 default is 2048; more is stronger). */
export const PKCS12_KDF_ITERATIONS = 100_000;
/** MAC iterations (OpenSSL's PKCS12_DEFAULT_ITER). */
export const PKCS12_MAC_ITERATIONS = 2048;
/** The shortest password the console accepts for a PKCS #12 file. */
export const PKCS12_MIN_PASSWORD = 8;

/** Inputs of buildPkcs12. */
export interface Pkcs12Input {
  privateKey: CryptoKey;
  leafDer: Uint8Array<ArrayBuffer>;
  /** Issuing CA first, then any further CA certificates. */
  chainDers: Uint8Array<ArrayBuffer>[];
  password: string;
  /** friendlyName on the key and leaf bags (e.g. the SAN URI). */
  friendlyName?: string;
}

type ContentEncryption = Parameters<pkijs.PKCS8ShroudedKeyBag['makeInternalValues']>[0]['contentEncryptionAlgorithm'];
const AES_256_CBC = { name: 'AES-CBC', length: 256 } as ContentEncryption;

/** Builds the PFX (see the file comment); pkijs draws the salts and IVs from window.crypto. */
export async function buildPkcs12(p: Pkcs12Input): Promise<Uint8Array> {
  if (p.password.length < PKCS12_MIN_PASSWORD) throw new Error(`Choose a password of at least ${PKCS12_MIN_PASSWORD} characters.`);
  const engine = cryptoEngine();
  const pkcs8 = await window.crypto.subtle.exportKey('pkcs8', p.privateKey);
  const keyInfo = pkijs.PrivateKeyInfo.fromBER(pkcs8);
  const leaf = pkijs.Certificate.fromBER(p.leafDer);
  const chain = p.chainDers.map((d) => pkijs.Certificate.fromBER(d));
  const localKeyId = await window.crypto.subtle.digest('SHA-1', p.leafDer);
  const attrs = (): pkijs.Attribute[] => {
    const list = [new pkijs.Attribute({ type: OID.localKeyId, values: [new asn1js.OctetString({ valueHex: localKeyId })] })];
    if (p.friendlyName) list.push(new pkijs.Attribute({ type: OID.friendlyName, values: [new asn1js.BmpString({ value: p.friendlyName })] }));
    return list;
  };
  const certBag = (cert: pkijs.Certificate, attributes?: pkijs.Attribute[]) =>
    new pkijs.SafeBag({ bagId: OID.certBag, bagValue: new pkijs.CertBag({ parsedValue: cert }), ...(attributes ? { bagAttributes: attributes } : {}) });

  const password = new TextEncoder().encode(p.password).buffer as ArrayBuffer;
  const pbes2 = { password, contentEncryptionAlgorithm: AES_256_CBC, hmacHashAlgorithm: 'SHA-256', iterationCount: PKCS12_KDF_ITERATIONS };
  const keyBag = new pkijs.PKCS8ShroudedKeyBag({ parsedValue: keyInfo });
  await keyBag.makeInternalValues(pbes2, engine);

  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 0, // password integrity (RFC 7292 §4)
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: {
          safeContents: [
            // certificates: password-encrypted EncryptedData (privacy mode 1), as OpenSSL writes them
            { privacyMode: 1, value: new pkijs.SafeContents({ safeBags: [certBag(leaf, attrs()), ...chain.map((c) => certBag(c))] }) },
            // the key bag is shrouded itself, so its SafeContents is plain data
            { privacyMode: 0, value: new pkijs.SafeContents({ safeBags: [new pkijs.SafeBag({ bagId: OID.pkcs8ShroudedKeyBag, bagValue: keyBag, bagAttributes: attrs() })] }) },
          ],
        },
      }),
    },
  });
  await pfx.parsedValue!.authenticatedSafe!.makeInternalValues({ safeContents: [pbes2, {}] }, engine);
  await pfx.makeInternalValues(
    { password, iterations: PKCS12_MAC_ITERATIONS, pbkdf2HashAlgorithm: 'SHA-256', hmacHashAlgorithm: 'SHA-256' },
    engine,
  );
  // The MAC's DigestInfo names SHA-256 with NULL parameters, as OpenSSL and Java write it (RFC 8017 §9.2
  // note 1 DigestInfo); node-forge matches MacData only with the parameters present and otherwise skips
  // the MAC unchecked. The MAC covers the authSafe content, not this field, so it stays valid.
  const mac = pfx.macData!.mac;
  mac.digestAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: mac.digestAlgorithm.algorithmId, algorithmParams: new asn1js.Null() });
  return new Uint8Array(pfx.toSchema().toBER(false));
}

/** The private key as unencrypted PKCS #8 in PEM form (label "PRIVATE KEY", RFC 7468 §10). */
export async function privateKeyPem(privateKey: CryptoKey): Promise<string> {
  return toPem(await window.crypto.subtle.exportKey('pkcs8', privateKey), 'PRIVATE KEY');
}
