import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPair,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';
import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import type { KeyType } from '@anchorage/contracts';
import { PoolWhenBusy } from '@anchorage/pki';
import { assertAlgorithmFits, digestOf } from './algorithms';
import { SignerError } from './errors';
import { keyFilePath, parseKeyFile, sealKeyFile, unsealKeyFile, writeKeyFileAtomic } from './key-file';
import { formatSoftKeyRef, parseSoftKeyRef } from './key-ref';
import { assertLabel, keyParams, keyTypeOfKeyObject } from './key-type';
import type { GeneratedKey, KeyBackend, KeyGenerationOptions, SignatureAlgorithm } from './types';
import { SYNC_CRYPTO_MAX_BYTES } from './verify-signature';

const generateKeyPairAsync = promisify(generateKeyPair);
const signAsync = promisify(sign);

/** Options of the software backend: where key files live and the KEK that seals them (see kek-file.ts). */
export interface SoftwareKeyBackendOptions {
  keyDir: string;
  kek: Buffer;
}

interface LoadedKey {
  keyType: KeyType;
  privateKey: KeyObject;
  spki: Buffer;
  test: boolean;
}

/**
 * Keys in files sealed under a key-encryption key (key-file.ts). Decrypted keys are cached as
 * non-exported KeyObjects; nothing here ever returns or logs private key bytes.
 */
export class SoftwareKeyBackend implements KeyBackend {
  /** Backend kind used by the Signer for routing. */
  readonly kind = 'software' as const;
  private readonly keyDir: string;
  private readonly kek: KeyObject;
  private readonly cache = new Map<string, Promise<LoadedKey>>();
  /** Where each signature is made: the first of a burst on this thread, the others on the thread pool. */
  private readonly signing = new PoolWhenBusy();

  constructor(options: SoftwareKeyBackendOptions) {
    if (!Buffer.isBuffer(options.kek) || options.kek.length !== 32) {
      throw new SignerError('software key backend needs a 32-byte key-encryption key');
    }
    this.keyDir = options.keyDir;
    this.kek = createSecretKey(options.kek); // copies the bytes into a KeyObject
  }

  /** Generates a key pair, seals the private key into `<keyDir>/<keyId>.key.json` and returns `soft:<keyId>`. */
  async generateKey(keyType: KeyType, label: string, options: KeyGenerationOptions = {}): Promise<GeneratedKey> {
    const test = options.test === true;
    assertLabel(label);
    const params = keyParams(keyType);
    const { privateKey, publicKey } =
      params.kind === 'rsa'
        ? await generateKeyPairAsync('rsa', { modulusLength: params.modulusBits, publicExponent: 0x10001 })
        : await generateKeyPairAsync('ec', { namedCurve: params.curve });
    const keyId = randomBytes(16).toString('hex');
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
    try {
      await fs.mkdir(this.keyDir, { recursive: true, mode: 0o700 });
      await writeKeyFileAtomic(this.keyDir, sealKeyFile(this.kek, { keyId, keyType, label, spki, test }, pkcs8));
    } finally {
      pkcs8.fill(0);
    }
    const keyRef = formatSoftKeyRef(keyId);
    this.cache.set(keyId, Promise.resolve({ keyType, privateKey, spki, test }));
    return { keyRef, spkiDer: new Uint8Array(spki), keyType, ...(test ? { test } : {}) };
  }

  /** Whether the key's sealed file marks it a test key (read under the KEK, so the mark is authenticated). */
  async isTestKey(keyRef: string): Promise<boolean> {
    return (await this.load(keyRef)).test;
  }

  /** SPKI DER of a stored key (the file is decrypted, so a wrong KEK or tampering shows up here too). */
  async publicKey(keyRef: string): Promise<Uint8Array> {
    return new Uint8Array((await this.load(keyRef)).spki);
  }

  /** RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2) or ECDSA with DER output (RFC 3279 §2.2.3). */
  async sign(keyRef: string, data: Uint8Array, alg: SignatureAlgorithm): Promise<Uint8Array> {
    const key = await this.load(keyRef);
    assertAlgorithmFits(key.keyType, alg, keyRef);
    const params = { key: key.privateKey, dsaEncoding: 'der' as const };
    // A signature asked for while no other is under way, and the first of its turn of the event loop,
    // is made on this thread: one request at a time then skips the hand-off to the thread pool and back
    // (two thread wake-ups). Under load every other one goes to the pool, so both cores sign.
    // a large CRL always goes to the pool (hashing megabytes never blocks), and counts as under way there
    const onThread = data.length <= SYNC_CRYPTO_MAX_BYTES ? () => new Uint8Array(sign(digestOf(alg), data, params)) : null;
    return this.signing.run(onThread, async () => new Uint8Array(await signAsync(digestOf(alg), data, params)));
  }

  /** Drops the decrypted keys held in memory. */
  async close(): Promise<void> {
    this.cache.clear();
  }

  private load(keyRef: string): Promise<LoadedKey> {
    const keyId = parseSoftKeyRef(keyRef);
    let pending = this.cache.get(keyId);
    if (!pending) {
      pending = this.readKey(keyId);
      this.cache.set(keyId, pending);
      pending.catch(() => this.cache.delete(keyId));
    }
    return pending;
  }

  private async readKey(keyId: string): Promise<LoadedKey> {
    const keyRef = formatSoftKeyRef(keyId);
    const path = keyFilePath(this.keyDir, keyId);
    let text: string;
    try {
      text = await fs.readFile(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new SignerError(
        code === 'ENOENT' ? `key ${keyRef} not found in ${this.keyDir}` : `cannot read key file ${path}: ${code ?? 'error'}`,
      );
    }
    const file = parseKeyFile(text, keyId, path);
    const pkcs8 = unsealKeyFile(this.kek, file);
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    } catch {
      throw new SignerError(`key ${keyRef} in ${path} is not a valid PKCS#8 private key`);
    } finally {
      pkcs8.fill(0);
    }
    const spki = Buffer.from(file.spki, 'base64');
    const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    if (keyTypeOfKeyObject(privateKey) !== file.keyType || !derived.equals(spki)) {
      throw new SignerError(`key ${keyRef} in ${path} does not match its recorded key type or public key`);
    }
    return { keyType: file.keyType, privateKey, spki, test: file.purpose === 'test' };
  }
}
