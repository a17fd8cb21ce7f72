import { randomUUID } from 'node:crypto';
import { createApiToken, createCommunity, createOrganization, createUser, openPlatform, totpCode, type Platform } from '@anchorage/authority';
import { parseActorId, type BulkRevocationView, type SuspensionView, type UserView } from '@anchorage/contracts';
import { testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

// A bulk revocation names who requested it by actor id, not by user id; the console reads the person
// behind it with parseActorId and GET /users/{userId}. Checked against the real API: a signed-in
// operator's actor id leads to that user, an API token's to the token's name, and the actor id itself
// is no user id (asking /users for it is the 400 the console's "Requested by" used to get).
describe('bulk revocations: who requested them (HTTP, real PostgreSQL)', () => {
  const root = { id: 'bulk-requester-test', role: 'operator' as const };
  const tag = randomUUID().slice(0, 8);
  const PASSWORD = 'bulk requester password';
  let p: Platform;
  let srv: RunningServer;
  let token: string;
  let operatorId: string;
  let operatorBearer: string;
  let orgIds: string[];

  const call = async <T>(method: string, path: string, bearer: string, body?: unknown) => {
    const res = await fetch(`${srv.url}${path}`, {
      method, headers: { authorization: `Bearer ${bearer}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
  };

  beforeAll(async () => {
    p = await openPlatform(testPlatformOptions());
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
    token = (await createApiToken(p, `bulk-${tag}`, root)).token;
    const community = await createCommunity(p, { name: 'Bulk requesters', uri: `udap://bulk-${tag}.example.org/`, caKeyType: 'EC-P256' }, root);
    orgIds = [];
    for (const n of ['one', 'two']) {
      orgIds.push((await createOrganization(p, { communityId: community.community.id, name: `Bulk ${n}`, sanUris: [`https://${n}.bulk-${tag}.example.org/fhir`] }, root)).id);
    }
    const op = await createUser(p, { email: `bulk-op-${tag}@example.org`, displayName: 'Bulk Operator', role: 'operator', password: PASSWORD, communities: 'all' }, root);
    operatorId = op.id;
    const login = await fetch(`${srv.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: op.email, password: PASSWORD, code: totpCode(op.totpEnrollment!.secret, new Date()) }),
    });
    operatorBearer = ((await login.json()) as { accessToken: string }).accessToken;
  });
  afterAll(async () => {
    await srv.close();
    await p.close();
  });

  it('names a signed-in operator by a user id GET /users answers, and an API token by its name', async () => {
    const byUser = await call<SuspensionView>('POST', `/api/v1/organizations/${orgIds[0]}/suspend`, operatorBearer, { reason: 'unpaid' });
    const byToken = await call<SuspensionView>('POST', `/api/v1/organizations/${orgIds[1]}/suspend`, token, { reason: 'unpaid' });
    expect([byUser.status, byToken.status]).toEqual([200, 200]);

    const first = (await call<BulkRevocationView>('GET', `/api/v1/bulk-revocations/${byUser.json.bulkRevocation!.id}`, operatorBearer)).json;
    const who = parseActorId(first.requestedBy);
    expect(who).toEqual({ kind: 'user', userId: operatorId, email: `bulk-op-${tag}@example.org` });
    const user = await call<UserView>('GET', `/api/v1/users/${who.kind === 'user' ? who.userId : ''}`, operatorBearer);
    expect(user).toMatchObject({ status: 200, json: { id: operatorId, displayName: 'Bulk Operator' } });
    expect((await call('GET', `/api/v1/users/${encodeURIComponent(first.requestedBy)}`, operatorBearer)).status).toBe(400);

    const listed = await call<BulkRevocationView[]>('GET', `/api/v1/bulk-revocations?filter=${encodeURIComponent(JSON.stringify({ organizationId: orgIds[1] }))}`, operatorBearer);
    expect(listed.json.map((b) => b.id)).toEqual([byToken.json.bulkRevocation!.id]);
    expect(parseActorId(listed.json[0].requestedBy)).toEqual({ kind: 'token', tokenId: expect.any(String), name: `bulk-${tag}` });
  });
});
