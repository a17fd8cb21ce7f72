// Example of a community's test kit.
import type { TestKitView } from '../wire';
import { ids } from './shared';

const kitBase = `https://pki.anchorage.example.org/pki/communities/${ids.community}/test-kit`;
const kitCa = (name: string, cn: string, sha256: string) => ({
  subject: `CN=${cn}, O=Riverside Health Network TEST, OU=TEST ONLY - not for production`, sha256, notAfter: '2046-02-01T09:00:00.000Z',
  certificateUrl: `${kitBase}/${name}.cer`, pemUrl: `${kitBase}/${name}.pem`, crlUrl: `${kitBase}/${name}.crl`,
});
const kitFiles = (id: string) => ({
  certificate: `${kitBase}/cases/${id}/certificate.cer`, certificatePem: `${kitBase}/cases/${id}/certificate.pem`, chain: `${kitBase}/cases/${id}/chain.pem`,
  privateKey: `${kitBase}/cases/${id}/key.pem`, softwareStatement: `${kitBase}/cases/${id}/software-statement.jwt`,
});
export const testKitExample: TestKitView = {
  communityId: ids.community,
  communityUri: 'udap://riverside-network.example.org/',
  notice: 'TEST ONLY. These certificates and their private keys are published so relying servers can be tested against them; trust the TEST anchor in a test environment only, never next to the community\'s production anchors.',
  generation: 1,
  generatedAt: '2026-02-01T09:00:00.000Z',
  validUntil: '2026-03-03T09:00:00.000Z',
  url: kitBase,
  anchor: kitCa('anchor', 'Riverside Health Network TEST anchor', '5be2c4a1f0d3e6b7a8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5'),
  issuingCa: kitCa('issuing', 'Riverside Health Network TEST issuing CA', '0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0'),
  untrustedRoot: { ...kitCa('untrusted', 'Riverside Health Network TEST untrusted root (never an anchor)', '9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9'), note: 'never a trust anchor: the untrusted-root case chains to it' },
  softwareStatements: {
    aud: 'https://fhir.example.org/oauth/register',
    note: 'The pre-signed statements name aud https://fhir.example.org/oauth/register and expire 5 minutes after generatedAt; add ?aud=<your registration endpoint> to a softwareStatement link for one signed now, or sign your own with the case\'s private key',
  },
  cases: [
    {
      id: 'valid', title: 'Valid (positive control)', deviation: 'nothing: a udap-client certificate under the TEST issuing CA, x5c with the intermediate, iss equal to the SAN URI, RS256',
      iss: `${kitBase}/clients/valid`, sanUris: [`${kitBase}/clients/valid`], keyType: 'RSA-2048', alg: 'RS256',
      expected: {
        outcome: 'accept', registration: '201 with a client_id', tokenEndpoint: '200 with an access token', check: 'every check passes; a server that rejects this one rejects everything',
        findings: [], openssl: { passes: true }, section: 'UDAP STU2 §3.1, §5.2.3',
      },
      files: kitFiles('valid'),
    },
    {
      id: 'revoked', title: 'Revoked certificate', deviation: 'the leaf is listed (keyCompromise) on the TEST issuing CA\'s CRL',
      iss: `${kitBase}/clients/revoked`, sanUris: [`${kitBase}/clients/revoked`], keyType: 'RSA-2048', alg: 'RS256',
      expected: {
        outcome: 'reject', registration: '400 {"error":"invalid_software_statement"}', tokenEndpoint: '400 {"error":"invalid_client"} (401 if the client authenticated with HTTP Basic)',
        check: 'revocation status from the CRL at the leaf\'s CDP', findings: ['revoked'], openssl: { passes: false, error: 'certificate revoked' }, section: 'RFC 5280 §6.3',
      },
      files: kitFiles('revoked'),
    },
  ],
};
