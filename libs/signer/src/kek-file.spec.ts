import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignerError } from './errors';
import { createKekFile, loadKekFile } from './kek-file';
import { readPinFile } from './pin-file';
import { rejection } from './testing/rejection';

describe('key-encryption key and PIN files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'signer-kek-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a 0600 base64 KEK file and loads 32 bytes from it', async () => {
    const path = join(dir, 'kek');
    await createKekFile(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    expect((await loadKekFile(path)).length).toBe(32);
  });

  it('refuses to overwrite an existing KEK file', async () => {
    const path = join(dir, 'kek');
    await createKekFile(path);
    const before = readFileSync(path);
    await expect(createKekFile(path)).rejects.toThrow(/already exists/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses group- or other-readable files, naming the path', async () => {
    const path = join(dir, 'kek');
    await createKekFile(path);
    chmodSync(path, 0o640);
    await expect(loadKekFile(path)).rejects.toThrow(new SignerError(`key-encryption key file ${path} has mode 0640; it must not be accessible to group or others (chmod 600)`));
    chmodSync(path, 0o604);
    await expect(loadKekFile(path)).rejects.toThrow(path);
  });

  it('refuses wrong lengths and missing files without echoing the content', async () => {
    const path = join(dir, 'short');
    writeFileSync(path, `${Buffer.alloc(16, 7).toString('base64')}\n`, { mode: 0o600 });
    const error = await rejection(loadKekFile(path));
    expect(error).toBeInstanceOf(SignerError);
    expect(error.message).toContain(path);
    expect(error.message).not.toContain(Buffer.alloc(16, 7).toString('base64'));
    await expect(loadKekFile(join(dir, 'absent'))).rejects.toThrow(/cannot read key-encryption key file .*absent: ENOENT/);
  });

  it('reads a PIN file and refuses loose permissions', async () => {
    const path = join(dir, 'pin');
    writeFileSync(path, '123456\n', { mode: 0o600 });
    expect(await readPinFile(path)).toBe('123456');
    chmodSync(path, 0o644);
    const error = await rejection(readPinFile(path));
    expect(error.message).toContain(path);
    expect(error.message).not.toContain('123456');
  });
});
