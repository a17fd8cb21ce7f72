import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyType } from '@anchorage/contracts';
import { signatureAlgorithmFor } from './algorithms';
import { SignerError } from './errors';
import { Pkcs11KeyBackend } from './pkcs11-backend';
import { Signer } from './signer';
import { SoftwareKeyBackend } from './software-backend';
import { MemoryAudit } from './testing/memory-audit';
import { opensslVerify } from './testing/openssl';
import type { GeneratedKey, KeyBackend, SignatureAlgorithm } from './types';

/** Hand-written fake: a backend that delegates, counts signatures and can corrupt them. */
class RecordingBackend implements KeyBackend {
  readonly kind = 'software' as const;
  signCalls = 0;
  corrupt = false;
  constructor(private readonly inner: KeyBackend) {}
  generateKey(keyType: KeyType, label: string): Promise<GeneratedKey> {
    return this.inner.generateKey(keyType, label);
  }
  publicKey(keyRef: string): Promise<Uint8Array> {
    return this.inner.publicKey(keyRef);
  }
  async sign(keyRef: string, data: Uint8Array, alg: SignatureAlgorithm): Promise<Uint8Array> {
    this.signCalls++;
    const signature = await this.inner.sign(keyRef, data, alg);
    if (this.corrupt) signature[signature.length - 1] ^= 1;
    return signature;
  }
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
// A syntactically plausible TBS: the signer only requires a DER SEQUENCE.
const tbs = Buffer.concat([Buffer.from([0x30, 0x81, 0x80]), randomBytes(128)]);

describe('Signer', () => {
  let dir: string;
  let backend: RecordingBackend;
  let signer: Signer;
  let key: GeneratedKey;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'signer-'));
    backend = new RecordingBackend(new SoftwareKeyBackend({ keyDir: dir, kek: randomBytes(32) }));
    signer = new Signer([backend]);
    key = await signer.generateKey('software', 'EC-P256', 'issuing');
  });
  afterEach(async () => {
    await signer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('audits before, signs, self-checks and audits after', async () => {
    const audit = new MemoryAudit();
    const signature = await signer.signTbs(key.keyRef, tbs, 'ecdsaWithSHA256', audit, { purpose: 'certificate', subject: 'ca-1/0a1b' });
    expect(audit.events.map((e) => e.phase)).toEqual(['before', 'after']);
    const base = { keyRef: key.keyRef, purpose: 'certificate', subject: 'ca-1/0a1b', algorithm: 'ecdsaWithSHA256', tbsSha256: sha256(tbs) };
    expect(audit.events[0].event).toEqual(base);
    expect(audit.events[1].event).toEqual({ ...base, signatureSha256: sha256(signature) });
    expect(opensslVerify(key.spkiDer, tbs, signature, 'sha256')).toBe('Verified OK');
  });

  it('carries the CRL entry count into both events', async () => {
    const audit = new MemoryAudit();
    await signer.signTbs(key.keyRef, tbs, 'ecdsaWithSHA256', audit, { purpose: 'crl', subject: 'ca-1/crl-7', entryCount: 0 });
    expect(audit.events.map((e) => e.event.entryCount)).toEqual([0, 0]);
  });

  it('signs nothing when audit.before fails', async () => {
    await expect(
      signer.signTbs(key.keyRef, tbs, 'ecdsaWithSHA256', new MemoryAudit('before'), { purpose: 'certificate', subject: 's' }),
    ).rejects.toThrow('audit store unavailable');
    expect(backend.signCalls).toBe(0);
  });

  it('withholds the signature when audit.after fails', async () => {
    await expect(signer.signTbs(key.keyRef, tbs, 'ecdsaWithSHA256', new MemoryAudit('after'), { purpose: 'crl', subject: 's' })).rejects.toThrow(
      'audit store unavailable',
    );
    expect(backend.signCalls).toBe(1);
  });

  it('refuses a signature that does not verify with the public key, and does not audit it as done', async () => {
    backend.corrupt = true;
    const audit = new MemoryAudit();
    await expect(signer.signTbs(key.keyRef, tbs, 'ecdsaWithSHA256', audit, { purpose: 'certificate', subject: 's' })).rejects.toThrow(
      new SignerError(`self-check failed: signature by ${key.keyRef} does not verify with its public key; nothing was returned`),
    );
    expect(audit.events.map((e) => e.phase)).toEqual(['before']);
  });

  it('rejects unknown key reference schemes and unconfigured backends clearly', async () => {
    const audit = new MemoryAudit();
    await expect(signer.signTbs('vault:abc', tbs, 'ecdsaWithSHA256', audit, { purpose: 'certificate', subject: 's' })).rejects.toThrow(
      new SignerError(`unknown key reference 'vault:abc': expected a 'soft:' or 'pkcs11:' reference`),
    );
    await expect(signer.publicKey('pkcs11:token=t;id=%01')).rejects.toThrow("no pkcs11 key backend configured for key 'pkcs11:token=t;id=%01'");
    await expect(signer.generateKey('pkcs11', 'EC-P256', 'x')).rejects.toThrow('no pkcs11 key backend configured');
    expect(audit.events).toEqual([]);
  });

  it('validates the request before auditing anything', async () => {
    const audit = new MemoryAudit();
    const meta = { purpose: 'certificate' as const, subject: 's' };
    await expect(signer.signTbs(key.keyRef, tbs, 'sha256WithRSAEncryption', audit, meta)).rejects.toThrow(/EC-P256; it signs with ecdsaWithSHA256/);
    await expect(signer.signTbs(key.keyRef, Buffer.from([0x04, 0x00]), 'ecdsaWithSHA256', audit, meta)).rejects.toThrow('TBS must be a DER SEQUENCE');
    await expect(signer.signTbs(key.keyRef, tbs, 'ecdsaWithSHA256', audit, { purpose: 'ocsp' as never, subject: 's' })).rejects.toThrow(/purpose/);
    await expect(signer.signTbs(key.keyRef, tbs, 'ecdsaWithSHA256', audit, { purpose: 'crl', subject: ' ' })).rejects.toThrow(/subject/);
    await expect(signer.signTbs(key.keyRef, tbs, 'ecdsaWithSHA256', audit, { purpose: 'crl', subject: 's', entryCount: -1 })).rejects.toThrow(/entryCount/);
    expect(audit.events).toEqual([]);
    expect(backend.signCalls).toBe(0);
  });

  it('refuses two backends of the same kind', () => {
    expect(() => new Signer([backend, backend])).toThrow('more than one software key backend configured');
  });

  it('routes soft: and pkcs11: references to their backends', async () => {
    const modulePath = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find((p) => existsSync(p));
    const token = process.env.ANCHORAGE_TEST_SOFTHSM_TOKEN;
    const pin = process.env.ANCHORAGE_TEST_SOFTHSM_PIN;
    if (!modulePath || !token || !pin) throw new Error('SoftHSM2 test token missing: run with libs/signer/jest.config.cjs');
    const both = new Signer([new SoftwareKeyBackend({ keyDir: dir, kek: randomBytes(32) }), new Pkcs11KeyBackend({ modulePath, tokenLabel: token, pin })]);
    try {
      for (const [kind, keyType] of [
        ['software', 'RSA-2048'],
        ['pkcs11', 'EC-P384'],
      ] as const) {
        const k = await both.generateKey(kind, keyType, `${kind} ca`);
        expect(k.keyRef.startsWith(kind === 'software' ? 'soft:' : 'pkcs11:')).toBe(true);
        const alg = signatureAlgorithmFor(keyType);
        const audit = new MemoryAudit();
        const signature = await both.signTbs(k.keyRef, tbs, alg, audit, { purpose: 'certificate', subject: kind });
        expect(opensslVerify(await both.publicKey(k.keyRef), tbs, signature, alg === 'ecdsaWithSHA384' ? 'sha384' : 'sha256')).toBe('Verified OK');
        expect(audit.events).toHaveLength(2);
      }
    } finally {
      await both.close();
    }
  });
});
