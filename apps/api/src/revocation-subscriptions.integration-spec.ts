import { randomUUID } from 'node:crypto';
import { createApiToken, createCommunity, createOrganization, openPlatform, type CreatedCommunity, type Platform } from '@anchorage/authority';
import type { ProblemDocument, RevocationSubscriptionSecretView, RevocationSubscriptionView } from '@anchorage/contracts';
import type { OrganizationRecord } from '@anchorage/db';
import { testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

const OPERATOR = { id: 'rp-subscriptions-test', role: 'operator' as const };

// Subscriptions over HTTP in a production-mode deployment (no insecure outbound mode): bad input is a
// 400 problem document and writes nothing (no row, no audit event); the secret is answered once.
describe('API: revocation subscriptions (real PostgreSQL)', () => {
  let p: Platform;
  let srv: RunningServer;
  let token: string;
  let c: CreatedCommunity;
  let other: CreatedCommunity;
  let org: OrganizationRecord;
  let foreignOrg: OrganizationRecord;
  const tag = randomUUID().slice(0, 8);

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', json: (text ? JSON.parse(text) : null) as unknown };
  };
  const written = async () => {
    const subs = await p.db.pool.query('SELECT count(*)::int AS n FROM revocation_subscription WHERE community_id = ANY($1::uuid[])', [[c.community.id, other.community.id]]);
    const audit = await p.db.pool.query("SELECT count(*)::int AS n FROM audit_event WHERE action = 'revocation-subscription.created' AND data->>'communityId' = ANY($1::text[])", [[c.community.id, other.community.id]]);
    return { subscriptions: subs.rows[0].n as number, audit: audit.rows[0].n as number };
  };

  beforeAll(async () => {
    p = await openPlatform(testPlatformOptions());
    token = (await createApiToken(p, 'rp-subscriptions-test', OPERATOR)).token;
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
    const community = (name: string) => createCommunity(p, { name, uri: `udap://${name.toLowerCase()}-${tag}.example.org/`, caKeyType: 'EC-P256', policy: { allowedLeafKeyTypes: ['EC-P256'] } }, OPERATOR);
    c = await community('RpSubs');
    other = await community('RpSubsOther');
    org = await createOrganization(p, { communityId: c.community.id, name: `RP Member ${tag}`, sanUris: [`https://m-${tag}.example.org/fhir`] }, OPERATOR);
    foreignOrg = await createOrganization(p, { communityId: other.community.id, name: `RP Other ${tag}`, sanUris: [`https://o-${tag}.example.org/fhir`] }, OPERATOR);
  });
  afterAll(async () => {
    await srv?.close();
    await p?.close();
  });

  it('refuses bad subscriptions with a 400 problem naming the field, and writes nothing', async () => {
    const before = await written();
    const ok = { communityId: c.community.id, callbackUrl: 'https://rp.example.org/revocations', relyingParty: 'Statewide HIE' };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...ok, callbackUrl: 'http://rp.example.org/revocations' }, 'callbackUrl', /https/],
      [{ ...ok, callbackUrl: 'https://10.0.0.5/revocations' }, 'callbackUrl', /non-public address/],
      [{ ...ok, callbackUrl: 'https://127.0.0.1:8443/revocations' }, 'callbackUrl', /non-public address/],
      [{ ...ok, callbackUrl: 'https://[::1]/revocations' }, 'callbackUrl', /non-public address/],
      [{ ...ok, callbackUrl: 'https://169.254.169.254/latest/meta-data/' }, 'callbackUrl', /non-public address/],
      [{ ...ok, callbackUrl: 'https://user:secret@rp.example.org/revocations' }, 'callbackUrl', /without credentials/],
      [{ ...ok, callbackUrl: 'not a url' }, 'callbackUrl', /absolute https/],
      [{ ...ok, communityId: randomUUID() }, 'communityId', /community/],
      [{ ...ok, communityId: 'not-a-uuid' }, 'communityId', /uuid|UUID/],
      [{ communityId: c.community.id, relyingParty: 'No URL' }, 'callbackUrl', /callbackUrl is required/],
      [{ ...ok, organizationId: org.id }, 'relyingParty', /either relyingParty .* or organizationId/],
      [{ communityId: c.community.id, callbackUrl: ok.callbackUrl }, 'relyingParty', /either relyingParty/],
      [{ communityId: c.community.id, callbackUrl: ok.callbackUrl, organizationId: foreignOrg.id }, 'organizationId', /organization of the community/],
      [{ ...ok, relyingParty: '   ' }, 'relyingParty', /1 to 200 characters/],
      [{ ...ok, secret: 'chosen by the caller' }, '', /secret/],
    ];
    for (const [body, field, message] of cases) {
      const r = await call('POST', '/api/v1/revocation-subscriptions', body);
      expect([JSON.stringify(body), r.status]).toEqual([JSON.stringify(body), 400]);
      expect(r.type).toMatch(/application\/problem\+json/);
      const problem = r.json as ProblemDocument & { errors?: { field: string; message: string }[] };
      expect(problem.status).toBe(400);
      const said = `${problem.detail} ${JSON.stringify(problem.errors ?? [])}`;
      expect(said).toMatch(message);
      if (field) expect(JSON.stringify(problem.errors ?? [])).toContain(field);
    }
    expect(await written()).toEqual(before);
  });

  it('creates, shows, pauses, resumes, rotates and cancels, answering the secret only at creation and rotation', async () => {
    const created = await call('POST', '/api/v1/revocation-subscriptions', { communityId: c.community.id, callbackUrl: 'https://hie.example.org/anchorage/revocations', relyingParty: 'Statewide HIE' });
    expect(created.status).toBe(201);
    const { subscription, secret } = created.json as RevocationSubscriptionSecretView;
    expect(secret).toMatch(/^rnsec_[A-Za-z0-9_-]{43}$/);
    expect(subscription).toMatchObject({ communityId: c.community.id, ownerType: 'relying-party', relyingParty: 'Statewide HIE', organizationId: null, status: 'active', health: 'ok' });
    // stored sealed, never answered again
    const stored = (await p.db.revocationSubscriptions.find(subscription.id))!;
    expect(stored.secretSealed).not.toContain(secret.slice(6));
    const shown = await call('GET', `/api/v1/revocation-subscriptions/${subscription.id}`);
    expect(shown.status).toBe(200);
    expect(JSON.stringify(shown.json)).not.toContain(secret);
    expect(Object.keys(shown.json as object)).not.toContain('secret');

    const forOrg = await call('POST', '/api/v1/revocation-subscriptions', { communityId: c.community.id, callbackUrl: 'https://m.example.org/revocations', organizationId: org.id });
    expect(forOrg.status).toBe(201);
    expect((forOrg.json as RevocationSubscriptionSecretView).subscription).toMatchObject({ ownerType: 'organization', organizationId: org.id, relyingParty: null });

    const paused = await call('POST', `/api/v1/revocation-subscriptions/${subscription.id}/pause`);
    expect(paused.json).toMatchObject({ status: 'paused', pausedReason: 'manual', health: 'paused' });
    const resumed = await call('POST', `/api/v1/revocation-subscriptions/${subscription.id}/resume`);
    expect(resumed.json).toMatchObject({ status: 'active', pausedReason: null, health: 'ok' });
    const rotated = await call('POST', `/api/v1/revocation-subscriptions/${subscription.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const newSecret = (rotated.json as RevocationSubscriptionSecretView).secret;
    expect(newSecret).toMatch(/^rnsec_/);
    expect(newSecret).not.toBe(secret);

    const list = await call('GET', `/api/v1/revocation-subscriptions?filter=${encodeURIComponent(JSON.stringify({ communityId: c.community.id }))}`);
    expect((list.json as RevocationSubscriptionView[]).map((s) => s.id).sort()).toEqual([subscription.id, (forOrg.json as RevocationSubscriptionSecretView).subscription.id].sort());

    expect((await call('DELETE', `/api/v1/revocation-subscriptions/${subscription.id}`)).status).toBe(204);
    expect((await call('GET', `/api/v1/revocation-subscriptions/${subscription.id}`)).json).toMatchObject({ status: 'cancelled', health: 'cancelled' });
    const after = await call('GET', `/api/v1/revocation-subscriptions?filter=${encodeURIComponent(JSON.stringify({ communityId: c.community.id }))}`);
    expect((after.json as RevocationSubscriptionView[]).map((s) => s.id)).not.toContain(subscription.id);
    const cancelledList = await call('GET', `/api/v1/revocation-subscriptions?filter=${encodeURIComponent(JSON.stringify({ communityId: c.community.id, status: 'cancelled' }))}`);
    expect((cancelledList.json as RevocationSubscriptionView[]).map((s) => s.id)).toEqual([subscription.id]);
    const refused = await call('POST', `/api/v1/revocation-subscriptions/${subscription.id}/resume`);
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ code: 'invalid-transition' });
    expect((await call('GET', `/api/v1/revocation-subscriptions/${randomUUID()}`)).status).toBe(404);
  });
});
