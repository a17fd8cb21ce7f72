import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { openssl, tempDir, testPlatformOptions, writePem } from '@anchorage/testing';
import { createCommunity } from './create-community';
import { createOrganization } from './create-organization';
import { generateCrl } from './generate-crl';
import { openPlatform, type Platform } from './platform';

// A CRL large enough to stream in several chunks (generate-crl.ts ENTRY_CHUNK = 20,000): every entry
// once, in serial order across the chunk boundaries, signed so that OpenSSL accepts it from its CA
// and from no other; and the stored DER compressed (migration 20261206010000_crl_der_lz4). Paced for
// a busy machine (crl-pacing.ts), the same CRL pauses between its chunks and lists the same entries.
describe('a CRL streamed in several chunks', () => {
  const N = 45_000;
  const op = { id: 'op', role: 'operator' as const };
  const options = testPlatformOptions();
  let p: Platform;
  let db: Client;
  let c: Awaited<ReturnType<typeof createCommunity>>;
  let expected: string[];
  let dir: string;
  beforeAll(async () => {
    // this process's CRLs never pause (the machine may be busy with other tests); the paced one below always does
    p = await openPlatform({ ...options, crlPacing: false });
    db = new Client({ connectionString: options.databaseUrl });
    await db.connect();
    dir = tempDir();
  });
  afterAll(async () => {
    await db.end();
    await p.close();
  });

  /** The serials OpenSSL lists in a CRL (hex, 16 octets, in its order), from `<dir>/<name>.crl`. */
  function opensslRead(der: Uint8Array, name: string): string[] {
    const crlFile = join(dir, `${name}.crl`);
    writeFileSync(crlFile, der);
    const text = openssl(['crl', '-inform', 'DER', '-in', crlFile, '-noout', '-text']);
    expect(text.status).toBe(0);
    return [...text.stdout.matchAll(/Serial Number: ([0-9A-F]+)/g)].map((m) => m[1].padStart(32, '0'));
  }

  it('lists every revoked serial once, in order, and verifies only against its issuer', async () => {
    const host = `chunks-${randomUUID().slice(0, 8)}.example.org`;
    c = await createCommunity(p, { name: 'Chunks', uri: `udap://${host}/`, caKeyType: 'EC-P256', policy: { allowedLeafKeyTypes: ['EC-P256'] } }, op);
    const org = await createOrganization(p, { communityId: c.community.id, name: 'Chunks', sanUris: [`https://${host}/app`] }, op);
    // revoked rows as a long-running CA has them: the entry DER stored at revocation (reason keyCompromise)
    await db.query(
      `INSERT INTO certificate (id, issuer_id, organization_id, serial, profile, status, subject, san_uris, key_type,
                                not_before, not_after, tbs_der, der, requested_by, revoked_at, revocation_reason, revocation_published, crl_entry_der)
       SELECT gen_random_uuid(), $1::uuid, $2::uuid, serial, 'udap-client', 'revoked', 'CN=chunks', '{}', 'EC-P256',
              t - interval '30 days', t + interval '365 days', '\\x3000'::bytea, '\\x3000'::bytea, 'test', t, 1, true,
              '\\x302f0210'::bytea || serial || '\\x170d'::bytea || convert_to(to_char(t AT TIME ZONE 'UTC', 'YYMMDDHH24MISS') || 'Z', 'UTF8')
                || '\\x300c300a0603551d1504030a0101'::bytea
         FROM (SELECT set_byte(h, 0, (get_byte(h, 0) & 127) | 64) AS serial, date_trunc('second', now() - interval '1 hour') AS t
                 FROM (SELECT decode(md5(random()::text || i::text), 'hex') AS h FROM generate_series(1, $3::int) AS i) g) s`,
      [c.issuing.id, org.id, N],
    );
    expected = (await db.query<{ s: string }>(
      `SELECT upper(encode(serial, 'hex')) AS s FROM certificate WHERE issuer_id = $1 AND status = 'revoked' ORDER BY serial`, [c.issuing.id],
    )).rows.map((r) => r.s);
    expect(expected).toHaveLength(N);

    const { crl, pausedMs } = await generateCrl(p, c.issuing.id, op);
    expect(crl.entryCount).toBe(N);
    expect(pausedMs).toBe(0);
    const crlFile = join(dir, 'chunks.crl');
    writeFileSync(crlFile, crl.der!);
    const issuing = writePem(dir, 'issuing.pem', [c.issuing.certificateDer!]);
    const root = writePem(dir, 'root.pem', [c.root.certificateDer!]);
    const verified = openssl(['crl', '-inform', 'DER', '-in', crlFile, '-CAfile', issuing, '-noout', '-verify']);
    expect(`${verified.stdout}${verified.stderr}`).toMatch(/verify OK/);
    const wrongIssuer = openssl(['crl', '-inform', 'DER', '-in', crlFile, '-CAfile', root, '-noout', '-verify']);
    expect(`${wrongIssuer.stdout}${wrongIssuer.stderr}`).not.toMatch(/verify OK/);

    const listed = opensslRead(crl.der!, 'listed');
    expect(listed).toHaveLength(N);
    expect(listed).toEqual(expected);

    const stored = await db.query<{ method: string | null; bytes: number }>('SELECT pg_column_compression(der) AS method, pg_column_size(der) AS bytes FROM crl WHERE id = $1', [crl.id]);
    expect(stored.rows[0].method).toBe('lz4');
    expect(stored.rows[0].bytes).toBeLessThan(crl.der!.length * 0.8);
  });

  it('paced on a busy machine, pauses between its chunks and lists the same entries', async () => {
    // busyCores 0: the rest of the machine always counts as busy, so every step pays its pause
    const paced = await openPlatform({ ...options, crlPacing: { duty: 0.25, busyCores: 0 } });
    try {
      const t0 = performance.now();
      const { crl, pausedMs } = await generateCrl(paced, c.issuing.id, op);
      const elapsed = performance.now() - t0;
      // three chunks, the signature and the store are five steps: at a quarter duty, three times the work is paused
      expect(pausedMs).toBeGreaterThan(0);
      expect(elapsed).toBeGreaterThan(pausedMs);
      expect(pausedMs).toBeGreaterThan((elapsed - pausedMs) * 1.5);
      expect(crl.entryCount).toBe(N);
      expect(opensslRead(crl.der!, 'paced')).toEqual(expected);
      const issuing = writePem(dir, 'issuing-paced.pem', [c.issuing.certificateDer!]);
      const crlFile = join(dir, 'paced.crl');
      const verified = openssl(['crl', '-inform', 'DER', '-in', crlFile, '-CAfile', issuing, '-noout', '-verify']);
      expect(`${verified.stdout}${verified.stderr}`).toMatch(/verify OK/);
    } finally {
      await paced.close();
    }
  });
});
