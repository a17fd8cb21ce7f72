import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Client } from 'pg';
import type { Type } from '@nestjs/common';
import {
  cancelCertificateRequest, createApiToken, createCommunity, createOrganization, createUser, issueCertificate, openPlatform, submitCertificateRequest,
  type Actor, type Platform,
} from '@anchorage/authority';
import { NO_QUERY, ROUTE_SCHEMAS } from '@anchorage/contracts';
import { opensslCsr, tempDir, testPlatformOptions, testRedisUrl } from '@anchorage/testing';
import { AppModule } from './app.module';
import { startServer, type RunningServer } from './server';
import { nestRoutes } from './testing/routes';

// Property-based: every route the API serves, called by an operator of every community with random
// and hostile bodies, queries, list filters and path parameters, answers a problem document below 500
// and, unless the route needs no input at all, changes nothing in the database.

/** Routes whose action takes no input: any body gives the same (successful) answer. */
const INPUT_FREE = new Set([
  'POST /api/v1/auth/logout', 'POST /api/v1/auth/sessions/current/end', 'POST /api/v1/auth/totp/setup', 'POST /api/v1/cas/:id/crl',
  'POST /api/v1/users/:id/unlock', 'POST /api/v1/users/:id/enable', 'DELETE /api/v1/organizations/:id/webhook', 'POST /api/v1/auth/passkeys/sign-in-options',
]);
/** Routes that change the database on a refused sign-in by design (failed-attempt counting). */
const SIGN_IN = new Set(['POST /api/v1/auth/login', 'POST /api/v1/auth/refresh', 'POST /api/v1/invitations/lookup', 'POST /api/v1/invitations/accept']);

const RUNS = Number(process.env.HOSTILE_INPUT_RUNS ?? 30);

const KEYS = [
  'organizationId', 'communityId', 'caId', 'id', 'name', 'uri', 'sanUris', 'csr', 'csrDerBase64', 'reason', 'email', 'profile', 'url', 'code', 'password',
  'token', 'caKeyType', 'policy', 'validityDays', 'requestId', 'generateKey', 'pkcs12Password', 'invalidityDate', 'role', 'displayName', 'communities',
  'revokeCertificates', 'revocationReason', 'certificatePem', 'profileRevision', 'status', 'serial', 'san', 'subjectType', 'offlineRoot', '__proto__', 'constructor',
];

const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom('', 'a\u0000b', '\u0000', '\uD800', 'x\uDC00y', '\uFFFF', '💥'.repeat(3), 'null', 'undefined', '[object Object]', '../../etc/passwd',
    'toString', '__proto__', 'constructor', '1e400', '-1', '0x7fffffff', '99999999999999999999999999999999999999999999999999', 'a'.repeat(5000),
    '00000000-0000-0000-0000-000000000000', 'not-a-uuid', "'; DROP TABLE certificate; --", '%00', '\\u0000'),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string()), tie('value'), { maxKeys: 3 }),
  ),
})).value;
const hostileBody = fc.oneof(
  fc.dictionary(fc.constantFrom(...KEYS), hostileValue, { maxKeys: 6 }),
  hostileValue,
);
/** Hostile values of the query parameters that have a shape of their own; any other parameter gets a hostile string. */
const QUERY_VALUES: Record<string, fc.Arbitrary<string>> = {
  sort: fc.oneof(
    fc.tuple(fc.oneof(fc.constantFrom('__proto__', 'toString', 'constructor', 'hasOwnProperty', 'name', 'createdAt', 'id'), fc.string()), fc.constantFrom('ASC', 'DESC', 'x')).map((t) => JSON.stringify(t)),
    hostileString,
  ),
  range: fc.oneof(fc.tuple(fc.integer({ min: -5, max: 2 ** 31 }), fc.integer({ min: -5, max: 2 ** 31 })).map((t) => JSON.stringify(t)), hostileString),
  filter: fc.oneof(fc.dictionary(fc.constantFrom(...KEYS), hostileValue, { maxKeys: 3 }).map((d) => JSON.stringify(d)), hostileString),
};
/**
 * Hostile queries of a route: its own parameters with hostile values (so that most calls still reach
 * its body), each sometimes given twice (Express then hands on a list), and now and then a parameter
 * it does not take (`limit` and `after`, the audit log's).
 */
