import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpEndpointProber, isNonPublicAddress } from './endpoint-prober';

describe('endpoint prober', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok/.well-known/anchorage-endpoint-check') res.end('  anchorage-endpoint-check=abc\n');
      else if (req.url === '/moved') res.writeHead(302, { location: '/ok/.well-known/anchorage-endpoint-check' }).end();
      else if (req.url === '/big') res.end('x'.repeat(5000));
      else if (req.url === '/slow') setTimeout(() => res.end('late'), 2000);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('tells public from non-public addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1']) {
      expect([a, isNonPublicAddress(a)]).toEqual([a, true]);
    }
    for (const a of ['8.8.8.8', '172.32.0.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect([a, isNonPublicAddress(a)]).toEqual([a, false]);
    }
  });

  it('fetches the trimmed token where the deployment allows plain HTTP and private addresses', async () => {
    const p = new HttpEndpointProber({ allowInsecure: true });
    expect(await p.fetchToken(`${base}/ok/.well-known/anchorage-endpoint-check`)).toBe('anchorage-endpoint-check=abc');
  });

  it('refuses plain HTTP, private addresses, redirects, large bodies, errors and silence, saying which', async () => {
    const strict = new HttpEndpointProber({ allowInsecure: false });
    await expect(strict.fetchToken(`${base}/ok/.well-known/anchorage-endpoint-check`)).rejects.toThrow(/is not https/);
    await expect(strict.fetchToken('https://127.0.0.1:1/x')).rejects.toThrow(/127\.0\.0\.1, which is not a public address/);
    await expect(strict.fetchToken('https://localhost:1/x')).rejects.toThrow(/not a public address/);
    const lax = new HttpEndpointProber({ allowInsecure: true, timeoutMs: 300 });
    await expect(lax.fetchToken(`${base}/moved`)).rejects.toThrow(/HTTP 302 \(redirects are not followed\)/);
    await expect(lax.fetchToken(`${base}/big`)).rejects.toThrow(/more than 1024 bytes/);
    await expect(lax.fetchToken(`${base}/missing`)).rejects.toThrow(/HTTP 404/);
    await expect(lax.fetchToken(`${base}/slow`)).rejects.toThrow(/no answer within 0.3 s/);
    await expect(lax.fetchToken('http://no-such-host.invalid/x')).rejects.toThrow(/does not resolve/);
  });
});
