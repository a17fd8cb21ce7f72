import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiToken, openPlatform, type Platform } from '@anchorage/authority';
import type { CommunityView } from '@anchorage/contracts';
import { tempDir, testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

/** A CSP header split into directive name → its sources. */
const directives = (csp: string | null): Record<string, string[]> =>
  Object.fromEntries((csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name, sources]));

// Security headers of the admin API and the console (clickjacking, MIME sniffing, script and style
// injection), and the public repository's headers left as relying servers expect them.
describe('security headers (real PostgreSQL)', () => {
  const consoleDir = tempDir('anchorage-console-dist-');
  const script = '<script type="module" crossorigin src="/assets/index-t3st.js"></script>';
  let p: Platform;
  let srv: RunningServer;
  let token: string;
  let community: CommunityView;

  beforeAll(async () => {
    // the shape of Vite's build: index.html naming hashed assets
    mkdirSync(join(consoleDir, 'assets'));
    writeFileSync(join(consoleDir, 'index.html'), `<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n    ${script}\n  </head>\n  <body><div id="root"></div></body>\n</html>\n`);
    writeFileSync(join(consoleDir, 'assets', 'index-t3st.js'), 'document.title = "console";\n');
    p = await openPlatform(testPlatformOptions());
    token = (await createApiToken(p, 'headers-test', { id: 'test', role: 'operator' })).token;
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true, consoleDir });
    const res = await fetch(`${srv.url}/api/v1/communities`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Headers', uri: `udap://headers${Date.now().toString(36)}.example.org/`, caKeyType: 'RSA-2048' }),
    });
    expect(res.status).toBe(201);
    community = (await res.json()) as CommunityView;
  });
  afterAll(async () => {
    await srv.close();
    await p.close();
  });

  const expectCommon = (res: Response) => {
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
  };

  it('sends the API\'s JSON, problem documents and 404s with a CSP that loads nothing and is framed by nobody', async () => {
    const responses = [
      await fetch(`${srv.url}/api/v1/communities`, { headers: { authorization: `Bearer ${token}` } }),
      await fetch(`${srv.url}/api/v1/communities`),
      await fetch(`${srv.url}/api/v1/nowhere`, { headers: { authorization: `Bearer ${token}` } }),
      await fetch(`${srv.url}/api/docs/openapi.json`),
      await fetch(`${srv.url}/no-such-page`),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 401, 404, 200, 404]);
    for (const res of responses) {
      expect(res.headers.get('content-type')).toMatch(/^application\/(problem\+)?json/);
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expectCommon(res);
    }
  });

  it('serves the console\'s index.html with a strict CSP whose style nonce is fresh per response, and its assets with nosniff', async () => {
    const nonces: string[] = [];
    for (const path of ['/', '/index.html', '/']) {
      const res = await fetch(`${srv.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expectCommon(res);
      const csp = directives(res.headers.get('content-security-policy'));
      const nonce = /^'nonce-([A-Za-z0-9+/]{22}==)'$/.exec(csp['style-src']?.[1] ?? '')?.[1];
      expect(nonce).toBeDefined();
      expect(csp).toEqual({
        'default-src': ["'self'"], 'script-src': ["'self'"], 'style-src': ["'self'", `'nonce-${nonce}'`], 'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"], 'object-src': ["'none'"], 'base-uri': ["'none'"], 'form-action': ["'self'"], 'frame-ancestors': ["'none'"],
      });
      const html = await res.text();
      expect(html).toContain(`<meta property="csp-nonce" nonce="${nonce}" />`);
      expect(html).toContain(script);
      nonces.push(nonce!);
    }
    expect(new Set(nonces).size).toBe(3);

    const asset = await fetch(`${srv.url}/assets/index-t3st.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expectCommon(asset);
  });

  it('gives the OpenAPI viewer a CSP it can run under, still unframeable', async () => {
    const res = await fetch(`${srv.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expectCommon(res);
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['default-src']).toEqual(["'none'"]);
  });

  it('leaves the public repository\'s headers as relying servers had them (plus nosniff): cacheable, no page policy', async () => {
    const paths = [`/pki/crl/${community.issuingCaId}.crl`, `/pki/ca/${community.rootCaId}.cer`, `/pki/communities/${community.id}/trust-bundle.pem`];
    for (const path of paths) {
      const res = await fetch(`${srv.url}${path}`);
      expect(res.status).toBe(200);
      const names: string[] = [];
      res.headers.forEach((_value, name) => names.push(name));
      names.sort();
      const crl = path.endsWith('.crl');
      expect(names.filter((n) => !['connection', 'date', 'keep-alive'].includes(n))).toEqual(['cache-control', 'content-length', 'content-type', 'etag', ...(crl ? ['expires'] : []), 'last-modified', 'x-content-type-options']);
      expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-type')).toBe(crl ? 'application/pkix-crl' : path.endsWith('.cer') ? 'application/pkix-cert' : 'application/x-pem-file');
      const notModified = await fetch(`${srv.url}${path}`, { headers: { 'if-none-match': res.headers.get('etag')! } });
      expect(notModified.status).toBe(304);
      expect(notModified.headers.get('content-security-policy')).toBeNull();
      expect(notModified.headers.get('x-frame-options')).toBeNull();
    }
  });
});
