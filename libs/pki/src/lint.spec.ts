import { generateKeyPairSync } from 'node:crypto';
import type { LeafProfile } from '@anchorage/contracts';
import { algorithmIdentifierDer } from './algorithms';
import { derExplicit, derGeneralizedTime, derIa5String, derImplicitConstructed, derImplicitPrimitive, derInteger, derOid, derSequence, derTime, derUtcTime } from './der';
import { PkiError } from './errors';
import {
  authorityInfoAccessExtension, authorityKeyIdentifierExtension, basicConstraintsExtension, crlDistributionPointsExtension, encodeExtension,
  type Extension, KeyUsageBit, keyUsageExtension, subjectAltNameUrisExtension, subjectKeyIdentifierExtension, uriGeneralName,
} from './extensions';
import { subjectKeyIdentifier } from './keys';
import { assertLintClean, lintTbsCertificate } from './lint';
import { encodeName } from './names';
import { OID } from './oids';
import { testKey, testSerial } from './testing/test-ca';

const issuerKey = testKey('RSA-2048', 'lint-issuer');
const leafKey = testKey('RSA-2048', 'lint-leaf');
const issuer = encodeName({ commonName: 'Lint Issuing CA', organization: 'Anchorage' });
const subject = encodeName({ commonName: 'app.example.org', organization: 'Member' });
const nb = new Date('2026-01-01T00:00:00Z');
const na = new Date('2027-01-01T00:00:00Z');
const ctx = { issuerSpkiDer: issuerKey.spkiDer, issuerNotBefore: new Date('2025-01-01T00:00:00Z'), issuerNotAfter: new Date('2030-01-01T00:00:00Z') };

type ExtName = 'bc' | 'ku' | 'ski' | 'aki' | 'san' | 'cdp' | 'aia';
function leafExtensions(spkiDer = leafKey.spkiDer): Record<ExtName, Extension> {
  return {
    bc: basicConstraintsExtension(false),
    ku: keyUsageExtension([KeyUsageBit.digitalSignature]),
    ski: subjectKeyIdentifierExtension(subjectKeyIdentifier(spkiDer)),
    aki: authorityKeyIdentifierExtension(subjectKeyIdentifier(issuerKey.spkiDer)),
    san: subjectAltNameUrisExtension(['https://app.example.org/fhir']),
    cdp: crlDistributionPointsExtension('http://pki.example.test/issuing.crl'),
    aia: authorityInfoAccessExtension('http://pki.example.test/issuing.cer'),
  };
}

interface RawTbs {
  version?: Uint8Array | null;
  serial?: Uint8Array;
  alg?: Uint8Array;
  issuer?: Uint8Array;
  validity?: Uint8Array;
  subject?: Uint8Array;
  spki?: Uint8Array;
  extensions?: Extension[];
  omit?: ExtName[];
  replace?: Partial<Record<ExtName, Extension>>;
}

/** Assembles a TBSCertificate from raw parts so each test can break exactly one thing. */
function tbs(o: RawTbs = {}): Uint8Array {
  const spki = o.spki ?? leafKey.spkiDer;
  const base = { ...leafExtensions(spki), ...o.replace };
  const exts = o.extensions ?? (Object.keys(base) as ExtName[]).filter((k) => !o.omit?.includes(k)).map((k) => base[k]);
  const parts = [
    o.version === undefined ? derExplicit(0, derInteger(2)) : o.version,
    o.serial ?? derInteger(testSerial(7)),
    o.alg ?? algorithmIdentifierDer('sha256WithRSAEncryption'),
    o.issuer ?? issuer,
    o.validity ?? derSequence(derTime(nb), derTime(na)),
    o.subject ?? subject,
    spki,
    exts.length ? derExplicit(3, derSequence(...exts.map(encodeExtension))) : null,
  ];
  return derSequence(...parts.filter((p): p is Uint8Array => p !== null));
}

const lint = (der: Uint8Array, kind: 'root' | 'issuing' | LeafProfile = 'udap-client', c: object = ctx) => lintTbsCertificate(der, kind, c);
const expectRule = (problems: string[], rule: string, msg: RegExp) => {
  expect(problems.filter((p) => p.startsWith(`${rule}:`)).join('\n')).toMatch(msg);
};

