// What a community's test kit publishes under /pki/communities/{id}/test-kit (docs/test-certificates.md):
// the JSON index a relying-server developer starts from (every case, what is wrong with it, the answer
// their server must give and the links to its files), the TEST CAs and their CRLs, and per case its
// certificate, chain, known private key and a software statement. Read from the database and held
// briefly, so every API process serves a regenerated kit within seconds.
import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import type { TestKitCaView, TestKitView } from '@anchorage/contracts';
import type { Database } from '@anchorage/db';
import { toPem } from '@anchorage/pki';
import type { Clock } from '../clock';
import type { PublishedObject } from '../public-repository';
import type { PublicUrls } from '../urls';
import { TEST_CASES, type TestCaseId } from './cases';
import type { TestKitCa, TestKitContent } from './content';
import { signSoftwareStatement } from './generate-test-kit';

export const TEST_KIT_NOTICE = 'TEST ONLY. These certificates and their private keys are published so relying servers can be tested against them; '
  + 'trust the TEST anchor in a test environment only, never next to the community\'s production anchors.';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const der = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

/** The index of `content` with its absolute links. */
export function testKitView(content: TestKitContent, urls: PublicUrls): TestKitView {
  const base = urls.testKit(content.communityId);
  const ca = (c: TestKitCa, name: string): TestKitCaView => ({
    subject: c.subject, sha256: sha256(der(c.certificate)), notAfter: c.notAfter,
    certificateUrl: `${base}/${name}.cer`, pemUrl: `${base}/${name}.pem`, crlUrl: `${base}/${name}.crl`,
  });
  return {
    communityId: content.communityId, communityUri: content.communityUri, notice: TEST_KIT_NOTICE,
    generation: content.generation, generatedAt: content.generatedAt, validUntil: content.validUntil, url: base,
    anchor: ca(content.cas.anchor, 'anchor'),
    issuingCa: ca(content.cas.issuing, 'issuing'),
    untrustedRoot: { ...ca(content.cas.untrusted, 'untrusted'), note: 'never a trust anchor: the untrusted-root case chains to it' },
    softwareStatements: {
      aud: content.softwareStatementAud,
      note: `The pre-signed statements name aud ${content.softwareStatementAud} and expire 5 minutes after generatedAt; `
        + 'add ?aud=<your registration endpoint> to a softwareStatement link for one signed now, or sign your own with the case\'s private key',
    },
    cases: content.cases.map((c) => {
      const def = TEST_CASES.find((d) => d.id === c.id)!;
      const at = `${base}/cases/${c.id}`;
      return {
        id: c.id, title: def.title, deviation: def.deviation, iss: c.iss, sanUris: c.sanUris, keyType: c.keyType, alg: c.alg, expected: def.expected,
        files: { certificate: `${at}/certificate.cer`, certificatePem: `${at}/certificate.pem`, chain: `${at}/chain.pem`, privateKey: `${at}/key.pem`, softwareStatement: `${at}/software-statement.jwt` },
      };
    }),
  };
}

/** A kit loaded for serving: its files by path under the kit's base, and its cases' keys. */
export interface LoadedTestKit {
  content: TestKitContent;
  /** Path relative to /pki/communities/{id}/test-kit ('' is the index) -> the object. */
  files: Map<string, PublishedObject>;
  keys: Map<TestCaseId, KeyObject>;
}

