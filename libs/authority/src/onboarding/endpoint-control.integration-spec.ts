import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { opensslCsr, tempDir, testPlatformOptions } from '@anchorage/testing';
import { createCommunity } from '../create-community';
import { createOrganization } from '../create-organization';
import type { Actor } from '../deps';
import { openPlatform, type Platform } from '../platform';
import { expectDomainError } from '../testing/expect-domain-error';
import { approveCertificateRequest, submitCertificateRequest } from '../requests/certificate-requests';
import { communityView } from '../views';
import { endpointCheckView, runEndpointCheck, startEndpointCheck } from './endpoint-control';

const operator: Actor = { id: 'test-operator', role: 'operator' };

describe('endpoint control against a local HTTP server (PostgreSQL)', () => {
  let p: Platform;
  let strict: Platform;
  let server: Server;
  let admin: Client;
  const published = new Map<string, string>();
  const asked: string[] = [];
  const opts = testPlatformOptions();
  const tag = randomUUID().slice(0, 8);
  const dir = tempDir('anchorage-endpoints-');

  beforeAll(async () => {
    server = createServer((req, res) => {
      asked.push(req.url ?? '');
      const body = published.get(req.url ?? '');
      if (body === undefined) res.writeHead(404).end('no such page on internal-service-7');
      else res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    p = await openPlatform({ ...opts, endpointCheckInsecure: true });
    strict = await openPlatform(opts);
    admin = new Client({ connectionString: opts.databaseUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await strict.close();
    await p.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('verifies a published token, fails a wrong or missing one with a fixed reason code, and audits each check', async () => {
    const port = (server.address() as AddressInfo).port;
    const uri = `http://127.0.0.1:${port}/ep-${tag}/fhir`;
    const c = await createCommunity(p, { name: 'Endpoints', uri: `udap://ep-${tag}.example.org/`, caKeyType: 'EC-P256' }, operator);
    const org = await createOrganization(p, { communityId: c.community.id, name: 'Endpoint Clinic', sanUris: [uri] }, operator);
    await expectDomainError(startEndpointCheck(p, org, 'https://not-theirs.example.org/fhir', operator), 'validation', /one of the organization's SAN URIs/);
    await expectDomainError(runEndpointCheck(p, org, uri, operator), 'conflict', /no endpoint check was started/);

    const check = await startEndpointCheck(p, org, uri, operator);
    expect(check).toMatchObject({ status: 'pending', uri });
    const missing = await runEndpointCheck(p, org, uri, operator);
    expect(missing).toMatchObject({ status: 'failed', lastError: 'http-status' });

    published.set(`/ep-${tag}/fhir/.well-known/anchorage-endpoint-check`, 'anchorage-endpoint-check=somebody-elses');
    const wrong = await runEndpointCheck(p, org, uri, operator);
    expect(wrong.lastError).toBe('bad-token');
    expect(endpointCheckView(wrong).lastError).toBe('bad-token');
    published.set(`/ep-${tag}/fhir/.well-known/anchorage-endpoint-check`, `${check.token}\n`);
    const ok = await runEndpointCheck(p, org, uri, operator);
    expect(ok).toMatchObject({ status: 'verified', lastError: null });
    expect(ok.verifiedAt).not.toBeNull();

    // a deployment without the insecure setting refuses plain HTTP to a private address, and says so
    expect((await runEndpointCheck(strict, org, uri, operator)).lastError).toBe('not-https');

    const audited = (await admin.query(`SELECT action, data FROM audit_event WHERE subject_id = $1 AND action LIKE 'endpoint.%' ORDER BY seq`, [org.id])).rows;
    expect(audited.map((r) => r.action)).toEqual(['endpoint.check-started', 'endpoint.check-failed', 'endpoint.check-failed', 'endpoint.verified', 'endpoint.check-failed']);
    expect(audited.map((r) => r.data.error ?? null)).toEqual([null, 'http-status', 'bad-token', null, 'not-https']);
    expect(JSON.stringify(audited)).not.toMatch(/internal-service-7|somebody-elses/);
  });

  it('fetches the token under the SAN URI\'s path, never with the URI\'s query or fragment, and shows older free-text reasons as unknown', async () => {
    const port = (server.address() as AddressInfo).port;
    const uri = `http://127.0.0.1:${port}/qf-${tag}/fhir?next=/admin#T-TREAT`;
    const c = await createCommunity(p, { name: 'Query', uri: `udap://qf-${tag}.example.org/`, caKeyType: 'EC-P256' }, operator);
    const org = await createOrganization(p, { communityId: c.community.id, name: 'Query Clinic', sanUris: [uri] }, operator);
    const check = await startEndpointCheck(p, org, uri, operator);
    expect(endpointCheckView(check).publishAt).toBe(`http://127.0.0.1:${port}/qf-${tag}/fhir/.well-known/anchorage-endpoint-check`);
    published.set(`/qf-${tag}/fhir/.well-known/anchorage-endpoint-check`, check.token);
    const from = asked.length;
    expect((await runEndpointCheck(p, org, uri, operator)).status).toBe('verified');
    expect(asked.slice(from)).toEqual([`/qf-${tag}/fhir/.well-known/anchorage-endpoint-check`]);

    await admin.query('UPDATE endpoint_check SET status = $3, verified_at = NULL, last_error = $4 WHERE organization_id = $1 AND uri = $2', [org.id, uri, 'failed', 'connect ECONNREFUSED 10.0.0.5:6379']);
    expect(endpointCheckView((await p.db.onboarding.findEndpointCheck(org.id, uri))!).lastError).toBe('unknown');
  });

  it('approves at once the requests whose SANs passed endpoint control, and holds back server requests with unverified SANs', async () => {
    const port = (server.address() as AddressInfo).port;
    const uri = `http://127.0.0.1:${port}/auto-${tag}/fhir`;
    const serverUri = `https://srv-${tag}.example.org/fhir`;
    const c = await createCommunity(p, {
      name: 'Auto', uri: `udap://auto-${tag}.example.org/`, caKeyType: 'RSA-2048',
      policy: { allowedLeafKeyTypes: ['RSA-2048', 'EC-P256'], requireEndpointControl: true, autoApproveVerifiedRequests: true },
    }, operator);
    expect(communityView(c.community, [c.root!, c.issuing]).policy).toMatchObject({ requireEndpointControl: true, autoApproveVerifiedRequests: true });
    const org = await createOrganization(p, { communityId: c.community.id, name: 'Auto Clinic', sanUris: [uri, serverUri] }, operator);
    const member: Actor = { id: 'member', role: 'member-admin', organizationId: org.id };
    const early = await submitCertificateRequest(p, { organizationId: org.id, profile: 'udap-client', csr: opensslCsr(dir, { curve: 'P-256', sans: [uri] }).csrPem }, member);
    expect(early.request.status).toBe('submitted');

    const check = await startEndpointCheck(p, org, uri, member);
    published.set(`/auto-${tag}/fhir/.well-known/anchorage-endpoint-check`, check.token);
    expect((await runEndpointCheck(p, org, uri, member)).status).toBe('verified');
    const auto = await submitCertificateRequest(p, { organizationId: org.id, profile: 'udap-client', csr: opensslCsr(dir, { curve: 'P-256', sans: [uri] }).csrPem }, member);
    expect(auto.request).toMatchObject({ status: 'issued', decidedBy: 'auto-approval' });

    const srv = await submitCertificateRequest(p, { organizationId: org.id, profile: 'udap-server', csr: opensslCsr(dir, { rsaBits: 2048, sans: [serverUri] }).csrPem }, member);
    expect(srv.request.status).toBe('submitted');
    await expectDomainError(approveCertificateRequest(p, srv.request, operator), 'endpoint-unverified', /srv-/);
    expect((await p.db.requests.find(srv.request.id))!.status).toBe('submitted');
  });
});
