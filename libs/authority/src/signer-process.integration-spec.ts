import { randomUUID } from 'node:crypto';
import { createConnection } from 'node:net';
import { linkAuditChain } from './audit-sequencer';
import { createAuditCheckpoint } from './create-audit-checkpoint';
import { createCommunity } from './create-community';
import { createOrganization } from './create-organization';
import type { Actor } from './deps';
import { generateCrl } from './generate-crl';
import { issueCertificate } from './issue-certificate';
import { openPlatform, type Platform } from './platform';
import { revokeCertificate } from './revoke-certificate';
import { verifyAuditChain } from './verify-audit';
import { createPlatformCertifier, defineCertificationTemplate, issueCertification } from './certifications';
import { communityTrust } from './community-trust';
import { verifyUdapJwt } from '@anchorage/udap';
import { splitSigned } from '@anchorage/pki';
import { encodeFrame, FrameReader, loadKeyFile, readHeader, SIGNER_OPS, SIGNER_STATUS, SignerClient, type SignatureAudit } from '@anchorage/signer';
import { isolatedPlatformOptions, opensslCsr, opensslVerify, startSignerProcess, tempDir, type IsolatedPlatformOptions, type SignerProcess } from '@anchorage/testing';

const operator: Actor = { id: 'signer-process-operator', role: 'operator' };
const noAudit: SignatureAudit = { before: async () => undefined, after: async () => undefined };

/** Frames written on a fresh connection to the signer's socket; the answers (status, header) until it closes or `count` came. */
function raw(socketPath: string, frames: Buffer[], count = 1): Promise<{ status: number; header: Record<string, unknown> }[]> {
  return new Promise((resolve, reject) => {
    const answers: { status: number; header: Record<string, unknown> }[] = [];
    const s = createConnection(socketPath);
    const done = () => { s.destroy(); resolve(answers); };
    const reader = new FrameReader(1 << 20, (f) => {
      answers.push({ status: f.code, header: readHeader(f) });
      if (answers.length === count) done();
    });
    s.on('data', (c: Buffer) => reader.push(c));
    // the signer answers a refused client and closes: a write still on its way then fails with EPIPE or
    // ECONNRESET, which ends the exchange like the close (the answers read so far are what is checked)
    s.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? done() : reject(e)));
    s.on('close', done);
    // one write: every frame is in the signer's receive buffer before it answers the first, so no write of
    // ours can meet the closed socket and end the exchange before the answer already sent is read
    s.write(Buffer.concat(frames));
  });
}
const frame = (id: number, op: number, header?: object | null, body?: Uint8Array) => Buffer.concat(encodeFrame(id, op, header, body));

// The platform with its CA keys in the signer process (apps/signer): this test's process holds no KEK
// and no key file, and everything it signs goes over the socket, where the signer checks it first.
/** `tbs` with its notAfter one second off: still lint-clean, another certificate with the same serial. */
function otherCertificateSameSerial(tbs: Uint8Array): Uint8Array {
  const text = Buffer.from(tbs).toString('latin1');
  // Validity ::= SEQUENCE { notBefore, notAfter }, each UTCTime (0x17, 13 bytes) or GeneralizedTime (0x18, 15 bytes)
  const m = /\x30[\x1e-\x22](?:\x17\x0d\d{12}Z|\x18\x0f\d{14}Z)(\x17\x0d\d{12}Z|\x18\x0f\d{14}Z)/.exec(text);
  if (!m) throw new Error('no Validity found in the TBS');
  const seconds = m.index + m[0].length - 2; // the last digit of notAfter's seconds
  const out = Uint8Array.from(tbs);
  out[seconds] = out[seconds] === 0x30 ? 0x31 : out[seconds] - 1;
  return out;
}