/** Builds the files of `content` (see the file comment); `modified` is when they were read. */
export function testKitFiles(content: TestKitContent, urls: PublicUrls, modified: Date): Map<string, PublishedObject> {
  const files = new Map<string, PublishedObject>();
  const validUntil = new Date(content.validUntil);
  const put = (path: string, body: Buffer, contentType: string, expires: Date | null = null) => {
    files.set(path, { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`, modified, expires, version: BigInt(content.generation) });
  };
  put('', Buffer.from(JSON.stringify(testKitView(content, urls), null, 2)), 'application/json', validUntil);
  for (const [name, c] of [['anchor', content.cas.anchor], ['issuing', content.cas.issuing], ['untrusted', content.cas.untrusted]] as const) {
    put(`${name}.cer`, Buffer.from(c.certificate, 'base64'), 'application/pkix-cert');
    put(`${name}.pem`, Buffer.from(toPem(der(c.certificate), 'CERTIFICATE')), 'application/x-pem-file');
    put(`${name}.crl`, Buffer.from(c.crl, 'base64'), 'application/pkix-crl', validUntil);
  }
  for (const c of content.cases) {
    const at = `cases/${c.id}`;
    put(`${at}/certificate.cer`, Buffer.from(c.certificate, 'base64'), 'application/pkix-cert');
    put(`${at}/certificate.pem`, Buffer.from(toPem(der(c.certificate), 'CERTIFICATE')), 'application/x-pem-file');
    put(`${at}/chain.pem`, Buffer.from(c.x5c.map((x) => toPem(der(x), 'CERTIFICATE')).join('')), 'application/x-pem-file');
    put(`${at}/key.pem`, Buffer.from(c.privateKeyPem), 'application/x-pem-file');
    put(`${at}/software-statement.jwt`, Buffer.from(c.softwareStatement), 'application/jwt', validUntil);
  }
  return files;
}

/** How long a loaded kit is served before the database is read again. */
export const TEST_KIT_CACHE_MS = 10_000;
const SIGNED_STATEMENT = /^cases\/([a-z-]+)\/software-statement\.jwt$/;
/** An `aud` a fresh software statement may name: an absolute http(s) URL. */
const AUD = /^https?:\/\/[^\s?#]{1,500}$/;

/** The answer to a GET under a kit: the object, a freshly signed statement, or why not. */
export type TestKitAnswer = { status: 200; object: PublishedObject } | { status: 200; jwt: string } | { status: 400 | 404; detail: string };

/** Every community's test kit as /pki serves it (see the file comment). */
export class TestKitPublication {
  private readonly held = new Map<string, { at: number; kit: LoadedTestKit | null }>();

  constructor(private readonly db: Database, private readonly urls: PublicUrls, private readonly clock: Clock, private readonly cacheMs = TEST_KIT_CACHE_MS) {}

  /** The community's kit, read at most every cacheMs; null when it has none. */
  async load(communityId: string): Promise<LoadedTestKit | null> {
    const now = this.clock.now();
    const held = this.held.get(communityId);
    if (held && now.getTime() - held.at < this.cacheMs) return held.kit;
    const row = await this.db.testKits.find(communityId);
    const kit = row ? this.loaded(row.content as TestKitContent, now) : null;
    if (this.held.size > 1000) this.held.clear();
    this.held.set(communityId, { at: now.getTime(), kit });
    return kit;
  }

  /** Drops what is held of the community's kit (after this process regenerated it). */
  forget(communityId: string): void {
    this.held.delete(communityId);
  }

  /**
   * Answers GET of `path` under the community's kit ('' is the index). `software-statement.jwt` with an
   * `aud` query parameter is signed now with the case's known key, for that registration endpoint.
   */
  async answer(communityId: string, path: string, query: string): Promise<TestKitAnswer> {
    const kit = await this.load(communityId);
    if (!kit) return { status: 404, detail: `community ${communityId} has no test kit` };
    const aud = new URLSearchParams(query).get('aud');
    const m = aud !== null ? SIGNED_STATEMENT.exec(path) : null;
    if (m && aud !== null) {
      const c = kit.content.cases.find((x) => x.id === m[1]);
      if (!c) return { status: 404, detail: `no test case ${m[1]}` };
      if (!AUD.test(aud)) return { status: 400, detail: 'aud must be an absolute http(s) URL of at most 500 characters, without query or fragment' };
      return { status: 200, jwt: await signSoftwareStatement({ iss: c.iss, alg: c.alg, x5c: c.x5c, key: kit.keys.get(c.id)! }, aud, this.clock.now()) };
    }
    const object = kit.files.get(path);
    return object ? { status: 200, object } : { status: 404, detail: `no ${path} in the test kit of community ${communityId}` };
  }

  private loaded(content: TestKitContent, now: Date): LoadedTestKit {
    return {
      content,
      files: testKitFiles(content, this.urls, now),
      keys: new Map(content.cases.map((c) => [c.id, createPrivateKey(c.privateKeyPem)])),
    };
  }
}
