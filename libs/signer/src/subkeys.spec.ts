import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { SecretBox, deriveSubkey } from './subkeys';

describe('subkeys', () => {
  const kek = randomBytes(32);

  it('derives a distinct, stable key per purpose', () => {
    expect(deriveSubkey(kek, 'session-token-mac')).toEqual(deriveSubkey(kek, 'session-token-mac'));
    expect(deriveSubkey(kek, 'session-token-mac')).not.toEqual(deriveSubkey(kek, 'totp-secret-seal'));
    expect(deriveSubkey(kek, 'session-token-mac')).not.toEqual(deriveSubkey(randomBytes(32), 'session-token-mac'));
    expect(deriveSubkey(kek, 'session-token-mac')).toHaveLength(32);
  });

  it('matches HKDF-SHA256 as OpenSSL computes it', () => {
    // openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt hexkey:<kek> -kdfopt salt: -kdfopt info:anchorage/session-token-mac/v1 HKDF
    const fixed = Buffer.alloc(32, 7);
    const out = execFileSync('openssl', ['kdf', '-keylen', '32', '-kdfopt', 'digest:SHA256', '-kdfopt', `hexkey:${fixed.toString('hex')}`, '-kdfopt', 'info:anchorage/session-token-mac/v1', 'HKDF'], { encoding: 'utf8' });
    expect(deriveSubkey(fixed, 'session-token-mac').toString('hex')).toBe(out.trim().replace(/:/g, '').toLowerCase());
  });

  it('seals and opens, and refuses a tampered value, another context or another KEK', () => {
    const box = SecretBox.fromKek(kek, 'totp-secret-seal');
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'user-1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(box.seal('JBSWY3DPEHPK3PXP', 'user-1')).not.toBe(sealed); // fresh IV each time
    expect(() => box.open(sealed, 'user-2')).toThrow(/does not open/);
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[2], 'base64url');
    flipped[0] ^= 1;
    expect(() => box.open([parts[0], parts[1], flipped.toString('base64url'), parts[3]].join('.'), 'user-1')).toThrow(/does not open/);
    expect(() => SecretBox.fromKek(randomBytes(32), 'totp-secret-seal').open(sealed, 'user-1')).toThrow(/does not open/);
    expect(() => box.open('garbage', 'user-1')).toThrow(/malformed/);
  });
});
