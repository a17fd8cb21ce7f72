import { createHash, randomBytes } from 'node:crypto';
import type { KeyType } from '@anchorage/contracts';
import * as pkcs11js from 'pkcs11js';
import { assertAlgorithmFits, digestOf } from './algorithms';
import { ecdsaRawToDer } from './ecdsa-signature';
import { SignerError } from './errors';
import { formatPkcs11KeyRef, parsePkcs11KeyRef } from './key-ref';
import { assertLabel, keyParams } from './key-type';
import { pkcs11Failure } from './pkcs11-errors';
import { openModule, type Pkcs11Module } from './pkcs11-module';
import { findKeyObject, keyPairTemplates, readTokenPublicKey, type TokenPublicKey } from './pkcs11-objects';
import { SerialQueue } from './serial-queue';
import { CURVE_FIELD_BYTES } from './spki';
import type { GeneratedKey, KeyBackend, SignatureAlgorithm } from './types';

/** Where the token is: PKCS#11 library path, token label and user PIN (read by the caller, e.g. readPinFile). */
export interface Pkcs11KeyBackendOptions {
  modulePath: string;
  tokenLabel: string;
  pin: string;
}

interface Connection {
  module: Pkcs11Module;
  slot: pkcs11js.Handle;
  session: pkcs11js.Handle;
}

interface TokenKey extends TokenPublicKey {
  privateKey: pkcs11js.Handle;
}

/**
 * Keys generated and kept on a PKCS#11 token; private keys never leave it. One read-write session per
 * backend, opened on first use, with every call on it serialized (serial-queue.ts).
 */
export class Pkcs11KeyBackend implements KeyBackend {
  /** Backend kind used by the Signer for routing. */
  readonly kind = 'pkcs11' as const;
  private readonly modulePath: string;
  private readonly tokenLabel: string;
  readonly #pin: string; // a #private field: invisible to util.inspect and JSON.stringify
  private readonly queue = new SerialQueue();
  private readonly keys = new Map<string, TokenKey>();
  private connection?: Promise<Connection>;
  private closed = false;

  constructor(options: Pkcs11KeyBackendOptions) {
    if (!options.modulePath || !options.tokenLabel) {
      throw new SignerError('PKCS#11 backend needs a module path and a token label');
    }
    if (!options.pin) throw new SignerError(`PKCS#11 backend for token '${options.tokenLabel}' needs a PIN`);
    this.modulePath = options.modulePath;
    this.tokenLabel = options.tokenLabel;
    this.#pin = options.pin;
  }

  /** Loads the module, finds the token and logs in; other methods call it on first use. */
  async open(): Promise<void> {
    await this.connect();
  }

  /** Generates a key pair on the token (private key sensitive, non-extractable, sign-only). */
  async generateKey(keyType: KeyType, label: string): Promise<GeneratedKey> {
    assertLabel(label);
    const params = keyParams(keyType);
    const { module, session } = await this.connect();
    const id = randomBytes(16);
    const keyRef = formatPkcs11KeyRef({ token: this.tokenLabel, id });
    return this.queue.run(async () => {
      const { mechanism, publicTemplate, privateTemplate } = keyPairTemplates(params, id, label);
      let pair: pkcs11js.KeyPair;
      try {
        pair = await module.lib.C_GenerateKeyPairAsync(session, { mechanism }, publicTemplate, privateTemplate);
      } catch (e) {
        throw pkcs11Failure(`PKCS#11 key generation (${keyType}) on token '${this.tokenLabel}' failed`, e);
      }
      const publicKey = readTokenPublicKey(module.lib, session, pair.publicKey, keyRef);
      this.keys.set(keyRef, { ...publicKey, privateKey: pair.privateKey });
      return { keyRef, spkiDer: new Uint8Array(publicKey.spki), keyType };
    });
  }

  /** SPKI DER rebuilt from the token's public key object. */
  async publicKey(keyRef: string): Promise<Uint8Array> {
    return new Uint8Array((await this.key(keyRef)).spki);
  }

