// A small CBOR decoder (RFC 8949) for what WebAuthn sends: attestation objects and COSE keys. Major
// types 0-5 and the simple values false, true and null; definite lengths only (WebAuthn requires the
// CTAP2 canonical form, which has no indefinite lengths, tags or floats). Anything else is an error.

/** A decoded CBOR value (maps keep their keys, which COSE makes integers). */
export type CborValue = number | bigint | Uint8Array | string | boolean | null | CborValue[] | Map<CborValue, CborValue>;

/** Why some bytes are not the CBOR expected. */
export class CborError extends Error {}

class Reader {
  at = 0;
  constructor(private readonly b: Uint8Array) {}

  private need(n: number): void {
    if (this.at + n > this.b.length) throw new CborError(`CBOR ends early at byte ${this.at}`);
  }

  byte(): number {
    this.need(1);
    return this.b[this.at++];
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  /** The argument of an initial byte with additional information `info` (§3). */
  argument(info: number): number | bigint {
    if (info < 24) return info;
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (size === 0) throw new CborError(`unsupported CBOR additional information ${info} (indefinite lengths are not allowed)`);
    let v = 0n;
    for (const x of this.bytes(size)) v = (v << 8n) | BigInt(x);
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  length(info: number): number {
    const n = this.argument(info);
    if (typeof n !== 'number') throw new CborError('CBOR length too large');
    return n;
  }

  item(depth = 0): CborValue {
    if (depth > 16) throw new CborError('CBOR nested too deeply');
    const initial = this.byte();
    const major = initial >> 5;
    const info = initial & 0x1f;
    switch (major) {
      case 0: return this.argument(info);
      case 1: {
        const n = this.argument(info);
        return typeof n === 'number' ? -1 - n : -1n - n;
      }
      case 2: return this.bytes(this.length(info));
      case 3: return new TextDecoder('utf-8', { fatal: true }).decode(this.bytes(this.length(info)));
      case 4: return Array.from({ length: this.length(info) }, () => this.item(depth + 1));
      case 5: {
        const m = new Map<CborValue, CborValue>();
        const n = this.length(info);
        for (let i = 0; i < n; i++) {
          const k = this.item(depth + 1);
          if (m.has(k)) throw new CborError('CBOR map with a duplicate key');
          m.set(k, this.item(depth + 1));
        }
        return m;
      }
      case 7:
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22) return null;
        throw new CborError(`unsupported CBOR simple value or float (${info})`);
      default: throw new CborError(`unsupported CBOR major type ${major} (tags are not allowed)`);
    }
  }
}

/** Decodes one CBOR item at the start of `bytes`; also says how many bytes it took (authenticator data carries a COSE key followed by extensions). */
export function decodeCborPrefix(bytes: Uint8Array): { value: CborValue; length: number } {
  const r = new Reader(bytes);
  const value = r.item();
  return { value, length: r.at };
}

/** Decodes exactly one CBOR item: trailing bytes are an error. */
export function decodeCbor(bytes: Uint8Array): CborValue {
  const { value, length } = decodeCborPrefix(bytes);
  if (length !== bytes.length) throw new CborError(`${bytes.length - length} bytes after the CBOR item`);
  return value;
}
