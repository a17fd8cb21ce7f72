// Private keys the browser generated, kept in this browser's IndexedDB for the signed-in user (not for
// one tab), so the member finds the key again in another tab, after signing out and in, or after the
// browser restarts. The key is stored only wrapped: its PKCS #8 encrypted with AES-256-GCM under a key
// derived with PBKDF2-HMAC-SHA256 from a passphrase the member chose when requesting the certificate.
// Nothing here is sent to the server. Keys are found by the fingerprint of their public key, so a
// certificate (whatever request produced it) finds its key. Signing out forgets the unwrapped keys held
// in memory and keeps the encrypted copies: they may be the member's only copy.
import type { KeyType } from '@anchorage/contracts';
import { importPrivateKey, publicKeyFingerprint, spkiOf } from './keys';

/** Who a key is kept for: the signed-in user. */
export interface KeyOwner {
  id: string;
  email: string;
}

/** An unwrapped key pair, usable for the PKCS #12. */
export interface StoredKey {
  fingerprint: string;
  keyType: KeyType;
  privateKey: CryptoKey;
  /** epoch ms */
  createdAt: number;
}

/** A key found in this browser's storage, still encrypted under the member's passphrase. */
export interface LockedKey {
  fingerprint: string;
  keyType: KeyType;
  owner: KeyOwner;
  createdAt: number;
}

interface WrappedRow extends LockedKey {
  /** `${owner.id}:${fingerprint}` */
  id: string;
  salt: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  iterations: number;
  /** AES-256-GCM ciphertext of the PKCS #8 private key. */
  wrapped: ArrayBuffer;
}

/** The result of looking for a certificate's key (`legacy`: kept unencrypted by an earlier console, see legacyKey). */
export type KeyLookup = { state: 'unlocked'; key: StoredKey; owner: KeyOwner; legacy?: boolean } | { state: 'locked'; key: LockedKey } | null;

/** A row of version 1's store: a CryptoKey kept for one tab. */
interface LegacyRow {
  fingerprint: string;
  keyType: KeyType;
  privateKey: CryptoKey;
  createdAt: number;
}

const DB = 'anchorage-keys';
/** Version 2 adds the per-user store of wrapped keys (version 1 kept CryptoKeys per tab, for a day). */
const DB_VERSION = 2;
const WRAPPED = 'wrapped-keys';
/** Version 1's store, left in place so a key made before the upgrade is not lost (read only, see legacyKey). */
const LEGACY = 'keys';
/** PBKDF2 iterations for the passphrase (OWASP's 2023 figure for PBKDF2-HMAC-SHA256). */
export const KEY_PBKDF2_ITERATIONS = 600_000;
/** The shortest passphrase the console accepts for a stored key. */
export const KEY_MIN_PASSPHRASE = 10;

/** Unwrapped keys of this page, by `${owner}:${fingerprint}`; gone on reload and on sign-out. */
const memory = new Map<string, StoredKey>();
const rowId = (owner: string, fingerprint: string) => `${owner}:${fingerprint}`;

let opening: Promise<IDBDatabase | null> | null = null;

/** The database, or null where IndexedDB is missing or refused. */
function db(): Promise<IDBDatabase | null> {
  opening ??= new Promise<IDBDatabase | null>((resolve) => {
    try {
      const req = indexedDB.open(DB, DB_VERSION);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(WRAPPED)) req.result.createObjectStore(WRAPPED, { keyPath: 'id' });
      };
      req.onsuccess = () => {
        // a later console version's upgrade is not held up by this tab
        req.result.onversionchange = () => { req.result.close(); opening = null; };
        resolve(req.result);
      };
      req.onerror = () => resolve(null);
      // a tab of the earlier console still holds version 1 open
      req.onblocked = () => resolve(null);
    } catch {
      resolve(null);
    }
  }).then((d) => {
    if (!d) opening = null; // asked again next time (e.g. once the other tab closed)
    return d;
  });
  return opening;
}

function run<T>(d: IDBDatabase, mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>, store = WRAPPED): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const tx = d.transaction(store, mode);
    const req = op(tx.objectStore(store));
    let result: T;
    req.onsuccess = () => { result = req.result; };
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
    // resolved once committed, so a key reported as kept is on disk
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
}

