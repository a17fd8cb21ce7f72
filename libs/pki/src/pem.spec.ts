import { certificateDerFrom, fromPem, pemBlocks, toPem, x5c, certificatesToPem } from './pem';
import { PkiError } from './errors';

describe('pem', () => {
  const der = Uint8Array.from({ length: 100 }, (_, i) => i);
  it('wraps at 64 characters with matching armour', () => {
    const pem = toPem(der, 'CERTIFICATE');
    const lines = pem.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines[lines.length - 1]).toBe('-----END CERTIFICATE-----');
    expect(lines.slice(1, -1).every((l) => l.length <= 64)).toBe(true);
    expect(pem.endsWith('\n')).toBe(true);
  });
  it('round-trips all blocks and filters by label', () => {
    const text = toPem(der, 'CERTIFICATE') + 'junk between\r\n' + toPem(Uint8Array.of(1, 2, 3), 'X509 CRL');
    expect(fromPem(text)).toEqual([der, Uint8Array.of(1, 2, 3)]);
    expect(fromPem(text, 'X509 CRL')).toEqual([Uint8Array.of(1, 2, 3)]);
    expect(pemBlocks(text).map((b) => b.label)).toEqual(['CERTIFICATE', 'X509 CRL']);
    expect(fromPem(text.replace(/\n/g, '\r\n'))).toHaveLength(2);
  });
  it('rejects mismatched labels and bad base64', () => {
    expect(() => fromPem('-----BEGIN A-----\nAAAA\n-----END B-----')).toThrow(PkiError);
    expect(() => fromPem('-----BEGIN A-----\nA*AA\n-----END A-----')).toThrow(/base64/);
  });
  it('builds x5c as standard base64 DER and chains as PEM', () => {
    expect(x5c([Uint8Array.of(0xfb, 0xff)])).toEqual(['+/8=']);
    expect(certificatesToPem([der, der]).match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });
  it('reads one certificate from DER or a single CERTIFICATE block, naming what is wrong', () => {
    const cert = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01);
    expect(certificateDerFrom(cert)).toEqual(cert);
    expect(certificateDerFrom(toPem(cert, 'CERTIFICATE'))).toEqual(cert);
    expect(certificateDerFrom(new TextEncoder().encode(toPem(cert, 'CERTIFICATE')))).toEqual(cert);
    expect(() => certificateDerFrom(toPem(cert, 'CERTIFICATE') + toPem(cert, 'CERTIFICATE'), 'root certificate')).toThrow(/root certificate must be DER or exactly one/);
    expect(() => certificateDerFrom(toPem(cert, 'CERTIFICATE REQUEST'))).toThrow(/found "CERTIFICATE REQUEST"/);
    expect(() => certificateDerFrom('hello')).toThrow(/found none/);
  });
});
