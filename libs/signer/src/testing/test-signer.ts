// Test and benchmark helper (not exported from index.ts): a software-key Signer in a temporary key
// directory with one RSA-2048 CA key, and leaf TBSCertificates that pass the signer's own checks for it.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLeafTbs, encodeName, newSerial } from '@anchorage/pki';
import { Signer } from '../signer';
import { SoftwareKeyBackend } from '../software-backend';

/** A throwaway signer and its CA key. */
export interface TestSigner {
  signer: Signer;
  dir: string;
  keyRef: string;
  /** SPKI DER of the CA key. */
  spki: Uint8Array;
  /** A fresh udap-server leaf TBS issued under the CA key, with a random serial unless one is given. */
  leafTbs(o?: LeafOptions): Uint8Array;
  /** Closes the signer and removes the key directory. */
  cleanup(): Promise<void>;
}

const DAY = 86_400_000;

/** What may vary between the leaves of a leafTbsFactory. */
export interface LeafOptions {
  /** Serial content octets (default: 16 random bytes). */
  serial?: Uint8Array;
  /** Validity in days (default 365). */
  days?: number;
}

/** Makes udap-server leaf TBSCertificates under the RSA CA key `caSpki`. */
export function leafTbsFactory(caSpki: Uint8Array): (o?: LeafOptions) => Uint8Array {
  const holder = new Uint8Array(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }));
  const issuer = encodeName({ commonName: 'Remote Test Issuing CA', organization: 'Anchorage Test' });
  const subject = encodeName({ commonName: 'app.example.org', organization: 'Member Org' });
  const now = Date.now();
  return (o = {}) => buildLeafTbs({
    profile: 'udap-server', serial: o.serial ?? newSerial(randomBytes(16)), subject, issuer, spkiDer: holder, issuerSpkiDer: caSpki,
    notBefore: new Date(now - 60_000), notAfter: new Date(now + (o.days ?? 365) * DAY), signatureAlgorithm: 'sha256WithRSAEncryption',
    sanUris: ['https://app.example.org/fhir'], crlUrl: 'http://pki.example.test/issuing.crl', caIssuersUrl: 'http://pki.example.test/issuing.cer',
  });
}

/** Opens a software Signer in a new temporary directory and generates an RSA-2048 CA key in it. */
export async function openTestSigner(): Promise<TestSigner> {
  const dir = mkdtempSync(join(tmpdir(), 'anchorage-signer-remote-'));
  const signer = new Signer([new SoftwareKeyBackend({ keyDir: join(dir, 'keys'), kek: randomBytes(32) })]);
  const key = await signer.generateKey('software', 'RSA-2048', 'remote test CA');
  return {
    signer, dir, keyRef: key.keyRef, spki: key.spkiDer, leafTbs: leafTbsFactory(key.spkiDer),
    cleanup: async () => {
      await signer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
