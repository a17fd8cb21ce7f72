import * as pkijs from 'pkijs';
import { RevocationReason } from '@anchorage/contracts';
import { toArrayBuffer, toHex } from './bytes';
import { CrlEncoder, encodeCrlEntry } from './crl-encoder';
import { concatBytes } from './bytes';
import { findSerial, hasSerial, readCrlInfo } from './crl-reader';
import { children, readRoot } from './der-reader';
import { PkiError } from './errors';
import { subjectKeyIdentifier } from './keys';
import { encodeName } from './names';
import { verifySignedObject } from './signature';
import { buildRootCaTbs } from './certificate-templates';
import { toPem } from './pem';
import { openssl, signTbs, TempDir, testKey, testSerial } from './testing/test-ca';

const key = testKey('RSA-2048', 'crl-unit');
const issuer = encodeName({ commonName: 'CRL Unit CA', organization: 'Anchorage' });
const thisUpdate = new Date('2026-04-01T00:00:00Z');
const nextUpdate = new Date('2026-04-08T00:00:00Z');
const dir = new TempDir();
afterAll(() => dir.cleanup());
const caPem = dir.write('ca.pem', toPem(signTbs(buildRootCaTbs({
  serial: testSerial(1), subject: issuer, spkiDer: key.spkiDer, notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2036-01-01T00:00:00Z'), signatureAlgorithm: 'sha256WithRSAEncryption',
}), 'sha256WithRSAEncryption', key), 'CERTIFICATE'));
let n = 0;
/** Every CRL this suite signs also goes through `openssl crl -verify`; returns OpenSSL's text dump. */
function opensslText(der: Uint8Array): string {
  const path = dir.write(`c${++n}.crl`, der);
  const v = openssl(['crl', '-inform', 'DER', '-in', path, '-CAfile', caPem, '-verify', '-noout', '-text']);
  expect(v.stderr).toContain('verify OK');
  expect(v.status).toBe(0);
  return v.stdout;
}
const base = () => ({ issuer, signatureAlgorithm: 'sha256WithRSAEncryption' as const, thisUpdate, nextUpdate, crlNumber: 42n, authorityKeyId: subjectKeyIdentifier(key.spkiDer) });

