import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutboundGuard } from '../outbound-http';
import { HttpEndpointProber, isNonPublicAddress } from './endpoint-prober';

describe('endpoint prober', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok/.well-known/anchorage-endpoint-check') res.end('  anchorage-endpoint-check=abc\n');
      else if (req.url === '/moved') res.writeHead(302, { location: '/ok/.well-known/anchorage-endpoint-check' }).end();
      else if (req.url === '/big') res.end('x'.repeat(5000));
      else if (req.url === '/slow') setTimeout(() => res.end('late'), 2000).unref();
      else res.writeHead(404).end('internal-service-banner');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('tells public from non-public addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:7f00:1']) {
      expect([a, isNonPublicAddress(a)]).toEqual([a, true]);
    }
    for (const a of ['8.8.8.8', '172.32.0.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect([a, isNonPublicAddress(a)]).toEqual([a, false]);
    }
  });

  it('fetches the trimmed token where the deployment allows plain HTTP and private addresses', async () => {
    const p = new HttpEndpointProber(new OutboundGuard({ allowInsecure: true }));
    expect(await p.fetchToken(`${base}/ok/.well-known/anchorage-endpoint-check`)).toBe('anchorage-endpoint-check=abc');
  });

  it('refuses plain HTTP, private addresses, redirects, large bodies, errors and silence, each with its code and never what the server said', async () => {
    const strict = new HttpEndpointProber(new OutboundGuard({ allowInsecure: false }));
    await expect(strict.fetchToken(`${base}/ok/.well-known/anchorage-endpoint-check`)).rejects.toMatchObject({ code: 'not-https' });
    await expect(strict.fetchToken('https://127.0.0.1:1/x')).rejects.toMatchObject({ code: 'non-public-address' });
    await expect(strict.fetchToken('https://localhost:1/x')).rejects.toMatchObject({ code: 'non-public-address' });
    const log: string[] = [];
    const lax = new HttpEndpointProber(new OutboundGuard({ allowInsecure: true, log: (l) => log.push(l) }), { timeoutMs: 300 });
    await expect(lax.fetchToken(`${base}/moved`)).rejects.toMatchObject({ code: 'redirect' });
    await expect(lax.fetchToken(`${base}/big`)).rejects.toMatchObject({ code: 'too-large' });
    const missing = await lax.fetchToken(`${base}/missing`).catch((e: Error) => e);
    expect(missing).toMatchObject({ code: 'http-status' });
    expect(String(missing)).not.toMatch(/internal-service-banner|404/);
    expect(log.join('\n')).toMatch(/answered HTTP 404/);
    await expect(lax.fetchToken(`${base}/slow`)).rejects.toMatchObject({ code: 'timeout' });
    await expect(lax.fetchToken('http://no-such-host.invalid/x')).rejects.toMatchObject({ code: 'dns-failure' });
  });
});
