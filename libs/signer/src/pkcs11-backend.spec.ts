// Runs against a real SoftHSM2 token. jest.global-setup.cjs creates it with scripts/softhsm-setup.sh and
// sets SOFTHSM2_CONF in Jest's parent process, because SoftHSM reads the real environment with getenv()
// and Jest hands each test file only a copy of process.env.
import { execFileSync, spawnSync } from 'node:child_process';
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { KeyType } from '@anchorage/contracts';
import * as pkcs11js from 'pkcs11js';
import { digestOf, signatureAlgorithmFor } from './algorithms';
import { SignerError } from './errors';
import { parsePkcs11KeyRef } from './key-ref';
import { Pkcs11KeyBackend } from './pkcs11-backend';
import { opensslVerify } from './testing/openssl';
import { rejection } from './testing/rejection';

const SETUP = resolve(__dirname, '../../../scripts/softhsm-setup.sh');
const MODULE_CANDIDATES = ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'];

describe('scripts/softhsm-setup.sh', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'signer-hsm-script-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a private configuration, initializes the token and prints the conf path', () => {
    const conf = execFileSync('bash', [SETUP, join(dir, 'hsm'), 'script-token', '1111', '2222'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    expect(conf).toBe(join(dir, 'hsm', 'softhsm2.conf'));
    const text = readFileSync(conf, 'utf8');
    expect(text).toContain(`directories.tokendir = ${join(dir, 'hsm', 'tokens')}`);
    expect(text).toContain('objectstore.backend = file');
    expect(text).toContain('log.level = ERROR');
    expect(statSync(conf).mode & 0o077).toBe(0);
    const slots = execFileSync('softhsm2-util', ['--show-slots'], { encoding: 'utf8', env: { ...process.env, SOFTHSM2_CONF: conf } });
    expect(slots).toMatch(/Label:\s+script-token/);
    // Re-running keeps the one token instead of adding a second one with the same label.
    expect(execFileSync('bash', [SETUP, join(dir, 'hsm'), 'script-token', '1111', '2222'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()).toBe(conf);
    const again = execFileSync('softhsm2-util', ['--show-slots'], { encoding: 'utf8', env: { ...process.env, SOFTHSM2_CONF: conf } });
    expect(again.match(/Label:\s+script-token/g)).toHaveLength(1);
  });

  it('prints its usage on wrong arguments', () => {
    const run = spawnSync('bash', [SETUP, dir], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage:');
  });
});

describe('Pkcs11KeyBackend on SoftHSM2', () => {
  const TOKEN = process.env.ANCHORAGE_TEST_SOFTHSM_TOKEN ?? '';
  const PIN = process.env.ANCHORAGE_TEST_SOFTHSM_PIN ?? '';
  let modulePath: string;
  const open: Pkcs11KeyBackend[] = [];
  const backend = (options: Partial<{ tokenLabel: string; pin: string; modulePath: string }> = {}) => {
    const b = new Pkcs11KeyBackend({ modulePath, tokenLabel: TOKEN, pin: PIN, ...options });
    open.push(b);
    return b;
  };

  beforeAll(() => {
    if (!TOKEN || !process.env.SOFTHSM2_CONF) throw new Error('run with libs/signer/jest.config.cjs: its global setup creates the SoftHSM2 token');
    const found = MODULE_CANDIDATES.find((p) => existsSync(p));
    if (!found) throw new Error('libsofthsm2.so not found');
    modulePath = found;
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((b) => b.close()));
  });

  it.each<KeyType>(['RSA-2048', 'EC-P256', 'EC-P384'])('generates %s on the token and signs verifiably (Node and OpenSSL)', async (keyType) => {
    const b = backend();
    const key = await b.generateKey(keyType, `ca ${keyType}`);
    expect(key.keyType).toBe(keyType);
    expect(key.keyRef).toMatch(new RegExp(`^pkcs11:token=${TOKEN};id=(%[0-9a-f]{2}){16}$`));
    expect(Buffer.from(await b.publicKey(key.keyRef)).equals(Buffer.from(key.spkiDer))).toBe(true);
    const alg = signatureAlgorithmFor(keyType);
    const data = randomBytes(1000);
    const signature = await b.sign(key.keyRef, data, alg);
    const publicKey = createPublicKey({ key: Buffer.from(key.spkiDer), format: 'der', type: 'spki' });
    expect(verify(digestOf(alg), data, { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
    expect(opensslVerify(key.spkiDer, data, signature, digestOf(alg))).toBe('Verified OK');
    if (keyType === 'RSA-2048') expect(publicKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
  });

  it('keeps private keys sensitive, non-extractable and sign-only', async () => {
    const b = backend();
    const rsa = await b.generateKey('RSA-2048', 'rsa');
    const ec = await b.generateKey('EC-P256', 'ec');
    // Inspect the token with a separate pkcs11js handle and session (login state is shared per application).
    const lib = new pkcs11js.PKCS11();
    lib.load(modulePath);
    try {
      lib.C_Initialize();
    } catch (e) {
      expect((e as Error).message).toBe('CKR_CRYPTOKI_ALREADY_INITIALIZED');
    }
    const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trimEnd() === TOKEN)!;
    const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    try {
      for (const [key, secret] of [
        [rsa, pkcs11js.CKA_PRIVATE_EXPONENT],
        [ec, pkcs11js.CKA_VALUE],
      ] as const) {
        lib.C_FindObjectsInit(session, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
          { type: pkcs11js.CKA_ID, value: parsePkcs11KeyRef(key.keyRef).id },
        ]);
        const handles = lib.C_FindObjects(session, 5);
        lib.C_FindObjectsFinal(session);
        expect(handles).toHaveLength(1);
        expect(() => lib.C_GetAttributeValue(session, handles[0], [{ type: secret }])).toThrow('CKR_ATTRIBUTE_SENSITIVE');
        const flags = lib.C_GetAttributeValue(session, handles[0], [
          { type: pkcs11js.CKA_EXTRACTABLE },
          { type: pkcs11js.CKA_SENSITIVE },
          { type: pkcs11js.CKA_TOKEN },
          { type: pkcs11js.CKA_PRIVATE },
          { type: pkcs11js.CKA_SIGN },
          { type: pkcs11js.CKA_DECRYPT },
          { type: pkcs11js.CKA_LABEL },
        ]);
        expect(flags.slice(0, 6).map((a) => a.value[0])).toEqual([0, 1, 1, 1, 1, 0]);
        expect(flags[6].value.toString()).toBe(key === rsa ? 'rsa' : 'ec');
      }
    } finally {
      lib.C_CloseSession(session);
      lib.close();
    }
  });

  it('finds the same key by keyRef from a second backend instance and after the first one closes', async () => {
    const first = backend();
    const key = await first.generateKey('EC-P256', 'shared');
    const second = backend();
    expect(Buffer.from(await second.publicKey(key.keyRef)).equals(Buffer.from(key.spkiDer))).toBe(true);
    await first.close();
    const data = Buffer.from('tbs');
    const signature = await second.sign(key.keyRef, data, 'ecdsaWithSHA256');
    expect(opensslVerify(key.spkiDer, data, signature, 'sha256')).toBe('Verified OK');
    await second.close();
    // A brand-new backend after every other one closed (module finalized, then reloaded).
    const third = backend();
    expect(Buffer.from(await third.publicKey(key.keyRef)).equals(Buffer.from(key.spkiDer))).toBe(true);
  });

  it('serializes concurrent signatures on one session', async () => {
    const b = backend();
    const [ec, rsa] = [await b.generateKey('EC-P256', 'c1'), await b.generateKey('RSA-2048', 'c2')];
    const jobs = [...Array(12)].map((_, i) => ({ key: i % 2 ? rsa : ec, data: Buffer.from(`tbs ${i}`) }));
    const signatures = await Promise.all(jobs.map((j) => b.sign(j.key.keyRef, j.data, signatureAlgorithmFor(j.key.keyType))));
    signatures.forEach((s, i) => {
      const { key, data } = jobs[i];
      const publicKey = createPublicKey({ key: Buffer.from(key.spkiDer), format: 'der', type: 'spki' });
      expect(verify('sha256', data, publicKey, s)).toBe(true);
    });
  });

  it('refuses a wrong PIN clearly, without echoing it, and does not retry it', async () => {
    const wrong = backend({ pin: '999999' });
    const error = await rejection(wrong.open());
    expect(error).toBeInstanceOf(SignerError);
    expect(error.message).toBe(`PKCS#11 login to token '${TOKEN}' failed: wrong PIN (CKR_PIN_INCORRECT)`);
    expect(error.message).not.toContain('999999');
    await expect(wrong.publicKey(`pkcs11:token=${TOKEN};id=%01`)).rejects.toBe(error);
  });

  it('refuses a wrong PIN even while another backend is logged in to the token', async () => {
    await backend().open();
    const error = await rejection(backend({ pin: '999999' }).open());
    expect(error).toBeInstanceOf(SignerError);
    expect(error.message).toMatch(new RegExp(`^PKCS#11 login to token '${TOKEN}' failed: wrong PIN`));
    expect(error.message).not.toContain('999999');
  });

  it('names a wrong token label and lists the tokens present', async () => {
    await expect(backend({ tokenLabel: 'no-such-token' }).open()).rejects.toThrow(
      `no PKCS#11 token labelled 'no-such-token' in ${modulePath} (tokens present: '${TOKEN}')`,
    );
  });

  it('names a missing module', async () => {
    await expect(backend({ modulePath: '/nonexistent/libpkcs11.so' }).open()).rejects.toThrow('PKCS#11 module not found: /nonexistent/libpkcs11.so');
  });

  it('reports unknown keys, keys of another token and mismatched algorithms', async () => {
    const b = backend();
    const missing = `pkcs11:token=${TOKEN};id=%de%ad%be%ef`;
    await expect(b.sign(missing, Buffer.from('x'), 'ecdsaWithSHA256')).rejects.toThrow(`key ${missing} not found on token '${TOKEN}'`);
    await expect(b.publicKey('pkcs11:token=other;id=%01')).rejects.toThrow(`is on token 'other', but this backend serves token '${TOKEN}'`);
    const key = await b.generateKey('EC-P256', 'alg');
    await expect(b.sign(key.keyRef, Buffer.from('x'), 'ecdsaWithSHA384')).rejects.toThrow(/EC-P256; it signs with ecdsaWithSHA256/);
  });

  it('refuses use after close', async () => {
    const b = backend();
    await b.open();
    await b.close();
    await expect(b.generateKey('EC-P256', 'late')).rejects.toThrow(/is closed/);
  });
});
