// A PKCS#11 library is process-wide state: C_Initialize succeeds once per process (PKCS #11 Base v2.40,
// C_Initialize: CKR_CRYPTOKI_ALREADY_INITIALIZED) and login state is shared by every session the
// application has with a token (C_Login: CKR_USER_ALREADY_LOGGED_IN). Backends therefore share one loaded
// module per library and one login per token, reference-counted here.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { realpathSync } from 'node:fs';
import * as pkcs11js from 'pkcs11js';
import { SignerError } from './errors';
import { ckrName, pkcs11Failure } from './pkcs11-errors';

/** A loaded, initialized PKCS#11 library, shared by the backends of this process. */
export interface Pkcs11Module {
  readonly lib: pkcs11js.PKCS11;
  readonly modulePath: string;
  /** Logs the user in on the token of `slot`, or checks `pin` against the PIN of the existing login. */
  login(slot: pkcs11js.Handle, session: pkcs11js.Handle, pin: string, tokenLabel: string): void;
  /** Drops one login reference; the last one logs out. */
  logout(slot: pkcs11js.Handle, session: pkcs11js.Handle): void;
  /** Drops one module reference; the last one finalizes the library if this code initialized it. */
  release(): void;
}

interface SharedModule {
  lib: pkcs11js.PKCS11;
  refs: number;
  initializedHere: boolean;
  logins: Map<string, { pinMac: Buffer; refs: number }>;
}

const modules = new Map<string, SharedModule>();
// PINs of live logins are remembered only as HMACs under a key that never leaves this process, so a
// second backend given a different PIN is refused instead of riding on the first one's login.
const pinMacKey = randomBytes(32);

function pinMac(pin: string): Buffer {
  return createHmac('sha256', pinMacKey).update(pin, 'utf8').digest();
}

function loginFailure(tokenLabel: string, e: unknown): SignerError {
  const what = `PKCS#11 login to token '${tokenLabel}' failed`;
  const ckr = ckrName(e);
  if (ckr === 'CKR_PIN_INCORRECT') return new SignerError(`${what}: wrong PIN (${ckr})`);
  if (ckr === 'CKR_PIN_LOCKED') return new SignerError(`${what}: the user PIN is locked (${ckr})`);
  if (ckr === 'CKR_PIN_LEN_RANGE') return new SignerError(`${what}: PIN has an invalid length (${ckr})`);
  return pkcs11Failure(what, e);
}

function load(modulePath: string): SharedModule {
  const lib = new pkcs11js.PKCS11();
  try {
    lib.load(modulePath);
  } catch (e) {
    throw new SignerError(`cannot load PKCS#11 module ${modulePath}: ${e instanceof Error ? e.message : 'error'}`);
  }
  let initializedHere = true;
  try {
    // Async pkcs11js calls run on libuv worker threads, so the library must do its own locking.
    lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (e) {
    if (ckrName(e) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      lib.close();
      throw pkcs11Failure(`cannot initialize PKCS#11 module ${modulePath}`, e);
    }
    initializedHere = false;
  }
  return { lib, refs: 0, initializedHere, logins: new Map() };
}

/** Loads (or reuses) the PKCS#11 library at `modulePath`; callers must `release()` it. */
export function openModule(modulePath: string): Pkcs11Module {
  let key: string;
  try {
    key = realpathSync(modulePath);
  } catch {
    throw new SignerError(`PKCS#11 module not found: ${modulePath}`);
  }
  let shared = modules.get(key);
  if (!shared) {
    shared = load(modulePath);
    modules.set(key, shared);
  }
  shared.refs++;
  const s = shared;
  let released = false;
  return {
    lib: s.lib,
    modulePath,
    login(slot, session, pin, tokenLabel) {
      const slotKey = slot.toString('hex');
      const mac = pinMac(pin);
      const existing = s.logins.get(slotKey);
      if (existing) {
        if (!timingSafeEqual(existing.pinMac, mac)) {
          throw new SignerError(`PKCS#11 login to token '${tokenLabel}' failed: wrong PIN (token in use with another PIN)`);
        }
        existing.refs++;
        return;
      }
      try {
        s.lib.C_Login(session, pkcs11js.CKU_USER, pin);
      } catch (e) {
        if (ckrName(e) !== 'CKR_USER_ALREADY_LOGGED_IN') throw loginFailure(tokenLabel, e);
        // Logged in by code outside this registry: log in again so the PIN is really checked.
        try {
          s.lib.C_Logout(session);
          s.lib.C_Login(session, pkcs11js.CKU_USER, pin);
        } catch (e2) {
          throw loginFailure(tokenLabel, e2);
        }
      }
      s.logins.set(slotKey, { pinMac: mac, refs: 1 });
    },
    logout(slot, session) {
      const slotKey = slot.toString('hex');
      const existing = s.logins.get(slotKey);
      if (!existing || --existing.refs > 0) return;
      s.logins.delete(slotKey);
      try {
        s.lib.C_Logout(session);
      } catch {
        // Already logged out (e.g. the token was removed); nothing left to undo.
      }
    },
    release() {
      if (released) return;
      released = true;
      if (--s.refs > 0) return;
      modules.delete(key);
      try {
        if (s.initializedHere) s.lib.C_Finalize();
      } finally {
        s.lib.close();
      }
    },
  };
}
