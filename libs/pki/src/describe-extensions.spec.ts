import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExtensions } from './describe-extensions';

describe('describeExtensions', () => {
  it('describes the extensions of a certificate OpenSSL made, as OpenSSL prints them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchorage-ext-'));
    const cnf = join(dir, 'ext.cnf');
    writeFileSync(cnf, [
      '[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', 'CN = ext test', '[v3]',
      'basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment', 'extendedKeyUsage = serverAuth,clientAuth',
      'subjectAltName = URI:https://fhir.example.org/r4', 'crlDistributionPoints = URI:http://pki.example.org/crl/1.crl',
      'authorityInfoAccess = caIssuers;URI:http://pki.example.org/ca/1.cer', 'certificatePolicies = 1.3.6.1.4.1.99999.1',
      'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid', 'nsComment = "made by a test"',
    ].join('\n'));
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.der');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-config', cnf, '-extensions', 'v3', '-days', '1', '-outform', 'DER', '-out', cert], { stdio: 'ignore' });
    const text = execFileSync('openssl', ['x509', '-inform', 'DER', '-in', cert, '-noout', '-text'], { encoding: 'utf8' });
    const ski = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(text)![1];

    const ext = Object.fromEntries(describeExtensions(readFileSync(cert)).map((e) => [e.name, e]));
    expect(ext.basicConstraints).toMatchObject({ critical: true, value: 'CA:FALSE' });
    expect(ext.keyUsage).toMatchObject({ critical: true, value: 'digitalSignature, keyEncipherment' });
    expect(ext.extKeyUsage.value).toBe('serverAuth (1.3.6.1.5.5.7.3.1), clientAuth (1.3.6.1.5.5.7.3.2)');
    expect(ext.subjectAltName.value).toBe('URI:https://fhir.example.org/r4');
    expect(ext.crlDistributionPoints.value).toBe('URI:http://pki.example.org/crl/1.crl');
    expect(ext.authorityInfoAccess.value).toBe('caIssuers - URI:http://pki.example.org/ca/1.cer');
    expect(ext.certificatePolicies.value).toBe('1.3.6.1.4.1.99999.1');
    expect(ext.subjectKeyIdentifier.value).toBe(ski);
    // OpenSSL 3 leaves the AKI out of a self-signed certificate; an extension we do not know is shown as hex
    expect(ext.authorityKeyIdentifier).toBeUndefined();
    expect(ext['2.16.840.1.113730.1.13'].value).toMatch(/^16:0E:6D:61:64:65/); // IA5String "made by a test"
    expect(Object.keys(ext)).toHaveLength(9);
  });
});
