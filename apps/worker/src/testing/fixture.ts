import { randomUUID } from 'node:crypto';
import { createCommunity, createOrganization, issueCertificate, openPlatform, type Clock, type CreatedCommunity, type Platform, type PlatformOptions } from '@anchorage/authority';
import type { CertificateRecord, OrganizationRecord } from '@anchorage/db';
import { createMigratedDatabase, type FreshDatabase } from '@anchorage/db';
import { opensslCsr, tempDir, testDatabaseUrl, testPlatformOptions } from '@anchorage/testing';

/** The operator of worker tests. */
export const OPERATOR = { id: 'op', role: 'operator' as const };

/**
 * A platform on a database of its own (`suffix` names it): a worker sweeps every CA, and other
 * test files' CAs sign with keys in other key stores.
 */
export async function isolatedPlatform(
  suffix: string, clock?: Clock, extra: Pick<PlatformOptions, 'smtpUrl' | 'mailFrom' | 'consoleUrl' | 'endpointCheckInsecure' | 'outboundTlsCa' | 'conformanceFetch'> = {},
): Promise<{ p: Platform; options: ReturnType<typeof testPlatformOptions> & Pick<PlatformOptions, 'smtpUrl' | 'mailFrom' | 'consoleUrl' | 'endpointCheckInsecure' | 'outboundTlsCa' | 'conformanceFetch'>; fresh: FreshDatabase; close(): Promise<void> }> {
  const fresh = await createMigratedDatabase(testDatabaseUrl(), `${new URL(testDatabaseUrl()).pathname.slice(1)}_${suffix}`.slice(0, 63));
  const options = { ...testPlatformOptions(), databaseUrl: fresh.url, ...extra };
  const p = await openPlatform({ ...options, ...(clock ? { clock } : {}) });
  return { p, options, fresh, async close() { await p.close(); await fresh.drop(); } };
}

/** A community with an EC-P256 issuing CA and a day-long CRL lifetime. */
export function testCommunity(p: Platform, name: string): Promise<CreatedCommunity> {
  return createCommunity(p, { name, uri: `udap://${name.toLowerCase()}-${randomUUID().slice(0, 8)}.example.org/`, caKeyType: 'EC-P256', policy: { crlLifetimeSeconds: 86400, allowedLeafKeyTypes: ['EC-P256'] } }, OPERATOR);
}

/** An active organization holding `n` issued certificates (one key, `concurrency` issuances at a time). */
export async function organizationWithCertificates(p: Platform, communityId: string, n: number, concurrency = 8): Promise<{ org: OrganizationRecord; certs: CertificateRecord[] }> {
  const host = `m-${randomUUID().slice(0, 8)}.example.org`;
  const org = await createOrganization(p, { communityId, name: `Member ${host}`, sanUris: [`https://${host}/a`] }, OPERATOR);
  const csr = opensslCsr(tempDir(), { curve: 'P-256', sans: [`https://${host}/a`] });
  const certs: CertificateRecord[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      next += 1;
      certs.push((await issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr: csr.csrPem, validityDays: 30 }, OPERATOR)).certificate);
    }
  }));
  return { org, certs };
}

/** Polls `check` every 100 ms until it returns a value, or fails after `timeoutMs` saying what it waited for. */
export async function eventually<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
