import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { SignerError } from '../errors';
import type { Signer } from '../signer';
import { rejection } from '../testing/rejection';
import { SignerClient } from './client';
import { encodeFrame, FRAME_HEAD_BYTES, FrameReader, readHeader, type Frame } from './framing';
import { MAX_REQUEST_BYTES, SIGNER_OPS, SIGNER_STATUS } from './protocol';
import { SerialJournal } from './serial-journal';
import { startSignerServer, type SignerServer } from './server';
import { openTestSigner, type TestSigner } from '../testing/test-signer';

const frame = (id: number, op: number, header?: object | null, body?: Uint8Array) => Buffer.concat(encodeFrame(id, op, header, body));
const head = (length: number, id: number, op: number) => {
  const b = Buffer.alloc(FRAME_HEAD_BYTES);
  b.writeUInt32BE(length, 0);
  b.writeUInt32BE(id, 4);
  b[8] = op;
  return b;
};

/** Writes `chunks` on a new connection and collects the answers until the signer closes it or `ms` pass. */
function raw(socketPath: string, chunks: Buffer[], ms = 1500): Promise<{ frames: Frame[]; closed: boolean }> {
  return new Promise((resolve) => {
    const frames: Frame[] = [];
    const reader = new FrameReader(1 << 20, (f) => void frames.push(f));
    const s = createConnection(socketPath);
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ frames, closed: false });
    }, ms);
    s.on('data', (c: Buffer) => reader.push(c));
    s.on('error', () => undefined);
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ frames, closed: true });
    });
    for (const c of chunks) s.write(c);
  });
}

const answers = (r: { frames: Frame[] }) => r.frames.map((f) => ({ id: f.id, status: f.code, ...(f.code === SIGNER_STATUS.ok ? {} : { error: readHeader(f).error }) }));
const meta = { purpose: 'certificate', subject: 'spec', profile: 'udap-server' } as const;
const noAudit = { before: async () => undefined, after: async () => undefined };

