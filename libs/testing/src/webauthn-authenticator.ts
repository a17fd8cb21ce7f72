// A software WebAuthn authenticator for tests: one ES256 or RS256 key made with node:crypto, CBOR written
// by a small encoder, answering registration and sign-in ceremonies the way a browser hands them to a
// server (base64url fields), with switches to break each part a relying party must check.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

export type Cbor = number | string | Uint8Array | boolean | null | Cbor[] | Map<Cbor, Cbor>;
function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 255]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}
export function cbor(v: Cbor): Buffer {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') return Buffer.concat([head(3, Buffer.byteLength(v)), Buffer.from(v)]);
  if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), v]);
  if (v === false) return Buffer.from([0xf4]);
  if (v === true) return Buffer.from([0xf5]);
  if (v === null) return Buffer.from([0xf6]);
  if (Array.isArray(v)) return Buffer.concat([head(4, v.length), ...v.map(cbor)]);
  return Buffer.concat([head(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])]);
}
export const b64u = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();


/** A software authenticator holding one key, for the relying party `rp` (origin and rpId). */
export class SoftAuthenticator {
  readonly id = randomBytes(16);
  counter = 0;
  private readonly priv: KeyObject;
  private readonly pub: KeyObject;
  constructor(readonly alg: -7 | -257, readonly rp: { origin: string; rpId: string }, public challenge: Uint8Array = randomBytes(32)) {
    const pair = alg === -7 ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.priv = pair.privateKey;
    this.pub = pair.publicKey;
  }
  cose(): Map<Cbor, Cbor> {
    const jwk = this.pub.export({ format: 'jwk' });
    return this.alg === -7
      ? new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]])
      : new Map<Cbor, Cbor>([[1, 3], [3, -257], [-1, Buffer.from(jwk.n!, 'base64url')], [-2, Buffer.from(jwk.e!, 'base64url')]]);
  }
  authData(o: { rpId?: string; flags?: number; counter?: number; attested?: boolean } = {}): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(o.counter ?? this.counter);
    const parts: Uint8Array[] = [sha256(o.rpId ?? this.rp.rpId), Buffer.from([(o.flags ?? 0x05) | (o.attested ? 0x40 : 0)]), count];
    if (o.attested) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(this.id.length);
      parts.push(Buffer.alloc(16), len, this.id, cbor(this.cose()));
    }
    return Buffer.concat(parts);
  }
  clientData(type: string, o: { challenge?: Uint8Array; origin?: string } = {}): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge: b64u(o.challenge ?? this.challenge), origin: o.origin ?? this.rp.origin, crossOrigin: false }));
  }
  register(o: { fmt?: string; clientData?: Buffer; authData?: Buffer } = {}) {
    const attestationObject = cbor(new Map<Cbor, Cbor>([['fmt', o.fmt ?? 'none'], ['attStmt', new Map()], ['authData', o.authData ?? this.authData({ attested: true })]]));
    return { clientDataJSON: b64u(o.clientData ?? this.clientData('webauthn.create')), attestationObject: b64u(attestationObject) };
  }
  assert(o: { clientData?: Buffer; authData?: Buffer; tamper?: boolean } = {}) {
    this.counter++;
    const clientData = o.clientData ?? this.clientData('webauthn.get');
    const authData = o.authData ?? this.authData();
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), this.alg === -7 ? { key: this.priv, dsaEncoding: 'der' } : this.priv);
    if (o.tamper) signature[signature.length - 1] ^= 1;
    return { credentialId: b64u(this.id), clientDataJSON: b64u(clientData), authenticatorData: b64u(authData), signature: b64u(signature) };
  }
}

