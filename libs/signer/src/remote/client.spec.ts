import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { SignerError } from '../errors';
import type { Signer } from '../signer';
import { rejection } from '../testing/rejection';
import type { SignatureAuditEvent } from '../types';
import { SignerClient } from './client';
import { startSignerServer, type SignerServer } from './server';
import { openTestSigner, type TestSigner } from '../testing/test-signer';

const meta = { purpose: 'certificate', subject: 'spec', profile: 'udap-server' } as const;
const noAudit = { before: async () => undefined, after: async () => undefined };

async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A Unix-socket relay in front of the signer: counts the connections it carries and can cut them all. */
async function relay(target: string, path: string) {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((down) => {
    accepted += 1;
    const up = createConnection(target);
    const drop = () => {
      for (const s of [down, up]) {
        s.destroy();
        sockets.delete(s);
      }
    };
    for (const s of [down, up]) {
      sockets.add(s);
      s.on('error', drop).on('close', drop);
    }
    down.pipe(up);
    up.pipe(down);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    path,
    get accepted() { return accepted; },
    cut: () => { for (const s of sockets) s.destroy(); },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** `t.signer`, except that signTbs holds while the gate is shut; counts the calls that reached it. */
function gated(t: TestSigner) {
  let release: (() => void) | null = null;
  let gate: Promise<void> | null = null;
  const state = { arrived: 0 };
  const signer = Object.create(t.signer) as Signer;
  signer.signTbs = async (...args: Parameters<Signer['signTbs']>) => {
    state.arrived += 1;
    if (gate) await gate;
    return t.signer.signTbs(...args);
  };
  return {
    signer, state,
    shut: () => {
      state.arrived = 0;
      gate = new Promise((r) => (release = r));
    },
    open: () => {
      release?.();
      gate = null;
    },
  };
}

describe('SignerClient over the signer socket', () => {
  let t: TestSigner;
  let g: ReturnType<typeof gated>;
  let server: SignerServer;
  let r: Awaited<ReturnType<typeof relay>>;
  let client: SignerClient;
  const token = randomBytes(32);
  const pub = () => createPublicKey({ key: Buffer.from(t.spki), format: 'der', type: 'spki' });

  beforeAll(async () => {
    t = await openTestSigner();
    g = gated(t);
    server = await startSignerServer(g.signer, { socketPath: join(t.dir, 'signer.sock'), token });
    r = await relay(server.socketPath, join(t.dir, 'relay.sock'));
    client = await SignerClient.connect({ socketPath: r.path, token });
  });
  afterAll(async () => {
    g?.open();
    await client?.close();
    await r?.close();
    await server?.close();
    await t?.cleanup();
  });
  afterEach(() => g.open());

  it('carries 200 concurrent signatures over at most 4 connections, each answer matched to its request', async () => {
    const before = server.signed.certificate;
    const accepted = r.accepted;
    const tbss = Array.from({ length: 200 }, () => t.leafTbs());
    const events: SignatureAuditEvent[] = [];
    const audit = { before: async (e: SignatureAuditEvent) => void events.push(e), after: async (e: SignatureAuditEvent) => void events.push(e) };
    const signatures = await Promise.all(tbss.map((tbs, i) => client.signTbs(t.keyRef, tbs, 'sha256WithRSAEncryption', audit, { ...meta, subject: `spec:${i}` })));
    const key = pub();
    signatures.forEach((sig, i) => {
      expect(sig).toBeInstanceOf(Uint8Array);
      expect(verify('sha256', tbss[i], key, sig)).toBe(true);
      expect(verify('sha256', tbss[(i + 1) % tbss.length], key, sig)).toBe(false);
    });
    expect(server.signed.certificate).toBe(before + 200);
    expect(r.accepted - accepted).toBeLessThanOrEqual(4);
    const after = events.find((e) => e.subject === 'spec:7' && e.signatureSha256);
    expect(after).toMatchObject({ tbsSha256: createHash('sha256').update(tbss[7]).digest('hex'), signatureSha256: createHash('sha256').update(signatures[7]).digest('hex') });
  });

  it('fails the requests in flight on a dropped connection with SignerError, and reconnects for the next call', async () => {
    g.shut();
    const calls = Array.from({ length: 6 }, () => rejection(client.signTbs(t.keyRef, t.leafTbs(), 'sha256WithRSAEncryption', noAudit, meta)));
    await until(() => g.state.arrived === 6, 'the signs to reach the signer');
    const accepted = r.accepted;
    r.cut();
    for (const err of await Promise.all(calls)) {
      expect(err).toBeInstanceOf(SignerError);
      expect(err.message).toMatch(/^the signer process at .*relay\.sock is unreachable: /);
    }
    g.open();
    const tbs = t.leafTbs();
    expect(verify('sha256', tbs, pub(), await client.signTbs(t.keyRef, tbs, 'sha256WithRSAEncryption', noAudit, meta))).toBe(true);
    expect(r.accepted).toBe(accepted + 1);
  });

  it('fails a request unanswered within timeoutMs with SignerError, and goes on using the connection', async () => {
    const quick = await SignerClient.connect({ socketPath: r.path, token, timeoutMs: 300, connections: 1 });
    try {
      g.shut();
      const late = rejection(quick.signTbs(t.keyRef, t.leafTbs(), 'sha256WithRSAEncryption', noAudit, meta));
      await until(() => g.state.arrived === 1, 'the sign to reach the signer');
      expect(await quick.publicKey(t.keyRef)).toEqual(t.spki); // answered meanwhile on the same connection
      const err = await late;
      expect(err).toBeInstanceOf(SignerError);
      expect(err.message).toMatch(/did not answer sign within 300 ms$/);
      const accepted = r.accepted;
      g.open();
      await new Promise((resolve) => setTimeout(resolve, 100)); // the late answer arrives and is dropped
      const tbs = t.leafTbs();
      expect(verify('sha256', tbs, pub(), await quick.signTbs(t.keyRef, tbs, 'sha256WithRSAEncryption', noAudit, meta))).toBe(true);
      expect(r.accepted).toBe(accepted);
    } finally {
      await quick.close();
    }
  });

  it('fails what is in flight on close(), and every later call', async () => {
    const c = await SignerClient.connect({ socketPath: r.path, token });
    g.shut();
    const inFlight = rejection(c.signTbs(t.keyRef, t.leafTbs(), 'sha256WithRSAEncryption', noAudit, meta));
    await until(() => g.state.arrived === 1, 'the sign to reach the signer');
    await c.close();
    expect(await inFlight).toBeInstanceOf(SignerError);
    await expect(c.publicKey(t.keyRef)).rejects.toThrow(/the signer client is closed/);
  });

  it('names the socket when the signer is down, and signs again once it is back', async () => {
    const path = join(t.dir, 'restart.sock');
    const down = await rejection(SignerClient.connect({ socketPath: path, token }));
    expect(down).toBeInstanceOf(SignerError);
    expect(down.message).toMatch(/^the signer process at .*restart\.sock is unreachable: connect ENOENT/);

    let s = await startSignerServer(g.signer, { socketPath: path, token });
    const c = await SignerClient.connect({ socketPath: path, token });
    try {
      await s.close();
      const err = await rejection(c.signTbs(t.keyRef, t.leafTbs(), 'sha256WithRSAEncryption', noAudit, meta));
      expect(err).toBeInstanceOf(SignerError);
      expect(err.message).toMatch(/^the signer process at .*restart\.sock is unreachable/);
      s = await startSignerServer(g.signer, { socketPath: path, token });
      const tbs = t.leafTbs();
      expect(verify('sha256', tbs, pub(), await c.signTbs(t.keyRef, tbs, 'sha256WithRSAEncryption', noAudit, meta))).toBe(true);
    } finally {
      await c.close();
      await s.close();
    }
  });

  it('closes the server only once the requests in flight are answered', async () => {
    const s = await startSignerServer(g.signer, { socketPath: join(t.dir, 'closing.sock'), token });
    const c = await SignerClient.connect({ socketPath: s.socketPath, token });
    try {
      g.shut();
      const tbs = t.leafTbs();
      const signing = c.signTbs(t.keyRef, tbs, 'sha256WithRSAEncryption', noAudit, meta);
      await until(() => g.state.arrived === 1, 'the sign to reach the signer');
      let closed = false;
      const closing = s.close().then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(closed).toBe(false);
      g.open();
      expect(verify('sha256', tbs, pub(), await signing)).toBe(true);
      await closing;
      expect(s.signed.certificate).toBe(1);
    } finally {
      await c.close();
    }
  });
});
