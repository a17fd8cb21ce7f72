// Creates or regenerates a community's test kit (docs/test-certificates.md): the negative cases a
// relying server must reject, each a certificate with a known key, under a TEST anchor that is published
// apart from the community's CAs and never trusted by the platform. The three test CA keys are generated
// in the signer as test keys (it lets only them sign the kit's deviations) and kept on regeneration;
// the cases, their keys and the CRLs are made anew, the CRL number being the kit's generation.
import { generateKeyPair, randomUUID, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { CompactSign } from 'jose';
import { RevocationReason, type KeyType } from '@anchorage/contracts';
import { DbConflictError, type TestKitRecord } from '@anchorage/db';
import {
  buildIssuingCaTbs, buildLeafTbs, buildRootCaTbs, buildTestLeafTbs, CrlEncoder, encodeName, nameToString, newSerial,
  readCertificateParts, signatureAlgorithmFor, subjectKeyIdentifier, x5c as x5cOf, type LeafTbsParams,
} from '@anchorage/pki';
import { signatureAudit } from '../audit';
import type { Actor, AuthorityDeps } from '../deps';
import { DomainError } from '../errors';
import { signWithCa, signerToDomain } from '../sign';
import { TEST_CASE_IDS } from './cases';
import type { TestKitCa, TestKitCaseContent, TestKitContent } from './content';

const generateKeyPairAsync = promisify(generateKeyPair);
const DAY = 86_400_000;
const YEAR = 365 * DAY;
/** How long a kit's valid leaves and its CRLs last. */
export const TEST_KIT_VALIDITY_DAYS = 30;
/** The test CAs' key type: RSA-2048 (RS256 chains every relying party reads). */
const CA_KEY_TYPE: KeyType = 'RSA-2048';
/** The `aud` of the pre-signed software statements (a relying server signs its own with the published key). */
export const TEST_KIT_EXAMPLE_AUD = 'https://fhir.example.org/oauth/register';

/** A test CA the kit signs with. */
interface KitCa {
  keyRef: string;
  spkiDer: Uint8Array;
  subjectDer: Uint8Array;
  certificateDer: Uint8Array;
}

/** The kit's public URLs, under /pki/communities/{id}/test-kit (PublicUrls.testKit). */
function kitUrls(deps: Pick<AuthorityDeps, 'urls'>, communityId: string) {
  const base = deps.urls.testKit(communityId);
  return {
    anchorCer: `${base}/anchor.cer`, anchorCrl: `${base}/anchor.crl`, issuingCer: `${base}/issuing.cer`, issuingCrl: `${base}/issuing.crl`,
    untrustedCer: `${base}/untrusted.cer`, untrustedCrl: `${base}/untrusted.crl`,
    /** The dead-cdp case's CDP: nothing is ever published there, so it answers 404. */
    deadCrl: `${base}/dead/issuing.crl`,
    client: (id: string) => `${base}/clients/${id}`,
  };
}

const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');
const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
/** X.509 times have whole seconds (RFC 5280 §4.1.2.5). */
const seconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

/** The kit after creation or regeneration. */
export interface GeneratedTestKit {
  kit: TestKitRecord;
  content: TestKitContent;
  created: boolean;
}

/** Creates the community's test kit, or regenerates it when it has one (see the file comment). Operators only. */
export async function generateTestKit(deps: AuthorityDeps, communityId: string, actor: Actor): Promise<GeneratedTestKit> {
  if (actor.role !== 'operator' && actor.role !== 'system') throw new DomainError('forbidden', 'only an operator creates a community\'s test kit');
  const community = await deps.db.communities.find(communityId);
  if (!community) throw new DomainError('not-found', `no community ${communityId}`);
  const existing = await deps.db.testKits.find(communityId);
  const now = deps.clock.now();
  const generation = existing ? existing.generation + 1 : 1;
  const urls = kitUrls(deps, communityId);
  const alg = signatureAlgorithmFor(CA_KEY_TYPE);
  const caSigner = (ca: KitCa) => ({ keyRef: ca.keyRef, keyType: CA_KEY_TYPE });

  // the CAs: kept from the kit before, or made now with test keys
  let cas: { anchor: KitCa; issuing: KitCa; untrusted: KitCa };
  if (existing) {
    const old = existing.content as TestKitContent;
    const kept = async (keyRef: string, c: TestKitCa): Promise<KitCa> => {
      const certificateDer = fromB64(c.certificate);
      const spkiDer = await deps.signer.publicKey(keyRef).catch(signerToDomain);
      const parts = readCertificateParts(certificateDer);
      if (!Buffer.from(spkiDer).equals(Buffer.from(parts.spkiDer))) throw new DomainError('signer-error', `test key ${keyRef} is not the key of the kit's CA ${c.subject}`);
      return { keyRef, spkiDer, subjectDer: parts.subjectDer, certificateDer };
    };
    cas = {
      anchor: await kept(existing.anchorKeyRef, old.cas.anchor),
      issuing: await kept(existing.issuingKeyRef, old.cas.issuing),
      untrusted: await kept(existing.untrustedKeyRef, old.cas.untrusted),
    };
  } else {
    const name = community.name.slice(0, 40);
    const key = (label: string) => deps.signer.generateKey('software', CA_KEY_TYPE, `${label} ${communityId}`, { test: true }).catch(signerToDomain);
    const [anchorKey, issuingKey, untrustedKey] = [await key('test anchor'), await key('test issuing'), await key('test untrusted root')];
    const caNotBefore = seconds(now.getTime() - 400 * DAY); // before every case's leaf, the expired one included
    const caNotAfter = seconds(now.getTime() + 20 * YEAR);
    const root = async (k: { keyRef: string; spkiDer: Uint8Array }, cn: string, crlUrl: string): Promise<KitCa> => {
      const subjectDer = encodeName({ commonName: cn.slice(0, 64), organization: `${name} TEST`, organizationalUnit: 'TEST ONLY - not for production' });
      const tbs = buildRootCaTbs({ serial: newSerial(deps.random(16)), subject: subjectDer, spkiDer: k.spkiDer, notBefore: caNotBefore, notAfter: caNotAfter, signatureAlgorithm: alg, crlUrl });
      const certificateDer = await signWithCa(deps, { keyRef: k.keyRef, keyType: CA_KEY_TYPE }, tbs, { purpose: 'certificate', subject: `test-kit:${communityId}:root`, profile: 'root' }, actor);
      return { keyRef: k.keyRef, spkiDer: k.spkiDer, subjectDer, certificateDer };
    };
    const anchor = await root(anchorKey, `${name} TEST anchor`, urls.anchorCrl);
    const untrusted = await root(untrustedKey, `${name} TEST untrusted root (never an anchor)`, urls.untrustedCrl);
    const issuingSubject = encodeName({ commonName: `${name} TEST issuing CA`.slice(0, 64), organization: `${name} TEST`, organizationalUnit: 'TEST ONLY - not for production' });
    const issuingTbs = buildIssuingCaTbs({
      serial: newSerial(deps.random(16)), subject: issuingSubject, issuer: anchor.subjectDer, spkiDer: issuingKey.spkiDer, issuerSpkiDer: anchor.spkiDer,
      notBefore: caNotBefore, notAfter: caNotAfter, signatureAlgorithm: alg, crlUrl: urls.anchorCrl, caIssuersUrl: urls.anchorCer,
    });
    const issuingDer = await signWithCa(deps, caSigner(anchor), issuingTbs, { purpose: 'certificate', subject: `test-kit:${communityId}:issuing`, profile: 'issuing' }, actor);
    cas = { anchor, untrusted, issuing: { keyRef: issuingKey.keyRef, spkiDer: issuingKey.spkiDer, subjectDer: issuingSubject, certificateDer: issuingDer } };
  }

  // the cases
  const validUntil = seconds(now.getTime() + TEST_KIT_VALIDITY_DAYS * DAY);
  const cases: TestKitCaseContent[] = [];
  let revokedSerial: Uint8Array | null = null;
  for (const id of TEST_CASE_IDS) {
    const ec = id === 'ec-key';
    const keyType: KeyType = ec ? 'EC-P256' : 'RSA-2048';
    const { privateKey, publicKey } = ec
      ? await generateKeyPairAsync('ec', { namedCurve: 'P-256' })
      : await generateKeyPairAsync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    const san = urls.client(id);
    const untrusted = id === 'untrusted-root';
    const issuer = untrusted ? cas.untrusted : cas.issuing;
    const serial = newSerial(deps.random(16));
    if (id === 'revoked') revokedSerial = serial;
    const [notBefore, notAfter] = id === 'expired' ? [now.getTime() - 60 * DAY, now.getTime() - 30 * DAY]
      : id === 'not-yet-valid' ? [now.getTime() + 5 * YEAR, now.getTime() + 6 * YEAR]
        : [now.getTime() - 60_000, validUntil.getTime()];
    const params: LeafTbsParams = {
      profile: 'udap-client', serial, subject: encodeName({ commonName: `TEST ${id}`.slice(0, 64), organization: `${community.name.slice(0, 40)} TEST` }),
      issuer: issuer.subjectDer, spkiDer: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })), issuerSpkiDer: issuer.spkiDer,
      notBefore: seconds(notBefore), notAfter: seconds(notAfter), signatureAlgorithm: alg, sanUris: [san],
      crlUrl: untrusted ? urls.untrustedCrl : id === 'dead-cdp' ? urls.deadCrl : urls.issuingCrl, caIssuersUrl: untrusted ? urls.untrustedCer : urls.issuingCer,
    };
    const tbs = id === 'no-cdp' ? buildTestLeafTbs(params, 'crlDistributionPoints') : id === 'missing-san' ? buildTestLeafTbs(params, 'subjectAltName') : buildLeafTbs(params);
    const leafDer = await signWithCa(deps, caSigner(issuer), tbs, { purpose: 'certificate', subject: `test-kit:${communityId}:${id}`, profile: 'udap-client' }, actor);
    const chain = id === 'missing-intermediate' ? [leafDer] : [leafDer, issuer.certificateDer];
    const iss = id === 'iss-san-mismatch' ? urls.client('someone-else') : id === 'iss-trailing-slash' ? `${san}/` : san;
    const jwtAlg = ec ? 'ES256' : 'RS256';
    cases.push({
      id, keyType, alg: jwtAlg, iss, sanUris: id === 'missing-san' ? [] : [san], certificate: b64(leafDer), x5c: x5cOf(chain),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      softwareStatement: await signSoftwareStatement({ iss, alg: jwtAlg, x5c: x5cOf(chain), key: privateKey }, TEST_KIT_EXAMPLE_AUD, now),
    });
  }

  // the CRLs, numbered by the generation
  const crl = async (ca: KitCa, what: string, revoked: Uint8Array | null): Promise<Uint8Array> => {
    const encoder = new CrlEncoder({
      issuer: ca.subjectDer, signatureAlgorithm: alg, thisUpdate: seconds(now.getTime()), nextUpdate: validUntil, crlNumber: BigInt(generation),
      authorityKeyId: subjectKeyIdentifier(ca.spkiDer), expectedEntries: revoked ? 1 : 0,
    });
    if (revoked) encoder.addEntry(revoked, seconds(now.getTime()), RevocationReason.keyCompromise);
    const tbs = encoder.finishTbs();
    const signature = await deps.signer.signTbs(ca.keyRef, tbs, alg, signatureAudit((e) => deps.db.audit.append(e), deps.clock, actor), { purpose: 'crl', subject: `test-kit:${communityId}:${what}:${generation}`, entryCount: encoder.entryCount })
      .catch(signerToDomain);
    return encoder.finishSigned(signature);
  };
  const caContent = async (ca: KitCa, what: string, revoked: Uint8Array | null): Promise<TestKitCa> => ({
    subject: nameToString(ca.subjectDer), certificate: b64(ca.certificateDer), crl: b64(await crl(ca, what, revoked)),
    notAfter: notAfterOf(ca.certificateDer).toISOString(),
  });
  const content: TestKitContent = {
    format: 'anchorage-test-kit', version: 1, communityId, communityUri: community.uri, generation, generatedAt: now.toISOString(), validUntil: validUntil.toISOString(),
    softwareStatementAud: TEST_KIT_EXAMPLE_AUD,
    cas: { anchor: await caContent(cas.anchor, 'anchor', null), issuing: await caContent(cas.issuing, 'issuing', revokedSerial), untrusted: await caContent(cas.untrusted, 'untrusted', null) },
    cases,
  };

  const record: TestKitRecord = {
    communityId, generation, keyType: CA_KEY_TYPE, anchorKeyRef: cas.anchor.keyRef, issuingKeyRef: cas.issuing.keyRef, untrustedKeyRef: cas.untrusted.keyRef,
    content, createdBy: existing?.createdBy ?? actor.id, createdAt: existing?.createdAt ?? now, updatedAt: now,
  };
  const event = {
    at: now, actor: actor.id, action: existing ? 'test-kit.regenerated' : 'test-kit.created', subjectType: 'community', subjectId: communityId,
    data: { generation, anchor: content.cas.anchor.subject, cases: TEST_CASE_IDS.length, keyRefs: [record.anchorKeyRef, record.issuingKeyRef, record.untrustedKeyRef] },
  };
  try {
    const kit = await deps.db.transaction((tx) => (existing ? tx.testKits.replace(record, event) : tx.testKits.create(record, event)));
    return { kit, content, created: !existing };
  } catch (err) {
    if (err instanceof DbConflictError) throw new DomainError('conflict', `${err.message}; try again`);
    throw err;
  }
}

/** A client_credentials software statement of `iss` for the registration endpoint `aud`, issued at `now` (valid 5 minutes). */
export async function signSoftwareStatement(c: { iss: string; alg: 'RS256' | 'ES256'; x5c: string[]; key: KeyObject }, aud: string, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const claims = {
    iss: c.iss, sub: c.iss, aud, iat, exp: iat + 300, jti: randomUUID(),
    client_name: 'Anchorage TEST client', contacts: ['mailto:test-kit@example.org'], grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'private_key_jwt', scope: 'system/Patient.rs',
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg: c.alg, x5c: c.x5c }).sign(c.key);
}

function notAfterOf(certificateDer: Uint8Array): Date {
  return readCertificateParts(certificateDer).notAfter;
}