const hostileQueryOf = (route: string): fc.Arbitrary<[string, string][]> => {
  const own = Object.keys((ROUTE_SCHEMAS[route].query ?? NO_QUERY).shape);
  const names = [...new Set([...own, 'limit', 'after'])];
  const none = fc.constant<[string, string][]>([]);
  return fc.tuple(...names.map((name) => {
    const value = QUERY_VALUES[name] ?? hostileString;
    const once = value.map((v): [string, string][] => [[name, v]]);
    const twice = value.map((v): [string, string][] => [[name, v], [name, v]]);
    return own.includes(name)
      ? fc.oneof({ arbitrary: none, weight: 2 }, { arbitrary: once, weight: 3 }, { arbitrary: twice, weight: 1 })
      : fc.oneof({ arbitrary: none, weight: 8 }, { arbitrary: once, weight: 1 });
  })).map((parts) => parts.flat());
};

/** The bytes as a fresh ArrayBuffer (what fetch takes as a raw body). */
const bytes = (b: Buffer): ArrayBuffer => Uint8Array.from(b).buffer;

/** Percent-encodes like encodeURIComponent, but a lone surrogate becomes its (invalid) WTF-8 bytes instead of an exception. */
function encodeHostile(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF]/g, (ch) => {
    if (ch.length === 1 && ch.charCodeAt(0) >= 0xd800 && ch.charCodeAt(0) <= 0xdfff) {
      const c = ch.charCodeAt(0);
      return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
    return encodeURIComponent(ch);
  });
}