async function wrappingKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const base = await window.crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return window.crypto.subtle.deriveKey({ name: 'PBKDF2', salt, iterations, hash: 'SHA-256' }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/** Why `passphrase` (and its confirmation) cannot protect a key, or null when it can. */
export function passphraseProblem(passphrase: string, confirmation: string): string | null {
  if (passphrase.length < KEY_MIN_PASSPHRASE) return `Choose a key passphrase of at least ${KEY_MIN_PASSPHRASE} characters.`;
  if (passphrase !== confirmation) return 'The two key passphrases differ.';
  return null;
}

/**
 * Keeps a generated key pair for `owner`, encrypted under `passphrase`, and returns its fingerprint.
 * Fails (and the wizard sends nothing) when this browser cannot store it.
 */
export async function rememberKey(keys: CryptoKeyPair, keyType: KeyType, owner: KeyOwner, passphrase: string): Promise<string> {
  const fingerprint = await publicKeyFingerprint(await spkiOf(keys.publicKey));
  const salt = window.crypto.getRandomValues(new Uint8Array(16));
  const iv = window.crypto.getRandomValues(new Uint8Array(12));
  const pkcs8 = await window.crypto.subtle.exportKey('pkcs8', keys.privateKey);
  const aad = new TextEncoder().encode(rowId(owner.id, fingerprint));
  const wrapped = await window.crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, await wrappingKey(passphrase, salt, KEY_PBKDF2_ITERATIONS), pkcs8);
  const createdAt = Date.now();
  const d = await db();
  if (!d) {
    throw new Error('This browser refuses to store the key (IndexedDB is unavailable, e.g. in a private window, or another console tab of an earlier version holds it: close other console tabs and try again); or use your own CSR.');
  }
  const row: WrappedRow = {
    id: rowId(owner.id, fingerprint), fingerprint, keyType, owner: { id: owner.id, email: owner.email }, createdAt, salt, iv, iterations: KEY_PBKDF2_ITERATIONS, wrapped,
  };
  await run(d, 'readwrite', (s) => s.put(row));
  memory.set(row.id, { fingerprint, keyType, privateKey: keys.privateKey, createdAt });
  return fingerprint;
}

/** `owner`'s key with public-key fingerprint `fingerprint`: unlocked when this page unwrapped it already. */
export async function findKey(owner: KeyOwner, fingerprint: string): Promise<KeyLookup> {
  const hit = memory.get(rowId(owner.id, fingerprint));
  if (hit) return { state: 'unlocked', key: hit, owner };
  const d = await db();
  if (!d) return null;
  const row = await run<WrappedRow | undefined>(d, 'readonly', (s) => s.get(rowId(owner.id, fingerprint)) as IDBRequest<WrappedRow | undefined>).catch(() => undefined);
  if (!row) {
    const legacy = await legacyKey(d, fingerprint);
    return legacy ? { state: 'unlocked', key: legacy, owner, legacy: true } : null;
  }
  return { state: 'locked', key: { fingerprint: row.fingerprint, keyType: row.keyType, owner: row.owner, createdAt: row.createdAt } };
}

/**
 * A key an earlier console (database version 1) kept unencrypted for one tab, found by fingerprint from any
 * tab, so a request made before the upgrade still gets its PKCS #12.
 */
async function legacyKey(d: IDBDatabase, fingerprint: string): Promise<StoredKey | null> {
  if (!d.objectStoreNames.contains(LEGACY)) return null;
  const rows = await run<LegacyRow[]>(d, 'readonly', (s) => s.getAll() as IDBRequest<LegacyRow[]>, LEGACY).catch(() => [] as LegacyRow[]);
  const row = rows.find((r) => r.fingerprint === fingerprint && r.privateKey);
  return row ? { fingerprint: row.fingerprint, keyType: row.keyType, privateKey: row.privateKey, createdAt: row.createdAt } : null;
}

/** Unwraps a stored key with `passphrase`; a wrong passphrase leaves it locked and says so. */
export async function unlockKey(key: LockedKey, passphrase: string): Promise<StoredKey> {
  const d = await db();
  const row = d ? await run<WrappedRow | undefined>(d, 'readonly', (s) => s.get(rowId(key.owner.id, key.fingerprint)) as IDBRequest<WrappedRow | undefined>) : undefined;
  if (!row) throw new Error('The key is no longer in this browser\'s storage.');
  let pkcs8: ArrayBuffer;
  try {
    const aad = new TextEncoder().encode(row.id);
    pkcs8 = await window.crypto.subtle.decrypt({ name: 'AES-GCM', iv: row.iv, additionalData: aad }, await wrappingKey(passphrase, row.salt, row.iterations), row.wrapped);
  } catch {
    throw new Error('That passphrase does not unlock the key: it stays locked. Use the passphrase you chose when you requested the certificate.');
  }
  const entry: StoredKey = { fingerprint: row.fingerprint, keyType: row.keyType, privateKey: await importPrivateKey(pkcs8, row.keyType), createdAt: row.createdAt };
  memory.set(row.id, entry);
  return entry;
}

/** Forgets the unwrapped keys of this page (on sign-out); the encrypted copies stay in storage. */
export function lockKeys(): void {
  memory.clear();
}
