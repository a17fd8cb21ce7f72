// Private keys the browser generated, kept for this tab only: in memory, mirrored in IndexedDB (a
// CryptoKey is stored as a structured clone, never exported) under this tab's id so a reload of the
// tab finds them. The tab id lives in sessionStorage, so another tab cannot see them; records older
// than a day are pruned, and signing out forgets this tab's keys. Keys are found by the fingerprint
// of their public key, so a certificate (whatever request produced it) finds its key.
import type { KeyType } from '@anchorage/contracts';
import { publicKeyFingerprint, spkiOf } from './keys';

/** A key pair kept for this tab. */
export interface StoredKey {
  fingerprint: string;
  keyType: KeyType;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** epoch ms */
  createdAt: number;
}

interface Row extends StoredKey {
  id: string;
  tab: string;
}

const TAB_KEY = 'anchorage.tab';
const DB = 'anchorage-keys';
const STORE = 'keys';
const MAX_AGE_MS = 24 * 3600 * 1000;

const memory = new Map<string, StoredKey>();

function tabId(): string {
  let id = sessionStorage.getItem(TAB_KEY);
  if (!id) {
    id = window.crypto.randomUUID();
    sessionStorage.setItem(TAB_KEY, id);
  }
  return id;
}

let opening: Promise<IDBDatabase | null> | null = null;

/** The database, or null where IndexedDB is missing or refused (then memory alone keeps keys). */
function db(): Promise<IDBDatabase | null> {
  opening ??= new Promise<IDBDatabase | null>((resolve) => {
    try {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
    } catch {
      resolve(null);
    }
  }).then(async (d) => {
    if (d) await prune(d).catch(() => undefined);
    return d;
  });
  return opening;
}

function run<T>(d: IDBDatabase, mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const req = op(d.transaction(STORE, mode).objectStore(STORE));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

async function prune(d: IDBDatabase): Promise<void> {
  const rows = await run<Row[]>(d, 'readonly', (s) => s.getAll() as IDBRequest<Row[]>);
  const cutoff = Date.now() - MAX_AGE_MS;
  for (const r of rows) if (r.createdAt < cutoff) await run(d, 'readwrite', (s) => s.delete(r.id));
}

/** Keeps a generated key pair for this tab; returns its fingerprint. */
export async function rememberKey(keys: CryptoKeyPair, keyType: KeyType): Promise<string> {
  const fingerprint = await publicKeyFingerprint(await spkiOf(keys.publicKey));
  const entry: StoredKey = { fingerprint, keyType, privateKey: keys.privateKey, publicKey: keys.publicKey, createdAt: Date.now() };
  memory.set(fingerprint, entry);
  const d = await db();
  if (d) {
    const tab = tabId();
    await run(d, 'readwrite', (s) => s.put({ ...entry, id: `${tab}:${fingerprint}`, tab } satisfies Row)).catch(() => undefined);
  }
  return fingerprint;
}

/** This tab's key with public-key fingerprint `fingerprint`, if it has one. */
export async function findKey(fingerprint: string): Promise<StoredKey | null> {
  const hit = memory.get(fingerprint);
  if (hit) return hit;
  const d = await db();
  if (!d) return null;
  const row = await run<Row | undefined>(d, 'readonly', (s) => s.get(`${tabId()}:${fingerprint}`) as IDBRequest<Row | undefined>).catch(() => undefined);
  if (!row) return null;
  const entry: StoredKey = { fingerprint: row.fingerprint, keyType: row.keyType, privateKey: row.privateKey, publicKey: row.publicKey, createdAt: row.createdAt };
  memory.set(fingerprint, entry);
  return entry;
}

/** Forgets this tab's keys (on sign-out), and the tab id that found them. */
export async function forgetKeys(): Promise<void> {
  memory.clear();
  const tab = sessionStorage.getItem(TAB_KEY);
  if (!tab) return; // this tab never kept a key
  sessionStorage.removeItem(TAB_KEY);
  const d = await db();
  if (!d) return;
  const rows = await run<Row[]>(d, 'readonly', (s) => s.getAll() as IDBRequest<Row[]>).catch(() => [] as Row[]);
  for (const r of rows) if (r.tab === tab) await run(d, 'readwrite', (s) => s.delete(r.id)).catch(() => undefined);
}