describe('CrlEncoder', () => {
  it('omits revokedCertificates when there are no entries (RFC 5280 §5.1.2.6)', () => {
    const enc = new CrlEncoder(base());
    const tbs = enc.finishTbs();
    const fields = children(tbs, readRoot(tbs, 0x30));
    expect(fields.map((f) => f.tag)).toEqual([0x02, 0x30, 0x30, 0x17, 0x17, 0xa0]);
    expect(enc.entryCount).toBe(0);
    const signed = signTbs(tbs, 'sha256WithRSAEncryption', key);
    expect(opensslText(signed)).toContain('No Revoked Certificates.');
    const info = readCrlInfo(signed);
    expect(info).toMatchObject({ version: 2, crlNumber: 42n, entryCount: 0, thisUpdate, nextUpdate, deltaBaseCrlNumber: null });
    expect(toHex(info.authorityKeyId!)).toBe(toHex(subjectKeyIdentifier(key.spkiDer)));
  });

  it('is parsed identically by PKI.js (independent implementation)', () => {
    const enc = new CrlEncoder(base());
    enc.addEntry(testSerial(1), new Date('2026-03-01T10:00:00Z'), RevocationReason.keyCompromise);
    enc.addEntry(Uint8Array.of(0x80, 0x01), new Date('2026-03-02T10:00:00Z'));
    enc.addEntry(Uint8Array.of(0x00, 0x00, 0x05), new Date('2026-03-03T10:00:00Z'), RevocationReason.cessationOfOperation, new Date('2026-02-28T00:00:00Z'));
    const der = signTbs(enc.finishTbs(), 'sha256WithRSAEncryption', key);
    const crl = pkijs.CertificateRevocationList.fromBER(toArrayBuffer(der));
    expect(crl.version).toBe(1);
    expect(crl.thisUpdate.value).toEqual(thisUpdate);
    expect(crl.nextUpdate!.value).toEqual(nextUpdate);
    const entries = crl.revokedCertificates!;
    expect(entries.map((e) => toHex(e.userCertificate.valueBlock.valueHexView))).toEqual([toHex(testSerial(1)), '008001', '05']);
    expect(entries[0].crlEntryExtensions!.extensions.map((e) => e.extnID)).toEqual(['2.5.29.21']);
    expect(entries[1].crlEntryExtensions).toBeUndefined(); // unspecified: no reasonCode (§5.3.1)
    expect(entries[2].crlEntryExtensions!.extensions.map((e) => e.extnID)).toEqual(['2.5.29.21', '2.5.29.24']);
    const crlExts = crl.crlExtensions!.extensions;
    expect(crlExts.map((e) => [e.extnID, e.critical])).toEqual([['2.5.29.35', false], ['2.5.29.20', false]]);
    expect(verifySignedObject(der, key.spkiDer)).toBe(true);
    const text = opensslText(der);
    expect(text).toMatch(/Serial Number: 05\s+Revocation Date: Mar\s+3 10:00:00 2026 GMT\s+CRL entry extensions:\s+X509v3 CRL Reason Code:\s+Cessation Of Operation\s+Invalidity Date:\s+Feb 28 00:00:00 2026 GMT/);
    expect(text).toMatch(/X509v3 CRL Number:\s+42/);
  });

  it('writes revocation dates from 2050 as GeneralizedTime', () => {
    const enc = new CrlEncoder(base());
    enc.addEntry(testSerial(9), new Date('2050-01-01T00:00:00Z'));
    const der = signTbs(enc.finishTbs(), 'sha256WithRSAEncryption', key);
    expect(findSerial(der, testSerial(9))!.revocationDate.toISOString()).toBe('2050-01-01T00:00:00.000Z');
    expect(Buffer.from(der).includes(Buffer.from('20500101000000Z'))).toBe(true);
    expect(opensslText(der)).toMatch(/Revocation Date: Jan\s+1 00:00:00 2050 GMT/);
  });

  it('returns the same bytes when finished twice and refuses more entries', () => {
    const enc = new CrlEncoder(base());
    enc.addEntry(testSerial(1), thisUpdate);
    expect(enc.finishTbs()).toBe(enc.finishTbs());
    expect(() => enc.addEntry(testSerial(2), thisUpdate)).toThrow(/finished/);
  });

  it('grows its buffer without corrupting entries', () => {
    const enc = new CrlEncoder({ ...base(), expectedEntries: 1 });
    for (let i = 1; i <= 5000; i++) enc.addEntry(testSerial(i), thisUpdate, i % 3 === 0 ? RevocationReason.superseded : undefined);
    const der = signTbs(enc.finishTbs(), 'sha256WithRSAEncryption', key);
    expect(readCrlInfo(der).entryCount).toBe(5000);
    expect(findSerial(der, testSerial(4999))).toEqual({ revocationDate: thisUpdate, reasonCode: null, invalidityDate: null });
    expect(findSerial(der, testSerial(3000))!.reasonCode).toBe(RevocationReason.superseded);
    expect(hasSerial(der, testSerial(5001))).toBe(false);
    expect(verifySignedObject(der, key.spkiDer)).toBe(true);
    expect(opensslText(der).match(/Serial Number:/g)).toHaveLength(5000);
  });

  describe('guards', () => {
    it('nextUpdate must follow thisUpdate', () => expect(() => new CrlEncoder({ ...base(), nextUpdate: thisUpdate })).toThrow(/nextUpdate/));
    it('CRL number must be non-negative and fit 20 octets', () => {
      expect(() => new CrlEncoder({ ...base(), crlNumber: -1n })).toThrow(PkiError);
      expect(() => new CrlEncoder({ ...base(), crlNumber: 1n << 160n })).toThrow(/20 octets/);
    });
    it('issuer must be a DER Name', () => expect(() => new CrlEncoder({ ...base(), issuer: Uint8Array.of(1) })).toThrow(/issuer/));
    it('rejects unknown reasons instead of writing unspecified', () => {
      const enc = new CrlEncoder(base());
      expect(() => enc.addEntry(testSerial(1), thisUpdate, 7)).toThrow(/unknown CRLReason code 7/);
      expect(() => enc.addEntry(testSerial(1), thisUpdate, 11)).toThrow(/unknown/);
      expect(() => enc.addEntry(testSerial(1), thisUpdate, 1.5)).toThrow(/unknown/);
    });
    it('rejects removeFromCRL in a base CRL but allows it in a delta CRL (§5.3.1)', () => {
      expect(() => new CrlEncoder(base()).addEntry(testSerial(1), thisUpdate, RevocationReason.removeFromCRL)).toThrow(/delta CRL/);
      const delta = new CrlEncoder({ ...base(), baseCrlNumber: 40n });
      delta.addEntry(testSerial(1), thisUpdate, RevocationReason.removeFromCRL);
      const der = signTbs(delta.finishTbs(), 'sha256WithRSAEncryption', key);
      expect(readCrlInfo(der).deltaBaseCrlNumber).toBe(40n);
      expect(findSerial(der, testSerial(1))!.reasonCode).toBe(8);
      expect(opensslText(der)).toMatch(/X509v3 Delta CRL Indicator: critical\s+40[\s\S]*Remove From CRL/);
      expect(() => new CrlEncoder({ ...base(), baseCrlNumber: 42n })).toThrow(/exceed/);
    });
    it('rejects empty serials and invalid dates', () => {
      const enc = new CrlEncoder(base());
      expect(() => enc.addEntry(new Uint8Array(0), thisUpdate)).toThrow(/serial/);
      expect(() => enc.addEntry(testSerial(1), new Date(NaN))).toThrow(/revocationDate/);
      expect(() => enc.addEntry(testSerial(1), thisUpdate, 1, new Date(NaN))).toThrow(/invalidityDate/);
      expect(enc.entryCount).toBe(0);
    });
  });

  it('encodes 100k entries quickly (sanity figure only, no timing assertion)', () => {
    const serial = testSerial(0);
    const view = new DataView(serial.buffer);
    const rss0 = process.memoryUsage().rss;
    const t0 = process.hrtime.bigint();
    const enc = new CrlEncoder(base());
    for (let i = 0; i < 100_000; i++) {
      view.setUint32(12, i + 1);
      enc.addEntry(serial, thisUpdate, i % 10 === 0 ? RevocationReason.keyCompromise : 0);
    }
    const tbs = enc.finishTbs();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const der = signTbs(tbs, 'sha256WithRSAEncryption', key);
    const t1 = process.hrtime.bigint();
    const info = readCrlInfo(der);
    const found = hasSerial(der, testSerial(99_999));
    const scanMs = Number(process.hrtime.bigint() - t1) / 1e6;
    console.log(`CRL 100k entries: encode ${ms.toFixed(1)} ms, ${(der.length / 1e6).toFixed(2)} MB, read+scan ${scanMs.toFixed(1)} ms, RSS +${((process.memoryUsage().rss - rss0) / 1e6).toFixed(0)} MB`);
    expect(info.entryCount).toBe(100_000);
    expect(found).toBe(true);
    expect(opensslText(der).match(/Key Compromise/g)).toHaveLength(10_000);
  });

  describe('pre-encoded entries', () => {
    const entries: [Uint8Array, Date, number | undefined, Date | undefined][] = [
      [testSerial(1), new Date('2026-03-01T10:00:00Z'), RevocationReason.keyCompromise, undefined],
      [Uint8Array.of(0x80, 0x01), new Date('2026-03-02T10:00:00Z'), undefined, undefined],
      [Uint8Array.of(0x00, 0x00, 0x05), new Date('2026-03-03T10:00:00Z'), RevocationReason.cessationOfOperation, new Date('2026-02-28T00:00:00Z')],
      [testSerial(7), new Date('2051-01-01T00:00:00Z'), RevocationReason.certificateHold, undefined],
      [testSerial(8), new Date('2026-03-04T10:00:00Z'), 0, new Date('2026-03-01T00:00:00Z')],
    ];

    it('encodeCrlEntry writes exactly what addEntry writes', () => {
      for (const [serial, at, reason, inv] of entries) {
        const one = new CrlEncoder(base());
        one.addEntry(serial, at, reason, inv);
        const tbs = one.finishTbs();
        const entry = encodeCrlEntry(serial, at, reason, inv);
        expect(toHex(tbs)).toContain(toHex(entry));
      }
    });

    it('a CRL built from addEncodedEntries chunks equals the addEntry one byte for byte and passes OpenSSL', () => {
      const direct = new CrlEncoder(base());
      for (const [serial, at, reason, inv] of entries) direct.addEntry(serial, at, reason, inv);
      const expected = signTbs(direct.finishTbs(), 'sha256WithRSAEncryption', key);

      const encoded = entries.map(([serial, at, reason, inv]) => encodeCrlEntry(serial, at, reason, inv));
      const total = encoded.reduce((n, e) => n + e.length, 0);
      const chunked = new CrlEncoder({ ...base(), expectedBytes: total });
      chunked.addEncodedEntries(concatBytes(encoded.slice(0, 2)), 2);
      chunked.addEncodedEntries(new Uint8Array(0), 0);
      chunked.addEncodedEntries(concatBytes(encoded.slice(2)), 3);
      expect(chunked.entryCount).toBe(5);
      const tbs = chunked.finishTbs();
      const signature = signTbs(tbs, 'sha256WithRSAEncryption', key);
      // finishSigned assembles in place; the result must equal assembleSigned's copy
      const sigValue = readCrlSignature(signature);
      const inPlace = chunked.finishSigned(sigValue);
      expect(toHex(inPlace)).toBe(toHex(expected));
      const text = opensslText(inPlace);
      expect(text).toContain('Key Compromise');
      expect(text).toContain('Certificate Hold');
      expect(text).toContain('Invalidity Date');
      expect(readCrlInfo(inPlace).entryCount).toBe(5);
    });

    it('finishSigned works on an empty CRL and refuses oversized signatures and a second call', () => {
      const enc = new CrlEncoder(base());
      const tbs = enc.finishTbs();
      const signed = signTbs(tbs, 'sha256WithRSAEncryption', key);
      const out = enc.finishSigned(readCrlSignature(signed));
      expect(toHex(out)).toBe(toHex(signed));
      expect(() => enc.finishSigned(Uint8Array.of(1))).toThrow(/already signed/);
      expect(() => new CrlEncoder(base()).finishSigned(new Uint8Array(2000))).toThrow(/does not fit/);
    });

    it('encodeCrlEntry applies addEntry\'s rules', () => {
      expect(() => encodeCrlEntry(testSerial(1), thisUpdate, 7)).toThrow(/unknown CRLReason/);
      expect(() => encodeCrlEntry(testSerial(1), thisUpdate, RevocationReason.removeFromCRL)).toThrow(/delta/);
      expect(() => encodeCrlEntry(new Uint8Array(0), thisUpdate)).toThrow(/serial/);
      expect(() => encodeCrlEntry(testSerial(1), new Date(NaN))).toThrow(/revocationDate/);
    });

    it('addEncodedEntries refuses a count that does not fit the bytes, and entries after finishing', () => {
      const enc = new CrlEncoder(base());
      expect(() => enc.addEncodedEntries(new Uint8Array(0), 1)).toThrow(PkiError);
      expect(() => enc.addEncodedEntries(encodeCrlEntry(testSerial(1), thisUpdate), 0)).toThrow(PkiError);
      enc.finishTbs();
      expect(() => enc.addEncodedEntries(encodeCrlEntry(testSerial(1), thisUpdate), 1)).toThrow(/finished/);
    });
  });
});

/** The signature value (BIT STRING content without the unused-bits octet) of a signed DER object. */
function readCrlSignature(signed: Uint8Array): Uint8Array {
  const [, , sig] = children(signed, readRoot(signed, 0x30));
  return signed.subarray(sig.contentStart + 1, sig.end);
}
