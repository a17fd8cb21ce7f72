// Wires a platform for a benchmark: its own key store, KEK file and publish directory.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommunity, createOrganization, openPlatform, type Actor, type CreatedCommunity, type Platform, type PlatformOptions } from '@anchorage/authority';
import type { KeyType } from '@anchorage/contracts';

/** The operator every benchmark acts as. */
export const OPERATOR: Actor = { id: 'bench-operator', role: 'operator' };

/** Everything a child process needs to open the same platform (plain JSON). */
export interface BenchPlatformOptions extends PlatformOptions {
  dir: string;
}

/** Options like libs/testing's testPlatformOptions, for a database URL given explicitly. */
export function benchPlatformOptions(databaseUrl: string, publicBaseUrl = 'http://pki.bench.invalid'): BenchPlatformOptions {
  const dir = mkdtempSync(join(tmpdir(), 'anchorage-bench-'));
  const kekFile = join(dir, 'kek');
  writeFileSync(kekFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  mkdirSync(join(dir, 'keys'));
  return {
    dir, databaseUrl, publicBaseUrl, keyDir: join(dir, 'keys'), kekFile, pkcs11: null, caKeyBackend: 'software',
    publishDir: join(dir, 'publish'), poolSize: 10,
  };
}

/** Removes the temporary key store and publish directory. */
export function removeBenchDir(o: BenchPlatformOptions): void {
  rmSync(o.dir, { recursive: true, force: true });
}

/** A community with one organization that owns `sanUri`. */
export interface BenchCommunity extends CreatedCommunity {
  organizationId: string;
  sanUri: string;
}

/** Creates a community (CA keys of `caKeyType`, RSA-2048 leaves allowed) and one organization. */
export async function benchCommunity(p: Platform, tag: string, caKeyType: KeyType = 'RSA-2048'): Promise<BenchCommunity> {
  const host = `${tag}-${randomBytes(4).toString('hex')}.bench.example.org`;
  const sanUri = `https://${host}/fhir/r4`;
  const c = await createCommunity(
    p,
    { name: `Bench ${tag}`, uri: `udap://${host}/`, caKeyType, policy: { allowedLeafKeyTypes: ['RSA-2048'], maxLeafValidityDays: 365 } },
    OPERATOR,
  );
  const org = await createOrganization(p, { communityId: c.community.id, name: `Bench Org ${tag}`, sanUris: [sanUri] }, OPERATOR);
  return { ...c, organizationId: org.id, sanUri };
}

export { openPlatform };
