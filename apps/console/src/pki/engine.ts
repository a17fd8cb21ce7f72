// The pkijs crypto engine over the browser's WebCrypto. Key generation, signing, PBKDF2, AES and
// HMAC all run in the browser's own implementation; pkijs only builds and parses the ASN.1.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * PKI.js's engine with its encrypted content kept in one primitive OCTET STRING. PKI.js cuts it into a
 * constructed OCTET STRING of 1,024-octet pieces (and the EncryptedContentInfo into indefinite length):
 * BER, but not DER (X.690 §10.1, §10.2), and node-forge refuses such an EncryptedPrivateKeyInfo
 * (RFC 5958 §3 encryptedData) outright. The PKCS #12 key bag and EncryptedData take their encrypted
 * content from this one method. libs/pki's builder does the same; the console may not import it.
 */
class DerCryptoEngine extends pkijs.CryptoEngine {
  override async encryptEncryptedContentInfo(parameters: Parameters<pkijs.CryptoEngine['encryptEncryptedContentInfo']>[0]): Promise<pkijs.EncryptedContentInfo> {
    const info = await super.encryptEncryptedContentInfo(parameters);
    if (info.encryptedContent) info.encryptedContent = new asn1js.OctetString({ valueHex: info.encryptedContent.getValue() });
    return info;
  }
}

let engine: pkijs.CryptoEngine | null = null;

/** Why in-browser key generation cannot work here, or null when it can. */
export function webCryptoUnavailable(): string | null {
  if (typeof window === 'undefined' || !window.crypto?.subtle) {
    return 'This browser offers no WebCrypto here (it needs a secure context: HTTPS, or http://localhost for development).';
  }
  return null;
}

/** The pkijs engine bound to window.crypto, writing encrypted content as DER (see DerCryptoEngine). */
export function cryptoEngine(): pkijs.CryptoEngine {
  const missing = webCryptoUnavailable();
  if (missing) throw new Error(missing);
  engine ??= new DerCryptoEngine({ name: 'browser', crypto: window.crypto });
  return engine;
}