// A database of its own: it signs an audit checkpoint with this signer's audit key, which every other
// test's verification in the shared database would find signed by a key that is not theirs.
describe('the signer process', () => {
  let opts: IsolatedPlatformOptions;
  const dir = tempDir('anchorage-signer-test-');
  const host = `s${randomUUID().slice(0, 8)}.example.org`;
  const sanUri = `https://${host}/fhir`;
  let signer: SignerProcess;
  let p: Platform;

  beforeAll(async () => {
    opts = await isolatedPlatformOptions();
    signer = await startSignerProcess(opts);
    p = await openPlatform({ ...opts, kekFile: null, signer: { socketPath: signer.socketPath, tokenFile: signer.tokenFile } });
  }, 60_000);
  afterAll(async () => {
    await p?.close();
    await signer?.stop();
    await opts?.drop();
  });

  it('creates a community, issues, revokes and publishes through it, and OpenSSL verifies the results', async () => {
    const c = await createCommunity(p, { name: 'Signer Process', uri: `udap://${host}/`, caKeyType: 'RSA-2048' }, operator);
    const org = await createOrganization(p, { communityId: c.community.id, name: 'Signer Org', sanUris: [sanUri] }, operator);
    const csr = opensslCsr(dir, { rsaBits: 2048, sans: [sanUri] });
    const issued = await issueCertificate(p, { organizationId: org.id, profile: 'udap-server', csr: csr.csrPem }, operator);
    const rootCrl = (await generateCrl(p, c.root.id, operator)).crl.der!;
    const verify = (crl: Uint8Array) => opensslVerify(dir, {
      anchors: [c.root.certificateDer!], intermediates: [c.issuing.certificateDer!], crls: [rootCrl, crl], leaf: issued.certificate.der!,
    });
    expect(verify((await generateCrl(p, c.issuing.id, operator)).crl.der!).status).toBe(0);

    const revoked = await revokeCertificate(p, { certificate: { certificateId: issued.certificate.id }, reason: 'keyCompromise' }, operator);
    const after = verify(revoked.crl.der!);
    expect(after.status).not.toBe(0);
    expect(after.stdout + after.stderr).toMatch(/certificate revoked/);

    // the audit key is the signer's too: a checkpoint signed over the socket verifies against the chain
    await linkAuditChain(p);
    expect(p.signer.hasAuditKey).toBe(true);
    expect((await createAuditCheckpoint(p)).action).toBe('created');
    expect(await verifyAuditChain(p)).toMatchObject({ ok: true, checkpoints: [{ source: 'stored' }] });
  });

  it('refuses a client without the token, and signs nothing that is not what it claims to be for its key', async () => {
    const refused = [{ status: SIGNER_STATUS.unauthorized, header: { error: 'the signer token is missing or wrong' } }];
    expect(await raw(signer.socketPath, [frame(1, SIGNER_OPS.health)])).toEqual(refused);
    expect(await raw(signer.socketPath, [frame(1, SIGNER_OPS.auth, null, Buffer.alloc(32, 7)), frame(2, SIGNER_OPS.health)])).toEqual(refused);
    const token = await loadKeyFile(signer.tokenFile, 'signer token');
    const authed = await raw(signer.socketPath, [
      frame(1, SIGNER_OPS.auth, null, token), frame(2, SIGNER_OPS.health), frame(3, SIGNER_OPS.sign, { keyRef: 'soft:x', alg: 'md5', meta: {} }, Buffer.from([0x30, 0x00])),
    ], 3);
    expect(authed).toContainEqual({ status: SIGNER_STATUS.ok, header: { ok: true, backends: ['software'], auditKey: true } });
    expect(authed).toContainEqual({ status: SIGNER_STATUS.badRequest, header: { error: expect.stringMatching(/^alg must be one of/) } });

    const c = await createCommunity(p, { name: 'Signer Refusals', uri: `udap://r.${host}/`, caKeyType: 'RSA-2048' }, operator);
    const org = await createOrganization(p, { communityId: c.community.id, name: 'Refusal Org', sanUris: [`https://r.${host}/fhir`] }, operator);
    const leaf = await issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr: opensslCsr(dir, { rsaBits: 2048, sans: [`https://r.${host}/fhir`] }).csrPem }, operator);
    const leafTbs = splitSigned(leaf.certificate.der!).tbs;
    const crlTbs = splitSigned((await generateCrl(p, c.issuing.id, operator)).crl.der!).tbs;
    const client = await SignerClient.connect({ socketPath: signer.socketPath, token: await loadKeyFile(signer.tokenFile, 'signer token') });
    try {
      const sign = (keyRef: string, tbs: Uint8Array, meta: Parameters<SignerClient['signTbs']>[4]) => client.signTbs(keyRef, tbs, 'sha256WithRSAEncryption', noAudit, meta);
      // the legitimate request signs again (a retry of a recorded intent gets the same certificate)
      await expect(sign(c.issuing.keyRef, leafTbs, { purpose: 'certificate', subject: 'again', profile: 'udap-client' })).resolves.toBeInstanceOf(Uint8Array);
      // another certificate with that serial (the same TBS, notAfter one second off) is refused
      const other = otherCertificateSameSerial(leafTbs);
      expect(Buffer.from(other).equals(Buffer.from(leafTbs))).toBe(false);
      await expect(sign(c.issuing.keyRef, other, { purpose: 'certificate', subject: 'x', profile: 'udap-client' })).rejects.toThrow(/refusing to sign: serial [0-9a-f]+ was signed by this key for another certificate/);
      // another CA's key: the TBS names the issuing CA as its issuer
      await expect(sign(c.root.keyRef, leafTbs, { purpose: 'certificate', subject: 'x', profile: 'udap-client' })).rejects.toThrow(/refusing to sign: the certificate fails the udap-client profile lint: .*authority/i);
      // a leaf passed off as a CA certificate, or with no profile at all
      await expect(sign(c.issuing.keyRef, leafTbs, { purpose: 'certificate', subject: 'x', profile: 'issuing' })).rejects.toThrow(/refusing to sign: the certificate fails the issuing profile lint/);
      await expect(sign(c.issuing.keyRef, leafTbs, { purpose: 'certificate', subject: 'x' })).rejects.toThrow(/refusing to sign: a certificate needs its profile/);
      // a certificate passed off as a CRL, and a CRL of another CA
      await expect(sign(c.issuing.keyRef, leafTbs, { purpose: 'crl', subject: 'x' })).rejects.toThrow(/refusing to sign: the TBSCertList does not parse/);
      await expect(sign(c.root.keyRef, crlTbs, { purpose: 'crl', subject: 'x' })).rejects.toThrow(/refusing to sign: the CRL's authorityKeyIdentifier does not name this key/);
      await expect(sign(c.issuing.keyRef, crlTbs, { purpose: 'csr', subject: 'x' })).rejects.toThrow(/refusing to sign: (the CertificationRequestInfo does not parse|a CSR must be for the key that signs it)/);
      await expect(sign(c.issuing.keyRef, new Uint8Array([0x30, 0x00]), { purpose: 'certificate', subject: 'x', profile: 'udap-client' })).rejects.toThrow(/refusing to sign/);
    } finally {
      await client.close();
    }
  });

  it('holds a platform certifier\'s key and signs its certifications over the socket, but no certification with a CA key', async () => {
    const c = await createCommunity(p, { name: 'Signer Certifications', uri: `udap://cert.${host}/`, caKeyType: 'RSA-2048' }, operator);
    const certifierUri = `https://certifier.cert.${host}/udap`;
    const appUri = `https://app.cert.${host}/client`;
    const certifierOrg = await createOrganization(p, { communityId: c.community.id, name: 'Certifier Org', sanUris: [certifierUri] }, operator);
    const appOrg = await createOrganization(p, { communityId: c.community.id, name: 'App Org', sanUris: [appUri] }, operator);
    await issueCertificate(p, { organizationId: appOrg.id, profile: 'udap-client', csr: opensslCsr(dir, { rsaBits: 2048, sans: [appUri] }).csrPem }, operator);
    const template = await defineCertificationTemplate(p, { communityId: c.community.id, builtIn: 'tefca-basic-app' }, operator);
    const certifier = await createPlatformCertifier(p, { organizationId: certifierOrg.id, sanUri: certifierUri }, operator);
    const issued = await issueCertification(p, { certifierId: certifier.certifier.id, templateId: template.id, organizationId: appOrg.id, sub: appUri, grantTypes: ['client_credentials'] }, operator);
    const verdict = await verifyUdapJwt(issued.jwt, (await communityTrust(p, c.community.id)).trust, { kind: 'certification', now: new Date(), expected: { sub: appUri } });
    expect(verdict.findings).toEqual([]);
    // the same signing input with the issuing CA's key: refused by the signer process
    const signingInput = new Uint8Array(Buffer.from(issued.jwt.slice(0, issued.jwt.lastIndexOf('.')), 'latin1'));
    await expect(p.signer.signTbs(c.issuing.keyRef, signingInput, 'sha256WithRSAEncryption', noAudit, { purpose: 'certification', subject: 'x' }))
      .rejects.toThrow(/refusing to sign: x5c\[0\] does not certify the key asked to sign/);
  });
});