describe('lintTbsCertificate', () => {
  it('passes a clean leaf for every profile', () => {
    for (const kind of ['udap-client', 'udap-server', 'udap-idp', 'udap-certifier'] as const) expect(lint(tbs(), kind)).toEqual([]);
  });
  it('reports unparseable input', () => expect(lint(Uint8Array.of(0x30, 0x01, 0x00))[0]).toMatch(/^parse:/));

  it('version: requires v3', () => expectRule(lint(tbs({ version: derExplicit(0, derInteger(1)) })), 'version', /v3/));

  describe('serial', () => {
    it('must be positive', () => expectRule(lint(tbs({ serial: Uint8Array.of(0x02, 0x09, 0xc0, 1, 2, 3, 4, 5, 6, 7, 8) })), 'serial', /positive/));
    it('must not be zero', () => expectRule(lint(tbs({ serial: derInteger(0) })), 'serial', /positive/));
    it('must be at most 20 octets', () => expectRule(lint(tbs({ serial: derInteger(new Uint8Array(21).fill(0x11)) })), 'serial', /21 octets; at most 20/));
    it('needs at least 64 bits', () => expectRule(lint(tbs({ serial: derInteger(0x01020304) })), 'serial', /4 octets; at least 8/));
    it('must be minimally encoded', () => expectRule(lint(tbs({ serial: Uint8Array.of(0x02, 0x0a, 0, 0x11, 1, 2, 3, 4, 5, 6, 7, 8) })), 'serial', /redundant leading zero/));
  });

  describe('signature-algorithm', () => {
    it('must be one of ours', () => expectRule(lint(tbs({ alg: derSequence(derOid('1.2.840.113549.1.1.5'), Uint8Array.of(5, 0)) })), 'signature-algorithm', /1\.2\.840\.113549\.1\.1\.5/));
    it("must fit the issuer's key", () => expectRule(lint(tbs({ alg: algorithmIdentifierDer('ecdsaWithSHA256') })), 'signature-algorithm', /does not match the issuer's RSA key/));
  });

  describe('validity', () => {
    it('notBefore must precede notAfter', () => expectRule(lint(tbs({ validity: derSequence(derTime(na), derTime(nb)) })), 'validity', /earlier than notAfter/));
    it("must end inside the issuer's validity", () => expectRule(lint(tbs({ validity: derSequence(derTime(nb), derTime(new Date('2031-01-01T00:00:00Z'))) })), 'validity', /after the issuer's notAfter/));
    it("must start inside the issuer's validity", () => expectRule(lint(tbs({ validity: derSequence(derTime(new Date('2024-01-01T00:00:00Z')), derTime(na)) })), 'validity', /precedes the issuer's notBefore/));
    it('must use UTCTime before 2050', () => expectRule(lint(tbs({ validity: derSequence(derGeneralizedTime(nb), derTime(na)) })), 'validity', /notBefore must be UTCTime/));
    it('respects the policy maximum', () => expectRule(lint(tbs(), 'udap-client', { ...ctx, maxValidityDays: 90 }), 'validity', /maximum of 90 days/));
    it('accepts GeneralizedTime from 2050', () => {
      const wide = { ...ctx, issuerNotAfter: new Date('2060-01-01T00:00:00Z') };
      expect(lint(tbs({ validity: derSequence(derUtcTime(nb), derGeneralizedTime(new Date('2051-01-01T00:00:00Z'))) }), 'udap-client', wide)).toEqual([]);
    });
  });

  describe('names', () => {
    it('subject must not be empty', () => expectRule(lint(tbs({ subject: derSequence() })), 'names', /subject must not be empty/));
    it('a root must be self-issued', () => expectRule(lint(tbs({ subject }), 'root'), 'names', /self-issued/));
    it('only the root is self-issued', () => expectRule(lint(tbs({ subject: issuer })), 'names', /only the root/));
  });

  it('extensions: no duplicates', () => {
    const e = leafExtensions();
    expectRule(lint(tbs({ extensions: [...Object.values(e), e.cdp] })), 'extensions', /2\.5\.29\.31 appears more than once/);
  });

  it('extensions: refuses a critical flag encoded as FALSE, and a BOOLEAN that is not 00/FF, as not DER', () => {
    const withFlag = (which: ExtName, oid: string, flag: number) => {
      const der = Buffer.from(tbs({ replace: { [which]: { ...leafExtensions()[which], critical: true } } }));
      const at = der.indexOf(Buffer.concat([Buffer.from(derOid(oid)), Buffer.of(0x01, 0x01, 0xff)]));
      expect(at).toBeGreaterThan(0);
      der[at + derOid(oid).length + 2] = flag;
      return new Uint8Array(der);
    };
    expectRule(lint(withFlag('san', OID.subjectAltName, 0x00)), 'extensions', /2\.5\.29\.17 encodes critical FALSE/);
    expect(lint(withFlag('bc', OID.basicConstraints, 0x01))[0]).toMatch(/^parse: .*BOOLEAN must be one octet, 00 or FF/);
  });

  it('critical: only keyUsage and basicConstraints', () => {
    expectRule(lint(tbs({ replace: { san: { ...subjectAltNameUrisExtension(['https://app.example.org/fhir']), critical: true } } })), 'critical', /2\.5\.29\.17 is critical/);
  });

  describe('basic-constraints', () => {
    it('must be present', () => expectRule(lint(tbs({ omit: ['bc'] })), 'basic-constraints', /missing/));
    it('must be critical', () => expectRule(lint(tbs({ replace: { bc: { ...basicConstraintsExtension(false), critical: false } } })), 'basic-constraints', /must be critical/));
    it('leaf must be CA:FALSE', () => expectRule(lint(tbs({ replace: { bc: basicConstraintsExtension(true) } })), 'basic-constraints', /CA:FALSE/));
    it('issuing CA needs pathLen 0', () => {
      const p = lint(tbs({ replace: { bc: basicConstraintsExtension(true), ku: keyUsageExtension([KeyUsageBit.keyCertSign, KeyUsageBit.cRLSign]) }, omit: ['san'] }), 'issuing');
      expectRule(p, 'basic-constraints', /pathLenConstraint 0/);
    });
    it('CA must be CA:TRUE', () => expectRule(lint(tbs(), 'issuing'), 'basic-constraints', /CA:TRUE/));
  });

  describe('key-usage', () => {
    it('must be present', () => expectRule(lint(tbs({ omit: ['ku'] })), 'key-usage', /missing/));
    it('must be critical', () => expectRule(lint(tbs({ replace: { ku: { ...keyUsageExtension([0]), critical: false } } })), 'key-usage', /must be critical/));
    it('leaf must be exactly digitalSignature', () => expectRule(lint(tbs({ replace: { ku: keyUsageExtension([0, KeyUsageBit.keyCertSign]) } })), 'key-usage', /exactly digitalSignature \(found digitalSignature, keyCertSign\)/));
    it('CA must be keyCertSign + cRLSign', () => expectRule(lint(tbs({ replace: { bc: basicConstraintsExtension(true, 0) } }), 'issuing'), 'key-usage', /exactly keyCertSign, cRLSign/));
  });

  describe('subject-key-identifier', () => {
    it('must be present', () => expectRule(lint(tbs({ omit: ['ski'] })), 'subject-key-identifier', /missing/));
    it('must be the key hash', () => expectRule(lint(tbs({ replace: { ski: subjectKeyIdentifierExtension(new Uint8Array(20)) } })), 'subject-key-identifier', /not the SHA-1/));
  });

  describe('authority-key-identifier', () => {
    it('must be present on a leaf', () => expectRule(lint(tbs({ omit: ['aki'] })), 'authority-key-identifier', /missing/));
    it("must match the issuer's key", () => expectRule(lint(tbs({ replace: { aki: authorityKeyIdentifierExtension(new Uint8Array(20)) } })), 'authority-key-identifier', /does not match the issuer key/));
    it('must carry keyIdentifier only on a leaf', () => {
      const value = derSequence(derImplicitPrimitive(0, subjectKeyIdentifier(issuerKey.spkiDer)), Uint8Array.of(0x82, 0x01, 0x01));
      expectRule(lint(tbs({ replace: { aki: { oid: OID.authorityKeyIdentifier, critical: false, value } } })), 'authority-key-identifier', /keyIdentifier only/);
    });
  });

  describe('subject-alt-name', () => {
    it('must be present on a leaf', () => expectRule(lint(tbs({ omit: ['san'] })), 'subject-alt-name', /at least one URI/));
    it('must be https for servers', () => expectRule(lint(tbs({ replace: { san: subjectAltNameUrisExtension(['http://app.example.org/fhir']) } }), 'udap-server'), 'subject-alt-name', /must use https/));
    it('must be canonical', () => expectRule(lint(tbs({ replace: { san: subjectAltNameUrisExtension(['https://App.example.org:443/fhir']) } })), 'subject-alt-name', /use "https:\/\/app.example.org\/fhir"/));
    it('must hold URIs only', () => {
      const value = derSequence(uriGeneralName('https://app.example.org/fhir'), derImplicitPrimitive(2, new TextEncoder().encode('app.example.org')));
      expectRule(lint(tbs({ replace: { san: { oid: OID.subjectAltName, critical: false, value } } })), 'subject-alt-name', /1 non-URI/);
    });
  });

  describe('crl-distribution-points', () => {
    it('must be present', () => expectRule(lint(tbs({ omit: ['cdp'] })), 'crl-distribution-points', /missing/));
    it('must be http', () => expectRule(lint(tbs({ replace: { cdp: { ...crlDistributionPointsExtension('http://x.test/a.crl'), value: cdpValue('https://x.test/a.crl') } } })), 'crl-distribution-points', /must be http/));
    it('must be a single URI', () => {
      expectRule(lint(tbs({ replace: { cdp: { ...crlDistributionPointsExtension('http://x.test/a.crl'), value: cdpValue('http://x.test/a.crl', 'http://y.test/a.crl') } } })), 'crl-distribution-points', /exactly one fullName URI/);
    });
  });

  describe('authority-info-access', () => {
    it('must be absent on a root', () => {
      const rootTbs = tbs({ issuer: subject, replace: { bc: basicConstraintsExtension(true), ku: keyUsageExtension([5, 6]), aki: authorityKeyIdentifierExtension(subjectKeyIdentifier(leafKey.spkiDer)) }, omit: ['san'] });
      const p = lint(rootTbs, 'root', {});
      expectRule(p, 'authority-info-access', /must not carry/);
      expect(p.filter((x) => !x.startsWith('authority-info-access'))).toEqual([]);
    });
    it('must be present on a leaf', () => expectRule(lint(tbs({ omit: ['aia'] })), 'authority-info-access', /missing/));
    it('must not include OCSP', () => {
      const value = derSequence(
        derSequence(derOid(OID.ocsp), uriGeneralName('http://ocsp.example.test')),
        derSequence(derOid(OID.caIssuers), uriGeneralName('http://pki.example.test/issuing.cer')),
      );
      expectRule(lint(tbs({ replace: { aia: { oid: OID.authorityInfoAccess, critical: false, value } } })), 'authority-info-access', /must not include OCSP/);
    });
    it('must have exactly one caIssuers', () => {
      const ad = derSequence(derOid(OID.caIssuers), uriGeneralName('http://pki.example.test/issuing.cer'));
      expectRule(lint(tbs({ replace: { aia: { oid: OID.authorityInfoAccess, critical: false, value: derSequence(ad, ad) } } })), 'authority-info-access', /exactly one caIssuers entry \(found 2\)/);
    });
  });

  describe('public-key', () => {
    it('RSA must be at least 2048 bits', () => {
      const small = new Uint8Array(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' }));
      expectRule(lint(tbs({ spki: small })), 'public-key', /1024 bits/);
    });
    it('servers and IdPs must be RSA', () => {
      const ec = testKey('EC-P256').spkiDer;
      expectRule(lint(tbs({ spki: ec }), 'udap-server'), 'public-key', /udap-server keys must be RSA/);
      expectRule(lint(tbs({ spki: ec }), 'udap-idp'), 'public-key', /udap-idp keys must be RSA/);
      expectRule(lint(tbs({ spki: ec }), 'udap-certifier'), 'public-key', /udap-certifier keys must be RSA/);
      expect(lint(tbs({ spki: ec }), 'udap-client')).toEqual([]);
    });
    it('EC must be P-256 or P-384', () => {
      const p521 = new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey.export({ type: 'spki', format: 'der' }));
      expectRule(lint(tbs({ spki: p521 })), 'public-key', /secp521r1 is not P-256 or P-384/);
    });
  });

  it('assertLintClean throws lint-failed with the problems', () => {
    expect(() => assertLintClean(tbs(), 'udap-client', ctx)).not.toThrow();
    try {
      assertLintClean(tbs({ omit: ['aia'] }), 'udap-client', ctx);
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(PkiError);
      expect((e as PkiError).code).toBe('lint-failed');
      expect((e as PkiError).details).toEqual({ problems: [expect.stringMatching(/^authority-info-access:/)] });
    }
  });
});

function cdpValue(...uris: string[]): Uint8Array {
  return derSequence(derSequence(derImplicitConstructed(0, derImplicitConstructed(0, ...uris.map((u) => derImplicitPrimitive(6, derIa5String(u).subarray(2)))))));
}
