import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_CHECKPOINT_TYP, AUDIT_KEY_FILE, AuditKey } from './audit-key';
import { Signer } from './signer';
import { spkiPem } from './testing/openssl';

const b64u = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const checkpointInput = (header: Record<string, unknown> = { alg: 'EdDSA', typ: AUDIT_CHECKPOINT_TYP }) => Buffer.from(`${b64u(header)}.${b64u({ seq: '1' })}`, 'ascii');

describe('audit key', () => {
  let dir: string;
  const kek = randomBytes(32);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is generated once, sealed in a 0600 file, and opens again to the same key', async () => {
    const first = await AuditKey.openOrCreate(dir, kek);
    const path = join(dir, AUDIT_KEY_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file).toMatchObject({ format: 'anchorage-audit-key', version: 1, algorithm: 'Ed25519', spki: first.spki.toString('base64') });
    expect(readFileSync(path, 'utf8')).not.toMatch(/PRIVATE KEY/);
    const again = await AuditKey.openOrCreate(dir, kek);
    expect(again.spki).toEqual(first.spki);
    expect(first.publicKey.asymmetricKeyType).toBe('ed25519');
  });

  it('ends with one key when processes create it at the same moment', async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, () => AuditKey.openOrCreate(dir, kek)));
    expect(new Set(keys.map((k) => k.spki.toString('hex'))).size).toBe(1);
    expect(readdirSync(dir)).toEqual([AUDIT_KEY_FILE]);
  });

  it('does not open under another KEK, nor with another public key written into the file', async () => {
    await AuditKey.openOrCreate(dir, kek);
    await expect(AuditKey.openOrCreate(dir, randomBytes(32))).rejects.toThrow(/cannot decrypt the audit key/);
    const path = join(dir, AUDIT_KEY_FILE);
    const other = mkdtempSync(join(tmpdir(), 'audit-key-other-'));
    try {
      const stranger = await AuditKey.openOrCreate(other, kek);
      writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), spki: stranger.spki.toString('base64') }));
      await expect(AuditKey.openOrCreate(dir, kek)).rejects.toThrow(/cannot decrypt the audit key/);
      writeFileSync(path, '{"format":"anchorage-audit-key"}');
      await expect(AuditKey.openOrCreate(dir, kek)).rejects.toThrow(/malformed/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('signs checkpoint inputs only, with a signature OpenSSL verifies with the public key', async () => {
    const signer = new Signer([], { auditKey: { keyDir: dir, kek } });
    expect(signer.hasAuditKey).toBe(true);
    const input = checkpointInput();
    const signature = await signer.signAuditCheckpoint(input);
    expect(signature).toHaveLength(64);
    writeFileSync(join(dir, 'pub.pem'), spkiPem(await signer.auditPublicKey()));
    writeFileSync(join(dir, 'input'), input);
    writeFileSync(join(dir, 'sig'), signature);
    const out = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'pub.pem'), '-rawin', '-in', join(dir, 'input'), '-sigfile', join(dir, 'sig')], { encoding: 'utf8' });
    expect(out).toMatch(/Signature Verified Successfully/);

    await expect(signer.signAuditCheckpoint(checkpointInput({ alg: 'EdDSA', typ: 'JWT' }))).rejects.toThrow(/signs only JWS signing inputs/);
    await expect(signer.signAuditCheckpoint(checkpointInput({ alg: 'none', typ: AUDIT_CHECKPOINT_TYP }))).rejects.toThrow(/signs only/);
    await expect(signer.signAuditCheckpoint(checkpointInput({ alg: 'EdDSA', typ: AUDIT_CHECKPOINT_TYP, crit: ['b64'] }))).rejects.toThrow(/signs only/);
    await expect(signer.signAuditCheckpoint(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]))).rejects.toThrow(/signs only/);
    await expect(signer.signAuditCheckpoint(Buffer.concat([input, Buffer.from('.x')]))).rejects.toThrow(/signs only/);
    await signer.close();
  });

  it('is absent without a KEK', async () => {
    const signer = new Signer([]);
    expect(signer.hasAuditKey).toBe(false);
    await expect(signer.auditPublicKey()).rejects.toThrow(/no audit key/);
    await expect(signer.signAuditCheckpoint(checkpointInput())).rejects.toThrow(/no audit key/);
  });
});
