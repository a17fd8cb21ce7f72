import { signatureAlgorithmFor } from './algorithms';
import { buildCsrInfo } from './csr-builder';
import { parseCsr } from './csr';
import { PkiError } from './errors';
import { encodeName } from './names';
import { toPem } from './pem';
import { openssl, signTbs, TempDir, testKey } from './testing/test-ca';

const dir = new TempDir();
afterAll(() => dir.cleanup());

describe('buildCsrInfo', () => {
  const subject = encodeName({ commonName: 'Example Issuing CA', organization: 'Example Community' });

  it.each(['RSA-2048', 'EC-P384'] as const)('makes a %s request that openssl req -verify and parseCsr accept', async (keyType) => {
    const key = testKey(keyType, 'csr-builder');
    const alg = signatureAlgorithmFor(keyType);
    const csr = signTbs(buildCsrInfo({ subject, spkiDer: key.spkiDer }), alg, key);
    const path = dir.write(`req-${keyType}.pem`, toPem(csr, 'CERTIFICATE REQUEST'));
    const r = openssl(['req', '-in', path, '-verify', '-noout', '-subject']);
    expect(r.status).toBe(0);
    expect(r.output).toMatch(/verify OK/i);
    expect(r.output).toContain('subject=O = Example Community, CN = Example Issuing CA');
    const text = openssl(['req', '-in', path, '-noout', '-text']).stdout;
    expect(text).toMatch(/Version: 1 \(0x0\)/);
    expect(text).toMatch(/Attributes:\s+\(none\)|Attributes:\s*\n\s*a0:00/);
    const parsed = await parseCsr(csr);
    expect(parsed.spkiDer).toEqual(key.spkiDer);
    expect(parsed.subjectDer).toEqual(subject);
  });

  it('refuses input that is not DER', () => {
    expect(() => buildCsrInfo({ subject: Uint8Array.of(1, 2), spkiDer: testKey('RSA-2048', 'csr-builder').spkiDer })).toThrow(PkiError);
    expect(() => buildCsrInfo({ subject, spkiDer: Uint8Array.of(0x30, 0) })).toThrow(/public key/);
  });
});