describe('the signer socket server', () => {
  let t: TestSigner;
  let server: SignerServer;
  let socketPath: string;
  let journal: SerialJournal;
  const token = randomBytes(32);
  const logs: string[] = [];
  let client: SignerClient;

  beforeAll(async () => {
    t = await openTestSigner();
    socketPath = join(t.dir, 'signer.sock');
    journal = SerialJournal.open(join(t.dir, 'signed-serials.log'));
    server = await startSignerServer(t.signer, { socketPath, token, journal, log: (l) => logs.push(l) });
    client = await SignerClient.connect({ socketPath, token });
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
    journal?.close();
    await t?.cleanup();
  });
  beforeEach(() => {
    logs.length = 0;
  });

  const signRequest = (id: number) => frame(id, SIGNER_OPS.sign, { keyRef: t.keyRef, alg: 'sha256WithRSAEncryption', meta }, t.leafTbs());

  it('listens on a socket of mode 0660 and refuses to start while another signer listens there', async () => {
    expect(statSync(socketPath).mode & 0o777).toBe(0o660);
    await expect(startSignerServer(t.signer, { socketPath, token })).rejects.toThrow(/another signer already listens on/);
    expect(await client.publicKey(t.keyRef)).toEqual(t.spki); // the running one is untouched
  });

  it('replaces a stale socket file, and refuses a token shorter than 32 bytes', async () => {
    const stale = join(t.dir, 'stale.sock');
    writeFileSync(stale, '');
    const other = await startSignerServer(t.signer, { socketPath: stale, token });
    await other.close();
    await expect(startSignerServer(t.signer, { socketPath: join(t.dir, 'x.sock'), token: randomBytes(31) })).rejects.toThrow(/at least 32 bytes/);
  });

  it('refuses a connection that does not start with the token, and signs nothing it sent', async () => {
    const before = { ...server.signed };
    const journaled = journal.size;
    const r = await raw(socketPath, [signRequest(1), frame(2, SIGNER_OPS.health)]);
    expect(r.closed).toBe(true);
    expect(answers(r)).toEqual([{ id: 1, status: SIGNER_STATUS.unauthorized, error: 'the signer token is missing or wrong' }]);
    expect(server.signed).toEqual(before);
    expect(journal.size).toBe(journaled);
    expect(logs).toEqual([expect.stringMatching(/^refused a connection without the signer token: its first frame was sign, not auth$/)]);
  });

  it('refuses a wrong token, and reads nothing sent behind it', async () => {
    const before = { ...server.signed };
    for (const wrong of [Buffer.alloc(32, 7), Buffer.alloc(0), Buffer.concat([token, Buffer.from([0])]), token.subarray(0, 31)]) {
      const r = await raw(socketPath, [frame(1, SIGNER_OPS.auth, null, wrong), signRequest(2)]);
      expect(r.closed).toBe(true);
      expect(answers(r)).toEqual([{ id: 1, status: SIGNER_STATUS.unauthorized, error: 'the signer token is missing or wrong' }]);
    }
    expect(server.signed).toEqual(before);
    expect(logs).toHaveLength(4);
    expect(logs[0]).toMatch(/^refused a connection without the signer token: a wrong token$/);
    const refused = await rejection(SignerClient.connect({ socketPath, token: Buffer.alloc(32, 7) }));
    expect(refused).toBeInstanceOf(SignerError);
    expect(refused.message).toBe('signer: the signer token is missing or wrong');
  });

  it('buffers no large frame before the token: a first frame over 4 KiB is refused from its head', async () => {
    const r = await raw(socketPath, [head(4097, 1, SIGNER_OPS.auth)]);
    expect(r.closed).toBe(true);
    expect(answers(r)).toEqual([{ id: 1, status: SIGNER_STATUS.unauthorized, error: 'the signer token is missing or wrong' }]);
    expect(logs[0]).toMatch(/refused a connection without the signer token: frame of 4097 bytes is over the limit of 4096/);
  });

  it('signs for a connection that starts with the token, answering each request by its id', async () => {
    const tbs = t.leafTbs();
    const r = await raw(socketPath, [
      frame(10, SIGNER_OPS.auth, null, token),
      frame(11, SIGNER_OPS.sign, { keyRef: t.keyRef, alg: 'sha256WithRSAEncryption', meta }, tbs),
      frame(12, SIGNER_OPS.health),
    ], 500);
    expect(r.closed).toBe(false);
    expect(answers(r).sort((a, b) => a.id - b.id)).toEqual([10, 11, 12].map((id) => ({ id, status: SIGNER_STATUS.ok })));
    const signature = r.frames.find((f) => f.id === 11)!.body;
    expect(verify('sha256', tbs, createPublicKey({ key: Buffer.from(t.spki), format: 'der', type: 'spki' }), signature)).toBe(true);
    expect(readHeader(r.frames.find((f) => f.id === 12)!)).toEqual({ ok: true, backends: ['software'], auditKey: false });
  });

  it('closes a connection that sends a frame over MAX_REQUEST_BYTES, answering it bad request', async () => {
    const r = await raw(socketPath, [frame(1, SIGNER_OPS.auth, null, token), head(MAX_REQUEST_BYTES + 1, 2, SIGNER_OPS.sign)]);
    expect(r.closed).toBe(true);
    expect(answers(r)).toEqual([{ id: 1, status: SIGNER_STATUS.ok }, { id: 2, status: SIGNER_STATUS.badRequest, error: `frame of ${MAX_REQUEST_BYTES + 1} bytes is over the limit of ${MAX_REQUEST_BYTES}` }]);
  });

  it('answers malformed requests bad request with the reason, and the client throws it as a SignerError', async () => {
    const before = { ...server.signed };
    const sign = (keyRef: string, alg: string, m: unknown, tbs = t.leafTbs()) => client.signTbs(keyRef, tbs, alg as never, noAudit, m as never);
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => sign(t.keyRef, 'md5', meta), /^signer: alg must be one of sha256WithRSAEncryption, /],
      [() => sign(t.keyRef, 'sha256WithRSAEncryption', 'certificate'), /^signer: meta is required$/],
      [() => sign('', 'sha256WithRSAEncryption', meta), /^signer: keyRef must be a string of 1 to 2048 characters$/],
      [() => sign('x'.repeat(2049), 'sha256WithRSAEncryption', meta), /^signer: keyRef must be a string of 1 to 2048 characters$/],
      [() => sign(t.keyRef, 'sha256WithRSAEncryption', meta, new Uint8Array(0)), /^signer: the TBS \(the body\) is required$/],
      [() => client.generateKey('hsm' as never, 'RSA-2048', 'x'), /^signer: backend must be software or pkcs11$/],
      [() => client.generateKey('software', 'RSA-1024' as never, 'x'), /^signer: keyType must be one of /],
      [() => client.generateKey('software', 'RSA-2048', 'x'.repeat(201)), /^signer: label must be a string of 1 to 200 characters$/],
      [() => client.publicKey(42 as never), /^signer: keyRef must be a string/],
    ];
    for (const [call, message] of cases) {
      const err = await rejection(call());
      expect(err).toBeInstanceOf(SignerError);
      expect(err.message).toMatch(message);
    }
    const signHeader = { keyRef: t.keyRef, alg: 'sha256WithRSAEncryption' };
    const r = await raw(socketPath, [
      frame(1, SIGNER_OPS.auth, null, token), frame(2, 99), Buffer.concat([head(5 + 2 + 1, 3, SIGNER_OPS.health), Buffer.from([0, 1, 0x7b])]),
      frame(4, SIGNER_OPS.health, null, Buffer.from('x')), frame(5, SIGNER_OPS.sign, signHeader, t.leafTbs()), frame(6, SIGNER_OPS.sign, { ...signHeader, meta: [] }, t.leafTbs()),
      frame(7, SIGNER_OPS.sign, null, t.leafTbs()), frame(8, SIGNER_OPS.auth, null, token),
    ], 500);
    expect(answers(r).sort((a, b) => a.id - b.id)).toEqual([
      { id: 1, status: SIGNER_STATUS.ok },
      { id: 2, status: SIGNER_STATUS.badRequest, error: 'no operation 99' },
      { id: 3, status: SIGNER_STATUS.badRequest, error: 'the frame header is not JSON' },
      { id: 4, status: SIGNER_STATUS.badRequest, error: 'this operation takes no body' },
      { id: 5, status: SIGNER_STATUS.badRequest, error: 'meta is required' },
      { id: 6, status: SIGNER_STATUS.badRequest, error: 'meta is required' },
      { id: 7, status: SIGNER_STATUS.badRequest, error: 'keyRef must be a string of 1 to 2048 characters' },
      { id: 8, status: SIGNER_STATUS.badRequest, error: 'this connection has presented the token already' },
    ]);
    expect(server.signed).toEqual(before);
  });

  it('relays the signer\'s refusals with their message and logs them', async () => {
    const err = await rejection(client.signTbs(t.keyRef, t.leafTbs(), 'sha256WithRSAEncryption', noAudit, { purpose: 'crl', subject: 'x' }));
    expect(err).toBeInstanceOf(SignerError);
    expect(err.message).toMatch(/^signer: refusing to sign: the TBSCertList does not parse/);
    expect(logs).toEqual([expect.stringMatching(/^sign: refusing to sign: the TBSCertList does not parse/)]);
    await expect(client.signTbs(t.keyRef, t.leafTbs(), 'sha256WithRSAEncryption', noAudit, { purpose: 'certificate', subject: 'x', profile: 'issuing' })).rejects.toThrow(/^signer: refusing to sign: the certificate fails the issuing profile lint/);
    await expect(client.publicKey('soft:0000')).rejects.toThrow(/^signer: /);
  });

  it('signs a certificate serial once per key: the same TBS again, never another TBS with that serial', async () => {
    const serial = randomBytes(16);
    serial[0] = 0x41;
    const tbs = t.leafTbs({ serial });
    const before = server.signed.certificate;
    await client.signTbs(t.keyRef, tbs, 'sha256WithRSAEncryption', noAudit, meta);
    await client.signTbs(t.keyRef, tbs, 'sha256WithRSAEncryption', noAudit, meta); // a retry of the same intent
    const other = t.leafTbs({ serial, days: 364 });
    await expect(client.signTbs(t.keyRef, other, 'sha256WithRSAEncryption', noAudit, meta)).rejects.toThrow(/^signer: refusing to sign: serial [0-9a-f]+ was signed by this key for another certificate/);
    expect(server.signed.certificate).toBe(before + 2);
  });

  it('answers any other failure with a pointer to its log, where the error is', async () => {
    const broken = { backendKinds: [], hasAuditKey: false, publicKey: async () => { throw new TypeError('backend exploded'); } } as unknown as Signer;
    const path = join(t.dir, 'broken.sock');
    const seen: string[] = [];
    const other = await startSignerServer(broken, { socketPath: path, token, log: (l) => seen.push(l) });
    const c = await SignerClient.connect({ socketPath: path, token });
    try {
      const err = await rejection(c.publicKey('soft:1'));
      expect(err).toBeInstanceOf(SignerError);
      expect(err.message).toBe('signer: the signer failed; see its log');
      expect(seen).toEqual([expect.stringMatching(/^publicKey: TypeError: backend exploded\n/)]);
    } finally {
      await c.close();
      await other.close();
    }
  });
});
