import { toPem, fromPem } from './pem';
import { findSerial, hasSerial, readCrlInfo } from './crl-reader';
import { PkiError } from './errors';
import { toHex } from './bytes';
import { subjectKeyIdentifier } from './keys';
import { buildTestChain, openssl, TempDir } from './testing/test-ca';
import { algorithmIdentifierDer } from './algorithms';
import { derBitString, derInteger, derSequence, derTime } from './der';
import { encodeName } from './names';

describe('readCrlInfo / findSerial on a CRL made by OpenSSL (independent producer)', () => {
  const dir = new TempDir();
  afterAll(() => dir.cleanup());
  const chain = buildTestChain({ now: new Date(), label: 'reader' });
  let der: Uint8Array;

  beforeAll(() => {
    dir.write('ca.pem', toPem(chain.issuing.der, 'CERTIFICATE'));
    dir.write('ca.key', chain.issuing.key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    dir.write('index.txt', [
      'R\t301231235959Z\t260101120000Z,keyCompromise\t0A1B2C3D4E5F60718293\tunknown\t/CN=a',
      'R\t301231235959Z\t260102120000Z\t00FF01\tunknown\t/CN=b',
      'V\t301231235959Z\t\t77\tunknown\t/CN=c',
      '',
    ].join('\n'));
    dir.write('crlnumber', '1000\n');
    const cnf = dir.write('ca.cnf', [
      '[ ca ]', 'default_ca = CA_default', '[ CA_default ]', `dir = ${dir.path}`, 'database = $dir/index.txt', 'crlnumber = $dir/crlnumber',
      'certificate = $dir/ca.pem', 'private_key = $dir/ca.key', 'default_md = sha256', 'default_crl_days = 7', 'crl_extensions = crl_ext',
      '[ crl_ext ]', 'authorityKeyIdentifier = keyid:always', '',
    ].join('\n'));
    const r = openssl(['ca', '-gencrl', '-batch', '-config', cnf]);
    if (r.status !== 0) throw new Error(r.output);
    der = fromPem(r.stdout, 'X509 CRL')[0];
  });

  it('reads the header, CRL number and AKI', () => {
    const info = readCrlInfo(der);
    expect(info.version).toBe(2);
    expect(info.crlNumber).toBe(0x1000n);
    expect(info.entryCount).toBe(2);
    expect(info.nextUpdate!.getTime() - info.thisUpdate.getTime()).toBe(7 * 86_400_000);
    expect(toHex(info.authorityKeyId!)).toBe(toHex(subjectKeyIdentifier(chain.issuing.key.spkiDer)));
    expect(info.issuerDer).toEqual(chain.issuing.subject);
  });

  it('finds entries by bytes or hex, with reasons', () => {
    expect(findSerial(der, '0a1b2c3d4e5f60718293')).toEqual({ revocationDate: new Date('2026-01-01T12:00:00Z'), reasonCode: 1, invalidityDate: null });
    expect(findSerial(der, Uint8Array.of(0xff, 0x01))!.reasonCode).toBeNull();
    expect(hasSerial(der, '00ff01')).toBe(true);
    expect(hasSerial(der, '77')).toBe(false);
  });

  it('rejects malformed CRLs with a PkiError', () => {
    expect(() => readCrlInfo(der.subarray(0, der.length - 1))).toThrow(PkiError);
    expect(() => readCrlInfo(Uint8Array.of(0x30, 0x00))).toThrow(/malformed CRL/);
    expect(() => hasSerial(Uint8Array.of(1, 2), '01')).toThrow(PkiError);
  });
});

describe('readCrlInfo on optional-field variants (RFC 5280 §5.1)', () => {
  it('handles a v1 CRL with neither version nor nextUpdate', () => {
    const entry = derSequence(derInteger(0x1234), derTime(new Date('2026-01-01T00:00:00Z')));
    const tbs = derSequence(algorithmIdentifierDer('sha256WithRSAEncryption'), encodeName({ commonName: 'v1' }), derTime(new Date('2026-02-01T00:00:00Z')), derSequence(entry));
    const der = derSequence(tbs, algorithmIdentifierDer('sha256WithRSAEncryption'), derBitString(new Uint8Array(4)));
    expect(readCrlInfo(der)).toMatchObject({ version: 1, nextUpdate: null, crlNumber: null, authorityKeyId: null, entryCount: 1 });
    expect(hasSerial(der, '1234')).toBe(true);
  });
});
