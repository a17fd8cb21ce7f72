// The audit key: one Ed25519 key (RFC 8032) that signs nothing but checkpoints of the audit chain head
// (docs/audit.md). Not a CA key: what relying parties trust must not be rotated or lost along with the
// audit log's anchor, and a CA key may sit in an HSM that only signs TBS structures. Not the KEK either:
// a checkpoint must be checkable by an auditor holding only a public key.
//
// Stored as `<keyDir>/audit-checkpoint.key.json`, created once by whichever process needs it first:
//   { format: 'anchorage-audit-key', version: 1, algorithm: 'Ed25519', spki, iv, ciphertext, tag }
// spki is the public key in clear (base64 DER); ciphertext is the PKCS#8 DER private key sealed with
// AES-256-GCM (NIST SP 800-38D) under a subkey of the KEK (subkeys.ts, purpose 'audit-key-seal'), so it
// never shares a key with the CA key files. The AAD binds the SPKI hash: a file given another public
// key fails authentication instead of signing with a key auditors do not know.
import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { SignerError } from './errors';
import { deriveSubkey } from './subkeys';

/** File name of the audit key in the key directory. */
export const AUDIT_KEY_FILE = 'audit-checkpoint.key.json';

/** The JWS `typ` of an audit checkpoint (RFC 7515 §4.1.9); the audit key signs no other header. */
export const AUDIT_CHECKPOINT_TYP = 'anchorage-audit-checkpoint+jws';

interface AuditKeyFile {
  format: 'anchorage-audit-key';
  version: 1;
  algorithm: 'Ed25519';
  spki: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

function aad(spki: Buffer): Buffer {
  return Buffer.from(`anchorage-audit-key/v1|Ed25519|${createHash('sha256').update(spki).digest('hex')}`, 'utf8');
}

function seal(sealKey: Buffer, spki: Buffer, pkcs8: Buffer): AuditKeyFile {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
  cipher.setAAD(aad(spki));
  const ciphertext = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  return {
    format: 'anchorage-audit-key', version: 1, algorithm: 'Ed25519', spki: spki.toString('base64'),
    iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64'),
  };
}

function parse(text: string, path: string): AuditKeyFile {
  const malformed = () => new SignerError(`audit key file ${path} is malformed or corrupted`);
  let v: Partial<Record<keyof AuditKeyFile, unknown>>;
  try {
    v = JSON.parse(text) as typeof v;
  } catch {
    throw malformed();
  }
  if (v === null || typeof v !== 'object' || v.format !== 'anchorage-audit-key' || v.version !== 1 || v.algorithm !== 'Ed25519') throw malformed();
  if ((['spki', 'iv', 'ciphertext', 'tag'] as const).some((k) => typeof v[k] !== 'string')) throw malformed();
  return v as AuditKeyFile;
}

/** The audit key, decrypted and held as non-exportable KeyObjects (see the file comment). */
export class AuditKey {
  private constructor(
    private readonly privateKey: KeyObject,
    /** The Ed25519 public key. */
    readonly publicKey: KeyObject,
    /** SubjectPublicKeyInfo DER of the public key (RFC 8410 §4). */
    readonly spki: Buffer,
  ) {}

  /**
   * Opens `<keyDir>/audit-checkpoint.key.json`, or generates the key and writes that file when there is
   * none. Creation is exclusive (link(2) refuses an existing name), so processes starting together end
   * with one key: the losers read the winner's file.
   */
  static async openOrCreate(keyDir: string, kek: Uint8Array): Promise<AuditKey> {
    const sealKey = deriveSubkey(kek, 'audit-key-seal');
    const path = join(keyDir, AUDIT_KEY_FILE);
    try {
      const existing = await readIfPresent(path);
      if (existing !== null) return AuditKey.unseal(sealKey, parse(existing, path), path);
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const spki = publicKey.export({ type: 'spki', format: 'der' });
      const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
      let file: AuditKeyFile;
      try {
        file = seal(sealKey, spki, pkcs8);
      } finally {
        pkcs8.fill(0);
      }
      await fs.mkdir(keyDir, { recursive: true, mode: 0o700 });
      if (await createExclusive(keyDir, path, `${JSON.stringify(file, null, 2)}\n`)) return new AuditKey(privateKey, publicKey, spki);
      return AuditKey.unseal(sealKey, parse((await readIfPresent(path)) ?? '', path), path);
    } finally {
      sealKey.fill(0);
    }
  }

  private static unseal(sealKey: Buffer, file: AuditKeyFile, path: string): AuditKey {
    const spki = Buffer.from(file.spki, 'base64');
    let pkcs8: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', sealKey, Buffer.from(file.iv, 'base64'));
      decipher.setAAD(aad(spki));
      decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
      pkcs8 = Buffer.concat([decipher.update(Buffer.from(file.ciphertext, 'base64')), decipher.final()]);
    } catch {
      throw new SignerError(`cannot decrypt the audit key ${path}: wrong key-encryption key or corrupted file`);
    }
    try {
      const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
      const publicKey = createPublicKey(privateKey);
      if (privateKey.asymmetricKeyType !== 'ed25519' || !publicKey.export({ type: 'spki', format: 'der' }).equals(spki)) {
        throw new SignerError(`the audit key ${path} does not match its recorded public key`);
      }
      return new AuditKey(privateKey, publicKey, spki);
    } catch (e) {
      if (e instanceof SignerError) throw e;
      throw new SignerError(`the audit key ${path} is not a valid PKCS#8 private key`);
    } finally {
      pkcs8.fill(0);
    }
  }

  /** Ed25519 signature (RFC 8032 §5.1.6, 64 bytes) over `data`. */
  sign(data: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, data, this.privateKey));
  }
}

async function readIfPresent(path: string): Promise<string | null> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new SignerError(`cannot read the audit key file ${path}: ${code ?? 'error'}`);
  }
}

/**
 * Writes `text` to `path` with mode 0600 unless the file exists: temp file, fsync, link (atomic and
 * refusing an existing name, unlike rename), fsync of the directory. False when another process won.
 */
async function createExclusive(dir: string, path: string, text: string): Promise<boolean> {
  const temp = join(dir, `.audit-key.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.link(temp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new SignerError(`cannot create the audit key file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  } finally {
    await fs.rm(temp, { force: true });
  }
  const d = await fs.open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
  return true;
}
