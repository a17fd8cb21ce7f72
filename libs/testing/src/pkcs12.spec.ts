import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { openssl, tempDir, writePem } from './openssl';
import { opensslLeafChain, pfxDerProblems, pkcs12Problems, type OpensslLeafChain } from './pkcs12';

const dir = tempDir('anchorage-p12-checker-');
const PASSWORD = 'checker pass phrase';
let exported = 0;
// node-forge runs PBKDF2 in JavaScript and keytool starts a JVM twice per file: headroom, not a speed check
const SLOW = 180_000;

/** `openssl pkcs12 -export` of the chain's key, leaf and CAs (OpenSSL 3 defaults: PBES2/AES-256-CBC, SHA-256 MAC). */
function opensslP12(c: OpensslLeafChain, extra: string[] = []): Uint8Array {
  const n = ++exported;
  const key = writePem(dir, `key-${n}.pem`, [c.leafKeyPkcs8Der!], 'PRIVATE KEY');
  const out = join(dir, `export-${n}.p12`);
  const r = openssl(['pkcs12', '-export', '-inkey', key, '-in', writePem(dir, `leaf-${n}.pem`, [c.leafDer]), '-certfile', writePem(dir, `ca-${n}.pem`, c.chainDers),
    '-name', 'app.example.org', '-passout', `pass:${PASSWORD}`, '-out', out, ...extra]);
  if (r.status !== 0) throw new Error(r.stderr);
  return new Uint8Array(readFileSync(out));
}

/** A PFX as PKI.js writes one by default: its engine splits encrypted content into a constructed OCTET STRING. */
async function pkijsDefaultP12(c: OpensslLeafChain): Promise<Uint8Array> {
  const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto });
  const password = new TextEncoder().encode(PASSWORD).buffer as ArrayBuffer;
  const keyBag = new pkijs.PKCS8ShroudedKeyBag({ parsedValue: pkijs.PrivateKeyInfo.fromBER(c.leafKeyPkcs8Der!.slice().buffer) });
  type Encryption = Parameters<pkijs.PKCS8ShroudedKeyBag['makeInternalValues']>[0]['contentEncryptionAlgorithm'];
  await keyBag.makeInternalValues({ password, contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 } as Encryption, hmacHashAlgorithm: 'SHA-256', iterationCount: 2048 }, engine);
  const localKeyId = [new pkijs.Attribute({ type: '1.2.840.113549.1.9.21', values: [new asn1js.OctetString({ valueHex: new Uint8Array(await webcrypto.subtle.digest('SHA-1', c.leafDer)) })] })];
  const cert = (der: Uint8Array, attrs?: pkijs.Attribute[]) => new pkijs.SafeBag({
    bagId: '1.2.840.113549.1.12.10.1.3', bagValue: new pkijs.CertBag({ parsedValue: pkijs.Certificate.fromBER(der.slice().buffer) }), ...(attrs ? { bagAttributes: attrs } : {}),
  });
  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 0,
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: {
          safeContents: [
            { privacyMode: 0, value: new pkijs.SafeContents({ safeBags: [cert(c.leafDer, localKeyId), ...c.chainDers.map((d) => cert(d))] }) },
            { privacyMode: 0, value: new pkijs.SafeContents({ safeBags: [new pkijs.SafeBag({ bagId: '1.2.840.113549.1.12.10.1.2', bagValue: keyBag, bagAttributes: localKeyId })] }) },
          ],
        },
      }),
    },
  });
  await pfx.parsedValue!.authenticatedSafe!.makeInternalValues({ safeContents: [{}, {}] }, engine);
  await pfx.makeInternalValues({ password, iterations: 2048, pbkdf2HashAlgorithm: 'SHA-256', hmacHashAlgorithm: 'SHA-256' }, engine);
  return new Uint8Array(pfx.toSchema().toBER(false));
}

describe('pkcs12Problems (OpenSSL, keytool, node-forge and a DER walk)', () => {
  const rsa = opensslLeafChain(dir, { keyType: 'RSA' });
  const ec = opensslLeafChain(dir, { keyType: 'EC' });
  const expect12 = (c: OpensslLeafChain) => ({ password: PASSWORD, leafDer: c.leafDer, chainDers: c.chainDers, friendlyName: 'app.example.org' });

  it('finds nothing wrong with what OpenSSL itself writes, RSA or EC', () => {
    expect(pkcs12Problems(opensslP12(rsa), expect12(rsa))).toEqual([]);
    expect(pkcs12Problems(opensslP12(ec), expect12(ec))).toEqual([]);
  }, SLOW);

  it("reports PKI.js's default encoding: node-forge refuses the key bag and the walk finds the constructed OCTET STRING", async () => {
    const problems = pkcs12Problems(await pkijsDefaultP12(rsa), { ...expect12(rsa), friendlyName: undefined });
    expect(problems).toContainEqual(expect.stringMatching(/^node-forge: pkcs12FromAsn1 failed: .*not a supported EncryptedPrivateKeyInfo/));
    expect(problems).toContainEqual(expect.stringMatching(/^DER: .*constructed OCTET STRING \(tag 0x24\)/));
    // PKI.js writes the MAC's SHA-256 without NULL parameters, which node-forge does not match; OpenSSL and keytool still check it
    expect(problems.filter((p) => /^(openssl|keytool):/.test(p))).toEqual([]);
  }, SLOW);

  it('reports a file without a MAC, and a wrong order or a foreign leaf, in every reader', () => {
    const noMac = pkcs12Problems(opensslP12(rsa, ['-nomac']), expect12(rsa));
    expect(noMac).toContainEqual(expect.stringMatching(/^openssl: no MAC to verify/));
    expect(noMac).toContainEqual(expect.stringMatching(/^keytool: a wrong password was not refused/));
    expect(noMac).toContainEqual(expect.stringMatching(/^node-forge: a wrong password (opened the file|failed elsewhere than the MAC)/));

    const reversed = pkcs12Problems(opensslP12(rsa), { ...expect12(rsa), chainDers: [...rsa.chainDers].reverse() });
    expect(reversed).toEqual(expect.arrayContaining([
      expect.stringMatching(/^openssl: certificates are not leaf then chain in order/),
      expect.stringMatching(/^keytool: the chain is not leaf then the CAs in order/),
      expect.stringMatching(/^node-forge: cert bags are not leaf then chain in order/),
    ]));
    const foreign = pkcs12Problems(opensslP12(rsa), { ...expect12(rsa), leafDer: ec.leafDer });
    expect(foreign).toEqual(expect.arrayContaining([
      expect.stringMatching(/^openssl: the private key is not the leaf certificate's key/),
      expect.stringMatching(/^node-forge: the decrypted key is not the leaf certificate's key/),
    ]));
  }, SLOW);

  it('walks DER strictly: indefinite and overlong lengths are reported', () => {
    expect(pfxDerProblems(Uint8Array.of(0x30, 0x80, 0x02, 0x01, 0x03, 0x00, 0x00))).toEqual([expect.stringMatching(/indefinite length/)]);
    expect(pfxDerProblems(Uint8Array.of(0x30, 0x81, 0x03, 0x02, 0x01, 0x03))).toEqual(expect.arrayContaining([expect.stringMatching(/fewest octets/)]));
  });
});