  /** RSA: CKM_SHA256_RSA_PKCS over the data. ECDSA: CKM_ECDSA over a digest computed here, re-encoded to DER. */
  async sign(keyRef: string, data: Uint8Array, alg: SignatureAlgorithm): Promise<Uint8Array> {
    const key = await this.key(keyRef);
    assertAlgorithmFits(key.keyType, alg, keyRef);
    const { module, session } = await this.connect();
    return this.queue.run(async () => {
      try {
        if (key.curve) {
          // CKM_ECDSA signs a pre-computed hash and returns r||s (PKCS #11 Current Mechanisms v2.40, CKM_ECDSA).
          const digest = createHash(digestOf(alg)).update(data).digest();
          module.lib.C_SignInit(session, { mechanism: pkcs11js.CKM_ECDSA }, key.privateKey);
          const size = 2 * CURVE_FIELD_BYTES[key.curve];
          const raw = await module.lib.C_SignAsync(session, digest, Buffer.alloc(size));
          if (raw.length !== size) throw new SignerError(`token returned a ${raw.length}-byte ECDSA signature`);
          return new Uint8Array(ecdsaRawToDer(raw));
        }
        module.lib.C_SignInit(session, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, key.privateKey);
        return new Uint8Array(await module.lib.C_SignAsync(session, Buffer.from(data), Buffer.alloc(512)));
      } catch (e) {
        throw pkcs11Failure(`PKCS#11 signing with key ${keyRef} failed`, e);
      }
    });
  }

  /** Closes the session, logs out with the last backend on the token and unloads the module with the last user. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pending = this.connection;
    if (!pending) return;
    const connection = await pending.catch(() => undefined);
    if (!connection) return;
    await this.queue.run(() => {
      const { module, slot, session } = connection;
      try {
        module.logout(slot, session);
        module.lib.C_CloseSession(session);
      } catch {
        // The session is already gone (token removed or library finalized); nothing to release on it.
      } finally {
        this.keys.clear();
        module.release();
      }
    });
  }

  private connect(): Promise<Connection> {
    if (this.closed) return Promise.reject(new SignerError(`PKCS#11 backend for token '${this.tokenLabel}' is closed`));
    // A failed connection is kept, not retried: repeating a wrong PIN would run the token's
    // retry counter down and lock the user PIN (PKCS #11 Base v2.40, C_Login: CKR_PIN_LOCKED).
    this.connection ??= this.queue.run(() => this.openSession());
    return this.connection;
  }

  private openSession(): Connection {
    const module = openModule(this.modulePath);
    try {
      const slot = this.findSlot(module);
      let session: pkcs11js.Handle;
      try {
        session = module.lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
      } catch (e) {
        throw pkcs11Failure(`cannot open a session on PKCS#11 token '${this.tokenLabel}'`, e);
      }
      try {
        module.login(slot, session, this.#pin, this.tokenLabel);
      } catch (e) {
        module.lib.C_CloseSession(session);
        throw e;
      }
      return { module, slot, session };
    } catch (e) {
      module.release();
      throw e;
    }
  }

  private findSlot(module: Pkcs11Module): pkcs11js.Handle {
    const labels: string[] = [];
    const matches: pkcs11js.Handle[] = [];
    try {
      for (const slot of module.lib.C_GetSlotList(true)) {
        const info = module.lib.C_GetTokenInfo(slot);
        if (!(info.flags & pkcs11js.CKF_TOKEN_INITIALIZED)) continue; // e.g. SoftHSM's spare empty slot
        const label = info.label.trimEnd(); // blank-padded to 32 characters (PKCS #11 Base v2.40, CK_TOKEN_INFO)
        labels.push(`'${label}'`);
        if (label === this.tokenLabel) matches.push(slot);
      }
    } catch (e) {
      throw pkcs11Failure(`cannot list tokens of PKCS#11 module ${this.modulePath}`, e);
    }
    if (matches.length === 1) return matches[0];
    throw new SignerError(
      matches.length === 0
        ? `no PKCS#11 token labelled '${this.tokenLabel}' in ${this.modulePath} (tokens present: ${labels.join(', ') || 'none'})`
        : `several PKCS#11 tokens are labelled '${this.tokenLabel}' in ${this.modulePath}`,
    );
  }

  private async key(keyRef: string): Promise<TokenKey> {
    const ref = parsePkcs11KeyRef(keyRef);
    if (ref.token !== this.tokenLabel) {
      throw new SignerError(`key ${keyRef} is on token '${ref.token}', but this backend serves token '${this.tokenLabel}'`);
    }
    const canonical = formatPkcs11KeyRef(ref);
    const cached = this.keys.get(canonical);
    if (cached) return cached;
    const { module, session } = await this.connect();
    return this.queue.run(() => {
      const privateKey = findKeyObject(module.lib, session, pkcs11js.CKO_PRIVATE_KEY, ref.id, keyRef);
      const publicKey = findKeyObject(module.lib, session, pkcs11js.CKO_PUBLIC_KEY, ref.id, keyRef);
      if (!privateKey) throw new SignerError(`key ${keyRef} not found on token '${this.tokenLabel}'`);
      if (!publicKey) throw new SignerError(`key ${keyRef} has no public key object on token '${this.tokenLabel}'`);
      const key = { ...readTokenPublicKey(module.lib, session, publicKey, keyRef), privateKey };
      this.keys.set(canonical, key);
      return key;
    });
  }
}
