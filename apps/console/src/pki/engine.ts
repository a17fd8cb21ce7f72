// The pkijs crypto engine over the browser's WebCrypto. Key generation, signing, PBKDF2, AES and
// HMAC all run in the browser's own implementation; pkijs only builds and parses the ASN.1.
import * as pkijs from 'pkijs';

let engine: pkijs.CryptoEngine | null = null;

/** Why in-browser key generation cannot work here, or null when it can. */
export function webCryptoUnavailable(): string | null {
  if (typeof window === 'undefined' || !window.crypto?.subtle) {
    return 'This browser offers no WebCrypto here (it needs a secure context: HTTPS, or http://localhost for development).';
  }
  return null;
}

/** The pkijs engine bound to window.crypto. */
export function cryptoEngine(): pkijs.CryptoEngine {
  const missing = webCryptoUnavailable();
  if (missing) throw new Error(missing);
  engine ??= new pkijs.CryptoEngine({ name: 'browser', crypto: window.crypto });
  return engine;
}
