import type { Type } from '@nestjs/common';
import { createApiToken, openPlatform, type Platform } from '@anchorage/authority';
import { ROUTE_RESPONSES, type RouteResponse } from '@anchorage/contracts';
import { testPlatformOptions } from '@anchorage/testing';
import { z } from 'zod';
import { AppModule } from './app.module';
import { servedRoutes } from './http/route-contract';
import { startServer, type RunningServer } from './server';
import { nestRoutes } from './testing/routes';

type Operation = {
  summary?: string;
  security?: unknown[];
  responses: Record<string, { description?: string; headers?: Record<string, unknown>; content?: Record<string, { schema?: { $ref?: string; type?: string }; example?: unknown }> }>;
};

describe('API contracts: the OpenAPI document and the answers (real PostgreSQL)', () => {
  let p: Platform;
  let srv: RunningServer;
  let token = '';
  const routes = () => nestRoutes(AppModule.forPlatform(p).controllers as Type[]);

  beforeAll(async () => {
    p = await openPlatform(testPlatformOptions());
    token = (await createApiToken(p, 'contract-test', { id: 'contract-test', role: 'operator' })).token;
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
  });
  afterAll(async () => {
    await srv?.close();
    await p?.close();
  });

  const get = (path: string) => fetch(`${srv.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  /** Runs `fn` with route `key`'s contract replaced by `contract`, restoring it after. */
  const withContract = async (key: string, contract: RouteResponse, fn: () => Promise<void>) => {
    const kept = ROUTE_RESPONSES[key];
    ROUTE_RESPONSES[key] = contract;
    try {
      await fn();
    } finally {
      ROUTE_RESPONSES[key] = kept;
    }
  };

  it('has one response contract for every route the API serves, and none for a route it does not', () => {
    expect(routes().length).toBeGreaterThan(40);
    expect(Object.keys(ROUTE_RESPONSES).sort()).toEqual(routes());
  });

  it('states every operation\'s summary, success answer with schema and example, and problem documents', async () => {
    const doc = await (await fetch(`${srv.url}/api/docs/openapi.json`)).json() as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };
    expect(doc.components.schemas.Problem).toMatchObject({ type: 'object', required: ['type', 'title', 'status'] });
    const served = servedRoutes(AppModule.forPlatform(p).controllers as Type[]);
    const problems: string[] = [];
    for (const { key, rule } of served) {
      const [method, path] = key.split(' ');
      const op = doc.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      if (!op) { problems.push(`${key}: no operation`); continue; }
      if (!op.summary || op.summary.includes('\n')) problems.push(`${key}: no one-line summary`);
      const success = Object.entries(op.responses).filter(([s]) => /^2\d\d$/.test(s));
      if (success.length === 0) problems.push(`${key}: no 2xx answer`);
      for (const [status, r] of success) {
        if (status === '204') { if (r.content) problems.push(`${key}: 204 with content`); continue; }
        const [[media, c]] = Object.entries(r.content ?? { none: {} });
        if (!c.schema) problems.push(`${key} ${status}: no schema`);
        if (media === 'application/json' && c.example === undefined) problems.push(`${key} ${status}: no example`);
        if (media !== 'application/json' && c.schema?.type !== 'string') problems.push(`${key} ${status}: ${media} is not bytes`);
        if (ROUTE_RESPONSES[key].paged && !r.headers?.['Content-Range']) problems.push(`${key}: a page without Content-Range`);
      }
      const refusals = Object.entries(op.responses).filter(([s]) => /^[45]\d\d$/.test(s));
      for (const [status, r] of refusals) {
        if (r.content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/Problem') problems.push(`${key} ${status}: not the shared Problem schema`);
      }
      const statuses = refusals.map(([s]) => s);
      const want = [
        // every route checks its input, at least its query string
        '400',
        ...(rule?.public ? [] : ['401']),
        ...(/\/:\w+/.test(key) ? ['404'] : []),
      ];
      for (const s of want) if (!statuses.includes(s)) problems.push(`${key}: no ${s} problem`);
      if (statuses.length === 0) problems.push(`${key}: no problem responses`);
    }
    expect(problems).toEqual([]);
    // the shapes it states are the contract's: spot checks
    const show = doc.paths['/api/v1/certificates/{id}'].get;
    expect(show.responses['200'].content!['application/json'].schema).toEqual({ $ref: '#/components/schemas/CertificateView' });
    expect(doc.components.schemas.CertificateView).toMatchObject({ type: 'object', additionalProperties: false, properties: { notAfter: { type: 'string', format: 'date-time' } } });
    expect(doc.paths['/api/v1/certificates/{id}/revoke'].post.responses['409'].description).toMatch(/already-revoked/);
    expect(doc.paths['/api/v1/cas/{id}/crl'].post.responses['503'].description).toMatch(/signer-error/);
    expect(doc.paths['/api/v1/queues'].get.responses['503'].description).toMatch(/queue-unavailable/);
    expect(Object.keys(doc.paths['/api/v1/auth/login'].post.responses)).toEqual(['200', '400', '401', '429', '503']);
    expect(doc.paths['/api/v1/certificates'].get.responses['200'].headers).toHaveProperty('Content-Range');
  });

  it('passes answers that keep their contract', async () => {
    const res = await get('/api/v1/dashboard');
    expect(res.status).toBe(200);
    const list = await get('/api/v1/communities');
    expect([list.status, list.headers.get('content-range')]).toEqual([200, expect.stringMatching(/^communities \d+-\d+\/\d+$/)]);
  });

  it('fails an answer that breaks its contract with a 500 naming the route and the difference', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const kept = ROUTE_RESPONSES['GET /api/v1/dashboard'];
      // a schema that wants a field the answer does not have, and lacks one it has
      const wrong = (kept.body as z.AnyZodObject).omit({ pendingRequests: true }).extend({ pendingApprovals: z.number() });
      await withContract('GET /api/v1/dashboard', { ...kept, body: wrong }, async () => {
        const res = await get('/api/v1/dashboard');
        const body = await res.json() as { status: number; detail: string };
        expect([res.status, res.headers.get('content-type')]).toEqual([500, expect.stringMatching(/application\/problem\+json/)]);
        expect(body.detail).toMatch(/^GET \/api\/v1\/dashboard answered outside its contract/);
        expect(body.detail).toMatch(/pendingApprovals: Required/);
        expect(body.detail).toMatch(/Unrecognized key\(s\) in object: 'pendingRequests'/);
      });
      // a refusal the route does not declare (this server has no Redis: the queues are unavailable)
      const queues = ROUTE_RESPONSES['GET /api/v1/queues'];
      await withContract('GET /api/v1/queues', { ...queues, errors: [] }, async () => {
        const res = await get('/api/v1/queues');
        expect(res.status).toBe(500);
        expect((await res.json() as { detail: string }).detail).toMatch(/^GET \/api\/v1\/queues answered outside its contract \(libs\/contracts ROUTE_RESPONSES\): undeclared refusal queue-unavailable \(503\)/);
      });
      // a status the route does not answer
      await withContract('GET /api/v1/dashboard', { ...ROUTE_RESPONSES['GET /api/v1/dashboard'], status: [201] }, async () => {
        expect((await get('/api/v1/dashboard')).status).toBe(500);
      });
      expect(errors.mock.calls.map(([m]) => String(m).split(':')[0])).toEqual([
        'GET /api/v1/dashboard answered outside its contract (libs/contracts ROUTE_RESPONSES)',
        'GET /api/v1/queues answered outside its contract (libs/contracts ROUTE_RESPONSES)',
        'GET /api/v1/dashboard answered outside its contract (libs/contracts ROUTE_RESPONSES)',
      ]);
      // restored: the same calls keep their contracts again
      expect((await get('/api/v1/dashboard')).status).toBe(200);
      expect((await get('/api/v1/queues')).status).toBe(503);
      // a bad input is a 400 every route declares (each checks at least its query string)
      expect((await get('/api/v1/audit/events?after=not-a-number')).status).toBe(400);
      expect((await get('/api/v1/dashboard?after=1')).status).toBe(400);
    } finally {
      errors.mockRestore();
    }
  });
});
