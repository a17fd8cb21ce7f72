// Keys for platform secrets other than CA keys (session-token MAC, sealed TOTP and webhook secrets, the sealed audit key), derived
// from the key-encryption key with HKDF-SHA256 (RFC 5869) and a purpose label per use, so one secret
// file is all an operator guards and no derived key can be turned back into the KEK or another.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { SignerError } from './errors';

/** Purposes a subkey may be derived for: a fixed list, so two features never share a key by accident. */
export type SubkeyPurpose = 'session-token-mac' | 'totp-secret-seal' | 'webhook-secret-seal' | 'audit-key-seal';

/** A 32-byte key for `purpose`, derived from `kek`. */
export function deriveSubkey(kek: Uint8Array, purpose: SubkeyPurpose): Buffer {
  if (kek.length < 32) throw new SignerError('the key-encryption key must be at least 32 bytes');
  return Buffer.from(hkdfSync('sha256', kek, Buffer.alloc(0), `anchorage/${purpose}/v1`, 32));
}

const SEALED = /^v1\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]{22})$/;

/** AES-256-GCM for short secrets stored in the database (`v1.<iv>.<ciphertext>.<tag>`, base64url). */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** A box whose key is derived from the KEK for `purpose`. */
  static fromKek(kek: Uint8Array, purpose: SubkeyPurpose): SecretBox {
    return new SecretBox(deriveSubkey(kek, purpose));
  }

  /** Encrypts `plain`; `context` (e.g. the owning row's id) is authenticated, so a sealed value moved to another row does not open. */
  seal(plain: string, context: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `v1.${iv.toString('base64url')}.${ct.toString('base64url')}.${c.getAuthTag().toString('base64url')}`;
  }

  /** Decrypts what `seal` produced for the same `context`; throws SignerError if it was altered or sealed elsewhere. */
  open(sealed: string, context: string): string {
    const m = SEALED.exec(sealed);
    if (!m) throw new SignerError('sealed secret is malformed');
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(m[1], 'base64url'));
      d.setAAD(Buffer.from(context, 'utf8'));
      d.setAuthTag(Buffer.from(m[3], 'base64url'));
      return Buffer.concat([d.update(Buffer.from(m[2], 'base64url')), d.final()]).toString('utf8');
    } catch {
      throw new SignerError('sealed secret does not open with this key-encryption key (altered, or sealed for another record)');
    }
  }
}
