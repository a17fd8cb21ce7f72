// RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30-second steps) for the browser test, written here so the
// test acts like an authenticator app holding the secret the API showed once.
import { createHmac } from 'node:crypto';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text: string): Buffer {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text.replace(/[\s=]/g, '').toUpperCase()) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The 30-second step of `at`. */
export const totpStep = (at = Date.now()): number => Math.floor(at / 30_000);

/** The code an authenticator app shows for `secret` at `step` (RFC 4226 §5.3 dynamic truncation). */
export function totpCode(secret: string, step = totpStep()): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** A code the API must refuse now: valid long ago, and unlike every code of the accepted window. */
export function staleTotpCode(secret: string): string {
  const now = totpStep();
  const window = [now - 1, now, now + 1].map((s) => totpCode(secret, s));
  for (let back = 20; ; back++) {
    const code = totpCode(secret, now - back);
    if (!window.includes(code)) return code;
  }
}
