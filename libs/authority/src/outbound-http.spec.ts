import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { openssl, tempDir } from '@anchorage/testing';
import { OutboundError, OutboundGuard, type OutboundRequest } from './outbound-http';

const SECRET_BODY = 'internal-admin-panel secret=hunter2';

/** A listener on 127.0.0.1 that counts the TCP connections it accepts. */
interface Counted<S> {
  server: S;
  port: number;
  connections: number;
  sockets: Set<Socket>;
}

async function listen<S extends HttpServer | HttpsServer | TcpServer>(server: S): Promise<Counted<S>> {
  const c: Counted<S> = { server, port: 0, connections: 0, sockets: new Set() };
  server.on('connection', (s: Socket) => {
    c.connections += 1;
    c.sockets.add(s);
    s.on('close', () => c.sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  c.port = (server.address() as AddressInfo).port;
  return c;
}

async function close(c: Counted<HttpServer | HttpsServer | TcpServer> | undefined): Promise<void> {
  if (!c) return;
  const closed = new Promise<void>((r) => c.server.close(() => r()));
  for (const s of c.sockets) s.destroy();
  await closed;
}

const get = (url: string, o: Partial<OutboundRequest> = {}): OutboundRequest => ({ method: 'GET', url, headers: {}, timeoutMs: 5000, maxBytes: 1024, ...o });

/** The error `p` rejects with (the test fails if it resolves). */
async function refusal(p: Promise<unknown>): Promise<OutboundError> {
  const err = await p.then(() => new Error('expected a refusal'), (e: unknown) => e);
  expect(err).toBeInstanceOf(OutboundError);
  return err as OutboundError;
}

describe('outbound guard against real listeners on 127.0.0.1', () => {
  let http: Counted<HttpServer>;
  let https: Counted<HttpsServer>;
  let garbage: Counted<TcpServer>;
  let silent: Counted<TcpServer>;
  let closedPort = 0;
  const sni: string[] = [];
  const received: { url: string; host: string }[] = [];

  beforeAll(async () => {
    const dir = tempDir('anchorage-outbound-');
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    const r = openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
      '-subj', '/CN=member.test', '-addext', 'subjectAltName=DNS:member.test,IP:127.0.0.1']);
    if (r.status !== 0) throw new Error(r.stderr);
    const tls = { key: readFileSync(key), cert: readFileSync(cert) };
    const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      received.push({ url: req.url ?? '', host: req.headers.host ?? '' });
      if (req.url === '/moved') res.writeHead(302, { location: '/elsewhere' }).end();
      else if (req.url === '/error') res.writeHead(500).end(SECRET_BODY);
      else if (req.url === '/big') res.end(`${SECRET_BODY}${'x'.repeat(5000)}`);
      else res.end('hello');
    };
    http = await listen(createHttpServer(handler));
    https = await listen(createHttpsServer({ ...tls, SNICallback: (name, cb) => { sni.push(name); cb(null, createSecureContext(tls)); } }, handler));
    garbage = await listen(createTcpServer((s) => s.end('XYZZY ECONNREFUSED-lookalike\r\n\r\n')));
    silent = await listen(createTcpServer(() => undefined));
    const gone = await listen(createTcpServer());
    closedPort = gone.port;
    await close(gone);
  });
  afterAll(async () => {
    for (const s of [silent, garbage, https, http]) await close(s);
  });

  it('is a real test: these notations do reach a listener on 127.0.0.1 when nothing guards them', async () => {
    const before = http.connections;
    for (const host of ['::ffff:7f00:1', '::ffff:127.0.0.1', '0.0.0.0']) {
      await new Promise<void>((resolve, reject) => {
        const s = connect({ host, port: http.port }, () => { s.end(); resolve(); });
        s.on('error', reject);
      });
    }
    await waitFor(() => http.connections === before + 3);
    // and a deployment that allows private networks does connect, through the same guard
    const lax = new OutboundGuard({ allowInsecure: true });
    expect(await lax.request(get(`http://[::ffff:7f00:1]:${http.port}/x`))).toEqual({ status: 200, body: 'hello' });
  });

  it('refuses every notation of a non-public address before connecting, in production mode', async () => {
    const log: string[] = [];
    const strict = new OutboundGuard({ allowInsecure: false, log: (l) => log.push(l) });
    const hosts = [
      '127.0.0.1', '127.0.0.1.', '127.1', '127.0.1', '2130706433', '0177.0.0.1', '0x7f.0.0.1', '0x7f000001', '017700000001', '0x7F.1',
      '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[0:0:0:0:0:ffff:7f00:1]', '[::7f00:1]', '[::127.0.0.1]',
      '[64:ff9b::7f00:1]', '[64:ff9b::127.0.0.1]', '[64:ff9b:1::7f00:1]', '[2002:7f00:1::]', '[2001:0:7f00:1::1]',
      '0.0.0.0', '0', '[::]', '[::1]', 'localhost', '[fe80::1]', '[fc00::1]', '[fec0::1]', '[ff02::1]', '[100::1]',
      '169.254.169.254', '[::ffff:a9fe:a9fe]', '10.0.0.1', '192.168.1.1', '172.16.0.1', '100.64.0.1', '192.0.0.1', '192.0.2.1', '198.51.100.1',
      '203.0.113.1', '198.18.0.1', '224.0.0.1', '240.0.0.1', '255.255.255.255', '[2001:db8::1]', '[3fff::1]',
    ];
    const before = [http.connections, https.connections];
    const from = received.length;
    for (const listener of [https, http]) {
      for (const host of hosts) {
        const err = await refusal(strict.request(get(`https://${host}:${listener.port}/.well-known/anchorage-endpoint-check?x=1`)));
        expect([host, err.code]).toEqual([host, 'non-public-address']);
      }
    }
    // plain http is refused first, whatever the address
    expect((await refusal(strict.request(get(`http://[::ffff:7f00:1]:${http.port}/`)))).code).toBe('not-https');
    expect([http.connections, https.connections]).toEqual(before);
    expect(received.slice(from)).toEqual([]);
    expect(log.join('\n')).toMatch(/\[::ffff:7f00:1\]:\d+ is ::ffff:7f00:1 \(loopback, ipv4-mapped 127\.0\.0\.1\)/);
  });

  it('refuses a name when any of its addresses is not public, without connecting', async () => {
    const answers: Record<string, string[]> = {
      'mixed.test': ['93.184.216.34', '127.0.0.1'], 'mapped.test': ['::ffff:7f00:1'], 'nat64.test': ['64:ff9b::7f00:1'], 'metadata.test': ['169.254.169.254'],
    };
    const resolve = async (host: string) => (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    const strict = new OutboundGuard({ allowInsecure: false, resolve });
    const before = [http.connections, https.connections];
    for (const name of Object.keys(answers)) {
      expect([name, (await refusal(strict.request(get(`https://${name}:${https.port}/`)))).code]).toEqual([name, 'non-public-address']);
    }
    expect((await refusal(strict.request(get(`https://nothing.test:${https.port}/`)))).code).toBe('dns-failure');
    expect([http.connections, https.connections]).toEqual(before);
  });

  it('accepts public addresses in every notation without touching the network', () => {
    const strict = new OutboundGuard({ allowInsecure: false });
    for (const url of ['https://8.8.8.8/x', 'https://134744072/x', 'https://[2606:4700::1]/x', 'https://[::ffff:8.8.8.8]/x', 'https://[::ffff:808:808]/x', 'https://[64:ff9b::808:808]/x', 'https://example.org/x']) {
      expect(strict.checkUrl(url).protocol).toBe('https:');
    }
    for (const a of ['8.8.8.8', '2606:4700::1', '::ffff:8.8.8.8', '2a00:1450:4001::200e']) expect([a, strict.allows(a)]).toEqual([a, true]);
  });

  it('still refuses link-local, unspecified, multicast and reserved addresses where private networks are allowed', async () => {
    const lax = new OutboundGuard({ allowInsecure: true, resolve: async () => [{ address: '169.254.169.254', family: 4 }] });
    const before = http.connections;
    for (const host of ['0.0.0.0', '0', '[::]', '[::ffff:0.0.0.0]', '169.254.169.254', '[::ffff:a9fe:a9fe]', '[fe80::1]', '224.0.0.1', '255.255.255.255', 'metadata.test']) {
      expect([host, (await refusal(lax.request(get(`http://${host}:${http.port}/`)))).code]).toEqual([host, 'non-public-address']);
    }
    expect(http.connections).toBe(before);
    for (const a of ['127.0.0.1', '::1', '::ffff:7f00:1', '10.1.2.3', '192.168.0.1', 'fd00::1', '8.8.8.8']) expect([a, lax.allows(a)]).toEqual([a, true]);
  });

  it('connects to the checked address only: the socket\'s lookup is answered from it, over http and https', async () => {
    let lookups = 0;
    const lax = new OutboundGuard({ allowInsecure: true, resolve: async () => { lookups += 1; return [{ address: '127.0.0.1', family: 4 }]; } });
    const from = received.length;
    expect(await lax.request(get(`http://member.test:${http.port}/pinned?q=1`))).toEqual({ status: 200, body: 'hello' });
    expect(received.slice(from)).toEqual([{ url: '/pinned?q=1', host: `member.test:${http.port}` }]);
    const before = https.connections;
    // the certificate is self-signed: the handshake fails, but only after the socket reached the checked address with the name as SNI
    expect((await refusal(lax.request(get(`https://member.test:${https.port}/`)))).code).toBe('tls-failed');
    expect(https.connections).toBe(before + 1);
    expect(sni).toContain('member.test');
    expect(lookups).toBe(2);
  });

  it('follows no redirect', async () => {
    const lax = new OutboundGuard({ allowInsecure: true });
    const from = received.length;
    expect((await lax.request(get(`http://127.0.0.1:${http.port}/moved`))).status).toBe(302);
    expect(received.slice(from).map((r) => r.url)).toEqual(['/moved']);
  });

  it('never puts what the server answered, or a socket error, in the error: a fixed code and text, the detail in the log only', async () => {
    const log: string[] = [];
    const lax = new OutboundGuard({ allowInsecure: true, log: (l) => log.push(l) });
    const cases: [string, Partial<OutboundRequest>, string][] = [
      [`http://127.0.0.1:${closedPort}/`, {}, 'connect-failed'],
      [`https://127.0.0.1:${closedPort}/`, {}, 'connect-failed'],
      [`https://127.0.0.1:${https.port}/`, {}, 'tls-failed'],
      [`https://127.0.0.1:${http.port}/`, {}, 'tls-failed'],
      [`http://127.0.0.1:${http.port}/big`, {}, 'too-large'],
      [`http://127.0.0.1:${garbage.port}/`, {}, 'bad-response'],
      [`http://127.0.0.1:${silent.port}/`, { timeoutMs: 300 }, 'timeout'],
      ['http://no-such-host.invalid/', {}, 'dns-failure'],
      ['ftp://127.0.0.1/', {}, 'not-https'],
      ['http://user:pw@127.0.0.1/', {}, 'bad-url'],
      ['not a url', {}, 'bad-url'],
    ];
    for (const [url, o, code] of cases) {
      const err = await refusal(lax.request(get(url, o)));
      expect([url, err.code]).toEqual([url, code]);
      for (const shown of [err.message, String(err), JSON.stringify(err)]) {
        expect(shown).not.toMatch(/ECONNREFUSED|EPROTO|self.signed|DEPTH_ZERO|HPE_|hunter2|XYZZY|127\.0\.0\.1|\d{4,5}/i);
      }
    }
    // an error status comes back as a status, its body to the caller only
    expect(await lax.request(get(`http://127.0.0.1:${http.port}/error`))).toEqual({ status: 500, body: SECRET_BODY });
    expect(log.join('\n')).toMatch(/connect-failed: .*ECONNREFUSED/);
    expect(log.join('\n')).not.toMatch(/hunter2|XYZZY/);
  });
});

async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(done()).toBe(true);
}