describe('hostile input on every route (property-based, HTTP, real PostgreSQL)', () => {
  let p: Platform;
  let srv: RunningServer;
  let sql: Client;
  let token = '';
  const opts = testPlatformOptions();
  const tag = randomUUID().slice(0, 8);
  const root: Actor = { id: 'hostile-setup', role: 'operator' };
  const params: Record<string, string> = {};
  let tables: string[] = [];

  beforeAll(async () => {
    p = await openPlatform(opts);
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true, signInAttemptsPerMinute: 1_000_000, queues: { redisUrl: testRedisUrl(), prefix: `t-${tag}` } });
    sql = new Client({ connectionString: opts.databaseUrl });
    await sql.connect();
    const c = await createCommunity(p, { name: `Hostile ${tag}`, uri: `udap://hostile-${tag}.example.org/`, caKeyType: 'EC-P256', policy: { allowedLeafKeyTypes: ['EC-P256'] } }, root);
    const san = `https://hostile-${tag}.example.org/fhir`;
    const org = await createOrganization(p, { communityId: c.community.id, name: 'Hostile org', sanUris: [san] }, root);
    const dir = tempDir('anchorage-hostile-');
    const cert = (await issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr: opensslCsr(dir, { curve: 'P-256', sans: [san] }).csrPem }, root)).certificate;
    const user = await createUser(p, { email: `member-${tag}@example.org`, displayName: 'Member', role: 'member-admin', password: 'hostile password 123', organizationId: org.id }, root);
    const req = await submitCertificateRequest(p, { organizationId: org.id, profile: 'udap-client', csr: opensslCsr(dir, { curve: 'P-256', sans: [san] }).csrPem }, root);
    await cancelCertificateRequest(p, req.request, root);
    const inv = await p.db.onboarding.createInvitation({ id: randomUUID(), organizationId: org.id, email: `inv-${tag}@example.org`, invitedBy: root.id, expiresAt: new Date(Date.now() + 86_400_000), tokenHash: randomUUID() });
    const bulk = await p.db.bulkRevocations.create({ id: randomUUID(), communityId: c.community.id, organizationId: org.id, caId: null, reason: 9, cause: 'organization-suspended', requestedBy: root.id });
    Object.assign(params, {
      users: user.id, communities: c.community.id, cas: c.issuing.id, organizations: org.id, certificates: cert.id, invitations: inv.id,
      'certificate-requests': req.request.id, 'bulk-revocations': bulk.id, caId: c.issuing.id, serial: Buffer.from(cert.serial).toString('hex'), crlNumber: '1', name: 'anchorage-crl', jobs: 'x',
    });
    token = (await createApiToken(p, 'hostile', root)).token;
    // api_token is left out: authenticating a call records when the token was last used
    tables = (await sql.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('_prisma_migrations', 'api_token') ORDER BY 1")).rows.map((r) => r.t);
  });
  afterAll(async () => {
    await sql?.end();
    await srv?.close();
    await p?.close();
  });

  /** A digest of every table's rows: equal digests mean nothing was written. */
  const digest = async () => {
    const union = tables.map((t) => `SELECT '${t}' AS t, md5(coalesce(string_agg(md5(x::text), '' ORDER BY md5(x::text)), '')) AS d FROM "${t}" x`).join(' UNION ALL ');
    return (await sql.query<{ t: string; d: string }>(union)).rows.map((r) => `${r.t}:${r.d}`).join(' ');
  };

  /** The path with each parameter replaced by a fixture id, or by the hostile value when given. */
  const pathOf = (route: string, hostileParam: string | null) => route.split(' ')[1].split('/').map((seg, i, all) => {
    if (!seg.startsWith(':')) return seg;
    if (hostileParam !== null) return encodeHostile(hostileParam);
    const name = seg.slice(1);
    return params[name === 'id' ? all[i - 1] : name] ?? params[all[i - 1]] ?? 'x';
  }).join('/');

  const routes = () => nestRoutes(AppModule.forPlatform(p).controllers as Type[]);

  it('has one input schema for every route the API serves, and none for a route it does not', () => {
    expect(routes().length).toBeGreaterThan(40);
    expect(Object.keys(ROUTE_SCHEMAS).sort()).toEqual(routes());
  });

  it('states every route\'s input in the OpenAPI document from the same schemas', async () => {
    type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Record<string, unknown> };
    const doc = await (await fetch(`${srv.url}/api/docs/openapi.json`)).json() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[]; description?: string } }> }; responses: Record<string, unknown>; parameters?: Parameter[] }>> };
    const op = (key: string) => doc.paths[key.split(' ')[1].replace(/:(\w+)/g, '{$1}')][key.split(' ')[0].toLowerCase()];
    // every route states the 400 a malformed input gets: each checks at least its query string (a route that reads none takes none)
    for (const key of routes()) expect([key, Object.keys(op(key).responses)]).toEqual([key, expect.arrayContaining(['400'])]);
    // each query parameter a route takes, once, from its schema; none for a route that takes none
    const queryParams = (key: string) => (op(key).parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    for (const key of routes()) expect([key, queryParams(key)]).toEqual([key, Object.keys((ROUTE_SCHEMAS[key].query ?? NO_QUERY).shape)]);
    expect(queryParams('GET /api/v1/certificates')).toEqual(['filter', 'range', 'sort']);
    expect(queryParams('GET /api/v1/audit/events')).toEqual(['after', 'limit', 'subjectId', 'subjectType', 'actor', 'action', 'filter', 'range', 'sort']);
    expect(op('GET /api/v1/audit/events').parameters!.find((p) => p.name === 'after')).toEqual({
      name: 'after', in: 'query', required: false, description: 'Only events after this sequence number (default 0)', schema: { type: 'string', pattern: '^\\d{1,18}$' },
    });
    expect(op('GET /api/v1/audit/verify').parameters).toEqual([
      { name: 'checkpoint', in: 'query', required: false, description: expect.stringMatching(/compact JWS/), schema: expect.objectContaining({ type: 'string', maxLength: 4096 }) },
    ]);
    expect(op('POST /api/v1/certificates').requestBody!.content['application/json'].schema.description).toBe('Exactly one of csr, csrDerBase64 and generateKey.');
    const issue = op('POST /api/v1/certificates').requestBody!.content['application/json'].schema;
    expect(issue.required).toEqual(['organizationId', 'profile']);
    expect(issue.properties!.organizationId).toEqual({ type: 'string', format: 'uuid' });
    expect(issue.properties!.sanUris).toEqual({ type: 'array', items: { type: 'string', maxLength: 2048 }, maxItems: 200 });
    expect(op('GET /api/v1/certificates').parameters!.find((p) => p.name === 'filter')!.description).toMatch(/organizationId, issuerId, status, serial, san/);
  });

  it('refuses each malformed input found in review with a 4xx problem document, changing nothing', async () => {
    const before = await digest();
    const f = (o: unknown) => encodeURIComponent(JSON.stringify(o));
    const cases: [string, string, string | ArrayBuffer | undefined, string, number][] = [
      ['GET', `/api/v1/certificates?filter=${f({ organizationId: 'not-a-uuid' })}`, undefined, 'application/json', 400],
      ['GET', `/api/v1/certificates?filter=${f({ organizationId: [params.organizations] })}`, undefined, 'application/json', 400],
      ['GET', `/api/v1/certificates?filter=${f({ nosuchfield: 'x' })}`, undefined, 'application/json', 400],
      ['GET', `/api/v1/organizations?sort=${f(['__proto__', 'ASC'])}`, undefined, 'application/json', 400],
      ['GET', `/api/v1/organizations?sort=${f(['toString', 'DESC'])}`, undefined, 'application/json', 400],
      ['GET', `/api/v1/cas/${params.cas}/crls/99999999999999999999999999999`, undefined, 'application/json', 400],
      ['GET', `/api/v1/cas/${params.cas}/crls/9223372036854775808`, undefined, 'application/json', 400],
      ['POST', '/api/v1/communities', JSON.stringify({ name: 1, uri: 'udap://x.example.org/' }), 'application/json', 400],
      ['POST', '/api/v1/communities', JSON.stringify({ name: 'a\u0000b', uri: 'udap://x.example.org/' }), 'application/json', 400],
      ['POST', '/api/v1/communities', '{"name":"\\ud800","uri":"udap://x.example.org/"}', 'application/json', 400],
      ['POST', '/api/v1/communities', '{"__proto__":{"admin":true},"name":"x","uri":"udap://x.example.org/"}', 'application/json', 400],
      ['POST', '/api/v1/communities', bytes(Buffer.from('{"name":"caf\xe9","uri":"udap://x.example.org/"}', 'latin1')), 'application/json; charset=iso-8859-1', 415],
      ['POST', '/api/v1/communities', bytes(Buffer.from('{"name":"x","uri":"udap://x.example.org/"}', 'utf16le')), 'application/json; charset=utf-16le', 415],
      ['POST', '/api/v1/communities', bytes(Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])), 'application/json', 400],
      ['POST', '/api/v1/certificates', JSON.stringify({ organizationId: [params.organizations], profile: 'udap-client', csr: 'x' }), 'application/json', 400],
      ['POST', '/api/v1/certificates', JSON.stringify({ organizationId: { id: params.organizations }, profile: 'udap-client', csr: 'x' }), 'application/json', 400],
      ['POST', `/api/v1/certificates/${params.certificates}/revoke`, JSON.stringify({ reason: ['keyCompromise'] }), 'application/json', 400],
      ['GET', `/api/v1/certificates/${encodeHostile('\uD800')}`, undefined, 'application/json', 400],
    ];
    const got: string[] = [];
    for (const [method, path, body, type, want] of cases) {
      const res = await fetch(`${srv.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
      const doc = await res.json() as { status?: number; detail?: string };
      got.push(`${method} ${path} -> ${res.status} ${res.headers.get('content-type')} ${doc.status === res.status ? 'problem' : 'not a problem'}`);
      expect(`${method} ${path} -> ${res.status}`).toBe(`${method} ${path} -> ${want}`);
    }
    expect(got.filter((g) => !/application\/problem\+json.* problem$/.test(g))).toEqual([]);
    expect(await digest()).toBe(before);
  });

  it('refuses input the contracts rule out with a 400 problem document naming each bad field, writing nothing', async () => {
    const before = await digest();
    const certificates = async () => (await sql.query<{ n: string }>('SELECT count(*) AS n FROM certificate')).rows[0].n;
    const certificatesBefore = await certificates();
    const f = (o: unknown) => encodeURIComponent(JSON.stringify(o));
    const issue = { organizationId: params.organizations, profile: 'udap-client' };
    const generateKey = { keyType: 'EC-P256', pkcs12Password: 'a long enough password' };
    const jws = 'eyJhbGciOiJFUzI1NiJ9.eyJ2IjoxfQ.c2ln';
    // method, path, body; the field each refusal names, what it says of it, and what the detail says
    const cases: [string, string, unknown, string, RegExp, RegExp][] = [
      ['POST', '/api/v1/certificates', { ...issue, csr: 'x', generateKey }, 'body.generateKey', /^give either a CSR or generateKey, not both$/, /expected shape/],
      ['POST', '/api/v1/certificates', { ...issue, csrDerBase64: 'MIIB', generateKey }, 'body.generateKey', /not both/, /expected shape/],
      ['POST', '/api/v1/certificates', issue, 'body.csr', /^give the CSR as PEM in "csr" or as base64 DER in "csrDerBase64", or generateKey/, /expected shape/],
      ['POST', '/api/v1/certificates', { ...issue, csr: 'x', csrDerBase64: 'MIIB' }, 'body.csrDerBase64', /once.*not both/, /expected shape/],
      ['POST', '/api/v1/certificates', { ...issue, csrDerBase64: '-----BEGIN CERTIFICATE REQUEST-----' }, 'body.csrDerBase64', /base64 \(a PEM CSR goes in "csr"\)/, /expected shape/],
      ['POST', '/api/v1/certificates', { ...issue, csrDerBase64: 'MIIB*not=base64' }, 'body.csrDerBase64', /base64/, /expected shape/],
      ['POST', '/api/v1/certificates', { ...issue, generateKey: 'yes' }, 'body.generateKey', /^generateKey must be an object: \{ keyType\?, pkcs12Password \}$/, /expected shape/],
      ['POST', '/api/v1/certificates', { ...issue, generateKey: { keyType: 'EC-P256' } }, 'body.generateKey.pkcs12Password', /^pkcs12Password is required/, /expected shape/],
      ['POST', '/api/v1/certificates', { ...issue, generateKey: { ...generateKey, keyType: 'DSA-1024' } }, 'body.generateKey.keyType', /RSA-2048/, /expected shape/],
      ['POST', '/api/v1/certificate-requests', issue, 'body.csr', /^give the CSR as PEM in "csr" or as base64 DER in "csrDerBase64"$/, /expected shape/],
      ['POST', '/api/v1/certificate-requests', { ...issue, csrDerBase64: 'not base64!' }, 'body.csrDerBase64', /base64/, /expected shape/],
      ['POST', `/api/v1/certificates/${params.certificates}/revoke`, {}, 'body.reason', /^reason is required \(an RFC 5280 reason name, e.g. keyCompromise\)$/, /expected shape/],
      ['POST', `/api/v1/certificates/${params.certificates}/revoke`, undefined, 'body.reason', /^reason is required/, /expected shape/],
      ['POST', `/api/v1/cas/${params.caId}/certificates/${params.serial}/revoke`, { invalidityDate: '2026-01-01T00:00:00Z' }, 'body.reason', /^reason is required/, /expected shape/],
      ['POST', `/api/v1/cas/${params.cas}/certificate`, { certificatePem: 'x' }, 'body.rootCertificatePem', /^give the offline root certificate as PEM in "rootCertificatePem"$/, /expected shape/],
      ['POST', '/api/v1/organizations', { name: 'No community' }, 'body.communityId', /Required/, /expected shape/],
      ['GET', '/api/v1/audit/events?nosuch=1', undefined, 'query.nosuch', /^unknown query parameter$/, /takes the query parameters after, limit, subjectId, subjectType, actor, action, filter, range, sort$/],
      ['GET', `/api/v1/audit/events?subjectId=${'x'.repeat(201)}`, undefined, 'query.subjectId', /^must be 1 to 200 characters$/, /takes the query parameters after/],
      ['GET', '/api/v1/audit/events?action=', undefined, 'query.action', /^must be 1 to 200 characters$/, /takes the query parameters after/],
      ['GET', '/api/v1/audit/events?after=x', undefined, 'query.after', /sequence number/, /takes the query parameters after/],
      ['GET', '/api/v1/audit/events?after=1&after=2', undefined, 'query.after', /^give this parameter once$/, /takes the query parameters after/],
      ['GET', '/api/v1/audit/events?limit=0', undefined, 'query.limit', /from 1 to 1000/, /takes the query parameters after/],
      ['GET', '/api/v1/audit/verify?checkpoint=not-a-jws', undefined, 'query.checkpoint', /^must be a compact JWS \(audit\/checkpoint.jws as published\)$/, /takes the query parameters checkpoint$/],
      ['GET', `/api/v1/audit/verify?checkpoint=${jws}.extra`, undefined, 'query.checkpoint', /compact JWS/, /checkpoint/],
      ['GET', `/api/v1/audit/verify?checkpoint=${'a'.repeat(4090)}.${jws}`, undefined, 'query.checkpoint', /at most 4096 characters/, /checkpoint/],
      ['GET', '/api/v1/certificates?limit=10', undefined, 'query.limit', /^unknown query parameter$/, /takes the query parameters filter, range, sort$/],
      ['GET', `/api/v1/certificates?range=${f([5, 1])}`, undefined, 'query.range', /^must be \[first, last\]/, /filter, range, sort/],
      ['GET', `/api/v1/certificates?range=${f([1e300, 1e300])}`, undefined, 'query.range[0]', /^must be \[first, last\]/, /filter, range, sort/],
      ['GET', '/api/v1/certificates?range=0-24', undefined, 'query.range', /^must be JSON, e.g. range=\[0,24\]$/, /filter, range, sort/],
      ['GET', `/api/v1/certificates?sort=${f(['createdAt', 'UP'])}`, undefined, 'query.sort[1]', /^must be \["field", "ASC" \| "DESC"\]/, /filter, range, sort/],
      ['GET', `/api/v1/certificates?filter=${f(['status'])}`, undefined, 'query.filter', /^must be a JSON object/, /filters by organizationId, issuerId, status, serial, san, q$/],
      ['GET', `/api/v1/certificates?filter=${f({ serial: 'xyz' })}`, undefined, 'query.filter.serial', /^must be hexadecimal$/, /filters by organizationId/],
      ['GET', `/api/v1/certificates?filter=${f({ nosuchfield: 'x' })}`, undefined, 'query.filter.nosuchfield', /^unknown field$/, /filters by organizationId/],
      ['GET', '/api/v1/dashboard?x=1', undefined, 'query.x', /^unknown query parameter$/, /takes no query parameters$/],
      ['POST', '/api/v1/auth/logout?x=1', undefined, 'query.x', /^unknown query parameter$/, /takes no query parameters$/],
    ];
    const wrong: unknown[] = [];
    for (const [method, path, body, field, message, detail] of cases) {
      const res = await fetch(`${srv.url}${path}`, {
        method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      const doc = await res.json() as { status?: number; code?: string; detail?: string; errors?: { field: string; message: string }[] };
      const named = doc.errors?.find((e) => e.field === field);
      const ok = res.status === 400 && /application\/problem\+json/.test(res.headers.get('content-type') ?? '') && doc.status === 400 && doc.code === 'validation'
        && named !== undefined && message.test(named.message) && detail.test(doc.detail ?? '');
      if (!ok) wrong.push({ method, path: path.slice(0, 120), status: res.status, field, doc });
    }
    expect(wrong).toEqual([]);
    expect(await certificates()).toBe(certificatesBefore);
    expect(await digest()).toBe(before);
  });

  it('never answers 5xx, always answers a problem document, and a refusal changes nothing', async () => {
    const failures: string[] = [];
    for (const route of routes()) {
      const method = route.split(' ')[0];
      const before = await digest();
      let accepted = 0;
      await fc.assert(fc.asyncProperty(
        fc.option(hostileString, { nil: null, freq: 3 }), hostileBody, hostileQueryOf(route), fc.constantFrom('json', 'latin1', 'utf16', 'bytes'),
        async (hostileParam, body, query, encoding) => {
          const qs = query.map(([k, v]) => `${k}=${encodeHostile(v)}`).join('&');
          const url = `${srv.url}${pathOf(route, hostileParam)}${qs ? `?${qs}` : ''}`;
          const text = JSON.stringify(body) ?? 'null';
          const headers: Record<string, string> = { authorization: `Bearer ${token}` };
          let payload: string | ArrayBuffer | undefined;
          if (method !== 'GET') {
            if (encoding === 'json') { headers['content-type'] = 'application/json'; payload = text; }
            if (encoding === 'latin1') { headers['content-type'] = 'application/json; charset=iso-8859-1'; payload = bytes(Buffer.from(text, 'latin1')); }
            if (encoding === 'utf16') { headers['content-type'] = 'application/json; charset=utf-16le'; payload = bytes(Buffer.from(text, 'utf16le')); }
            if (encoding === 'bytes') { headers['content-type'] = 'application/json'; payload = bytes(Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')])); }
          }
          const res = await fetch(url, { method, headers, body: payload });
          const answer = await res.text();
          const what = `${route} ${res.status} ${url.slice(srv.url.length, 300)} body=${text.slice(0, 200)} (${encoding}): ${answer.slice(0, 200)}`;
          if (res.status >= 500 && !failures.some((f) => f.startsWith(`${route} ${res.status}`))) failures.push(what);
          if (res.status >= 400 && !/application\/problem\+json/.test(res.headers.get('content-type') ?? '')) failures.push(`not a problem document: ${what}`);
          if (res.status < 400) accepted += 1;
          if (res.status < 400 && method !== 'GET' && !INPUT_FREE.has(route) && hostileParam !== null) failures.push(`hostile path parameter accepted: ${what}`);
        },
      ), { numRuns: RUNS, seed: 20261204 + route.length });
      if (method !== 'GET' && !INPUT_FREE.has(route) && !SIGN_IN.has(route) && accepted === 0) {
        const after = await digest();
        if (after !== before) failures.push(`${route}: refused every call, yet the database changed`);
      }
    }
    expect(failures.slice(0, 40)).toEqual([]);
  }, 600_000);
});
