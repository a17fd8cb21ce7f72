// Certificate serial numbers (RFC 5280 §4.1.2.2, CA/B Forum-style >= 64 random bits, UDAP profile "Serial").
import { fromHex, toHex } from './bytes';
import { PkiError } from './errors';

/** Default number of random bytes a caller should pass to newSerial. */
export const SERIAL_RANDOM_BYTES = 16;

/**
 * Turns caller-supplied randomness (9..20 bytes, normally 16) into a positive serial of exactly that
 * many octets: the top bit is cleared so DER needs no 0x00 sign pad (keeps it <= 20 octets), and the
 * next bit is set so the encoding never shrinks and the stored hex always equals the certificate's.
 * 16 bytes leave 126 random bits, well above the 64 the profile requires. Pure: no RNG inside.
 */
export function newSerial(random: Uint8Array): Uint8Array {
  if (random.length < 9 || random.length > 20) {
    throw new PkiError('validation', `serial randomness must be 9..20 bytes (got ${random.length})`);
  }
  const out = Uint8Array.from(random);
  out[0] = (out[0] & 0x7f) | 0x40;
  return out;
}

/** Canonical hex of a serial: lowercase, no 0x00 sign pad, no leading zero octets. */
export function serialToHex(serial: Uint8Array): string {
  let i = 0;
  while (i < serial.length - 1 && serial[i] === 0) i++;
  return toHex(serial.subarray(i));
}

/** Parses serial hex (any case, optional colons) back into its unsigned magnitude bytes. */
export function serialFromHex(hex: string): Uint8Array {
  try {
    const bytes = fromHex(hex.length % 2 ? `0${hex}` : hex);
    if (bytes.length === 0) throw new RangeError('empty');
    return fromHex(serialToHex(bytes));
  } catch {
    throw new PkiError('validation', `"${hex}" is not a serial number in hex`);
  }
}
