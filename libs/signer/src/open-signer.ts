import { loadKekFile } from './kek-file';
import { Pkcs11KeyBackend } from './pkcs11-backend';
import { readPinFile } from './pin-file';
import { Signer } from './signer';
import { SoftwareKeyBackend } from './software-backend';
import type { KeyBackend } from './types';

/** Where the keys are: software key files under a KEK, and/or a PKCS#11 token. */
export interface KeyStoreSettings {
  keyDir: string;
  kekFile: string | null;
  pkcs11: { modulePath: string; tokenLabel: string; pinFile: string } | null;
}

/**
 * Opens the CA key backends and the audit key store: the signer process does this at start, and so do
 * tests and development setups that keep the keys in process. The KEK stays inside the Signer.
 */
export async function openSigner(o: KeyStoreSettings): Promise<Signer> {
  const backends: KeyBackend[] = [];
  const kek = o.kekFile ? await loadKekFile(o.kekFile) : null;
  if (kek) backends.push(new SoftwareKeyBackend({ keyDir: o.keyDir, kek }));
  if (o.pkcs11) {
    backends.push(new Pkcs11KeyBackend({ modulePath: o.pkcs11.modulePath, tokenLabel: o.pkcs11.tokenLabel, pin: await readPinFile(o.pkcs11.pinFile) }));
  }
  // the audit key sits with the CA key files, sealed under a KEK subkey (audit-key.ts)
  return new Signer(backends, kek ? { auditKey: { keyDir: o.keyDir, kek } } : {});
}
