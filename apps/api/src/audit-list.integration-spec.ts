import { Client } from 'pg';
import { createApiToken, openPlatform, type Platform } from '@anchorage/authority';
import type { AuditEventView } from '@anchorage/contracts';
import { createMigratedDatabase, type FreshDatabase } from '@anchorage/db';
import { testDatabaseUrl, testPlatformOptions } from '@anchorage/testing';
import { startServer, type RunningServer } from './server';

// The audit list at 100k events, in a database of its own (the shared one keeps a small, linked chain):
// rows written with generate_series as plain INSERTs (the append-only trigger allows them; unlinked, so
// the link CHECK holds), then every page, order, filter and export compared with the same rows read
// back whole and filtered, sorted and paged here, in JavaScript. Timings go to the log, not assertions.

const N = 100_000;
/** `at` is a permutation of N minutes (7919 is prime to N), so time order differs from insertion order. */
const BASE = Date.UTC(2026, 0, 1);

interface Row { seq: bigint; at: number; actor: string; action: string; subjectType: string; subjectId: string; data: string }

describe('audit list, filters and export at 100k events (HTTP, PostgreSQL)', () => {
  let fresh: FreshDatabase;
  let p: Platform;
  let srv: RunningServer;
  let token: string;
  let rows: Row[] = [];
  const timings: string[] = [];

  const timed = async <T>(label: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await f();
    timings.push(`${label}: ${(performance.now() - t0).toFixed(1)} ms`);
    return r;
  };
  const get = (path: string) => fetch(`${srv.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const list = async (q: { range?: [number, number]; sort?: [string, string]; filter?: Record<string, string> }, label?: string) => {
    const qs = Object.entries(q).map(([k, v]) => `${k}=${encodeURIComponent(JSON.stringify(v))}`).join('&');
    const res = await timed(label ?? `list ${qs}`, () => get(`/api/v1/audit/events?${qs}`));
    const body = await res.json() as AuditEventView[];
    return { status: res.status, range: res.headers.get('content-range'), seqs: res.status === 200 ? body.map((e) => BigInt(e.seq)) : [], body };
  };
  const newestFirst = (a: Row, b: Row) => (a.seq < b.seq ? 1 : -1);
  const byAt = (a: Row, b: Row) => a.at - b.at || (a.seq < b.seq ? -1 : 1);
  const seqsOf = (rs: Row[]) => rs.map((r) => r.seq);

  beforeAll(async () => {
    fresh = await createMigratedDatabase(testDatabaseUrl(), `${new URL(testDatabaseUrl()).pathname.slice(1)}_auditlist`.slice(0, 63));
    p = await openPlatform({ ...testPlatformOptions(), databaseUrl: fresh.url });
    srv = await startServer(p, { host: '127.0.0.1', port: 0, logger: false, validateResponses: true });
    token = (await createApiToken(p, 'audit-list', { id: 'audit-list-test', role: 'operator' })).token;
    const c = new Client({ connectionString: fresh.url });
    await c.connect();
    try {
      const t0 = performance.now();
      await c.query(`
        INSERT INTO audit_event (at, actor, action, subject_type, subject_id, data)
        SELECT to_timestamp($1::double precision / 1000) + make_interval(mins => (g * 7919) % $2::int),
               'user:op-' || (g % 10) || '@example.org',
               (ARRAY['certificate.issued', 'certificate.revoked', 'organization.approved', 'user.signed-in'])[1 + g % 4],
               (ARRAY['certificate', 'certificate', 'organization', 'user'])[1 + g % 4],
               'subject-' || (g % 1000),
               jsonb_build_object('n', g, 'note', CASE WHEN g % 9973 = 0 THEN 'needle in the payload' ELSE 'hay' END)
        FROM generate_series(1, $2::int) AS g`, [BASE, N]);
      // one event a spreadsheet would run as a formula, with quotes and a comma in its payload
      await c.query(`INSERT INTO audit_event (at, actor, action, subject_type, subject_id, data)
        VALUES ($1, '=HYPERLINK("http://evil.example")', 'user.signed-in', 'user', 'subject-x', '{"note":"a, \\"quoted\\" note"}')`, [new Date(BASE - 60_000)]);
      await c.query('ANALYZE audit_event');
      timings.push(`insert ${N} events with generate_series + ANALYZE: ${(performance.now() - t0).toFixed(0)} ms`);
      const all = await c.query<{ seq: string; at: Date; actor: string; action: string; subject_type: string; subject_id: string; data: string }>(
        'SELECT seq::text AS seq, at, actor, action, subject_type, subject_id, data::text AS data FROM audit_event',
      );
      rows = all.rows.map((r) => ({ seq: BigInt(r.seq), at: r.at.getTime(), actor: r.actor, action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, data: r.data }));
    } finally {
      await c.end();
    }
  }, 300_000);
  afterAll(async () => {
    console.log(`audit list timings at ${rows.length} events:\n  ${timings.join('\n  ')}`);
    await srv?.close();
    await p?.close();
    await fresh?.drop();
  });

  it('pages newest first by default, with the exact total in Content-Range, down to the last page', async () => {
    expect(rows.length).toBeGreaterThan(N);
    const expected = seqsOf([...rows].sort(newestFirst));
    const first = await list({ range: [0, 24] }, 'first page, newest first');
    expect(first.status).toBe(200);
    expect(first.range).toBe(`audit-events 0-24/${rows.length}`);
    expect(first.seqs).toEqual(expected.slice(0, 25));
    const deep = await list({ range: [90_000, 90_049] }, 'page at offset 90000, newest first');
    expect(deep.range).toBe(`audit-events 90000-90049/${rows.length}`);
    expect(deep.seqs).toEqual(expected.slice(90_000, 90_050));
    const end = await list({ range: [rows.length - 10, rows.length + 20] }, 'last page');
    expect(end.range).toBe(`audit-events ${rows.length - 10}-${rows.length - 1}/${rows.length}`);
    expect(end.seqs).toEqual(expected.slice(-10));
    // react-admin's "no sort" (id) is the default order too; past the end, an empty page
    expect((await list({ range: [0, 4], sort: ['id', 'ASC'] })).seqs).toEqual(expected.slice(0, 5));
    const past = await list({ range: [rows.length + 5, rows.length + 9] });
    expect([past.range, past.seqs]).toEqual([`audit-events ${rows.length + 5}-${rows.length + 5}/${rows.length}`, []]);
  });

  it('sorts by seq or by time, either way', async () => {
    const byTime = [...rows].sort(byAt);
    expect((await list({ range: [0, 49], sort: ['at', 'DESC'] }, 'sort at DESC, first page')).seqs).toEqual(seqsOf([...byTime].reverse().slice(0, 50)));
    expect((await list({ range: [50_000, 50_049], sort: ['at', 'ASC'] }, 'sort at ASC, offset 50000')).seqs).toEqual(seqsOf(byTime.slice(50_000, 50_050)));
    expect((await list({ range: [0, 9], sort: ['seq', 'ASC'] }, 'sort seq ASC')).seqs).toEqual(seqsOf([...rows].sort((a, b) => -newestFirst(a, b)).slice(0, 10)));
    const bad = await list({ sort: ['actor', 'ASC'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/sort by one of: seq, at/);
  });

  it('filters by actor, action prefix, subject, date range and text, each with its own total', async () => {
    const from = new Date(BASE + 1000 * 60_000).toISOString();
    const to = new Date(BASE + 3000 * 60_000).toISOString();
    const cases: [string, Record<string, string>, (r: Row) => boolean][] = [
      ['actor', { actor: 'user:op-3@example.org' }, (r) => r.actor === 'user:op-3@example.org'],
      ['action prefix', { action: 'certificate.' }, (r) => r.action.startsWith('certificate.')],
      ['subjectType + subjectId', { subjectType: 'organization', subjectId: 'subject-2' }, (r) => r.subjectType === 'organization' && r.subjectId === 'subject-2'],
      ['from/to', { from, to }, (r) => r.at >= Date.parse(from) && r.at < Date.parse(to)],
      ['q in the payload', { q: 'NEEDLE' }, (r) => r.data.toLowerCase().includes('needle')],
      ['q in the subject id', { q: 'subject-99' }, (r) => r.subjectId.includes('subject-99')],
      ['q with LIKE wildcards is literal', { q: '%_' }, () => false],
      ['q + action + date', { q: 'op-7', action: 'certificate.rev', from }, (r) => r.actor.includes('op-7') && r.action.startsWith('certificate.rev') && r.at >= Date.parse(from)],
    ];
    for (const [label, filter, keep] of cases) {
      const expected = seqsOf(rows.filter(keep).sort(newestFirst));
      const page = await list({ range: [0, 99], filter }, `filter ${label} (${expected.length} matches)`);
      expect([label, page.status, page.range]).toEqual([label, 200, `audit-events 0-${Math.max(Math.min(expected.length, 100) - 1, 0)}/${expected.length}`]);
      expect([label, page.seqs]).toEqual([label, expected.slice(0, 100)]);
    }
    // a date alone is midnight UTC
    const day = await list({ range: [0, 0], filter: { from: '2026-01-02', to: '2026-01-03' } });
    expect(day.range).toBe(`audit-events 0-0/${rows.filter((r) => r.at >= Date.UTC(2026, 0, 2) && r.at < Date.UTC(2026, 0, 3)).length}`);
    expect((await list({ filter: { from: 'yesterday' } })).status).toBe(400);
    expect((await list({ filter: { nosuch: 'x' } })).status).toBe(400);
  });

  it('keeps after/limit paging, oldest first, and refuses it mixed with range, sort or filter', async () => {
    const asc = seqsOf([...rows].sort((a, b) => -newestFirst(a, b)));
    const res = await timed('after/limit page (legacy)', () => get(`/api/v1/audit/events?after=${asc[499]}&limit=5`));
    expect(res.headers.get('content-range')).toBeNull();
    expect(((await res.json()) as AuditEventView[]).map((e) => BigInt(e.seq))).toEqual(asc.slice(500, 505));
    const mixed = await get(`/api/v1/audit/events?limit=5&range=${encodeURIComponent('[0,4]')}`);
    expect(mixed.status).toBe(400);
    expect(JSON.stringify(await mixed.json())).toMatch(/limit goes without range/);
  });

  it('exports the filtered set as CSV and JSON lines, streamed, in the list\'s order', async () => {
    const filter = encodeURIComponent(JSON.stringify({ action: 'certificate.revoked', from: new Date(BASE + 20_000 * 60_000).toISOString() }));
    const expected = rows.filter((r) => r.action === 'certificate.revoked' && r.at >= BASE + 20_000 * 60_000).sort(byAt);
    const csv = await timed(`export csv, filtered (${expected.length} events)`, async () => {
      const r = await get(`/api/v1/audit/events/export?format=csv&filter=${filter}&sort=${encodeURIComponent('["at","ASC"]')}`);
      return { status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), text: await r.text() };
    });
    expect([csv.status, csv.type]).toEqual([200, 'text/csv; charset=utf-8']);
    expect(csv.disposition).toMatch(/^attachment; filename="audit-events-\d{8}T\d{6}Z\.csv"$/);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('seq,chainSeq,at,actor,action,subjectType,subjectId,data,prevHash,hash');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(1, -1).map((l) => BigInt(l.split(',')[0]))).toEqual(seqsOf(expected));

    const all = await timed(`export jsonl, everything (${rows.length} events)`, async () => {
      const r = await get('/api/v1/audit/events/export?format=jsonl');
      return { status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), text: await r.text() };
    });
    expect([all.status, all.type]).toEqual([200, 'application/x-ndjson; charset=utf-8']);
    expect(all.disposition).toMatch(/\.jsonl"$/);
    const events = all.text.trimEnd().split('\n').map((l) => JSON.parse(l) as AuditEventView);
    expect(events.map((e) => BigInt(e.seq))).toEqual(seqsOf([...rows].sort(newestFirst)));
    expect(events.find((e) => e.subjectId === 'subject-x')).toMatchObject({ actor: '=HYPERLINK("http://evil.example")', data: { note: 'a, "quoted" note' } });

    // the formula is defused and the payload quoted
    const evil = await (await get(`/api/v1/audit/events/export?format=csv&filter=${encodeURIComponent('{"subjectId":"subject-x"}')}`)).text();
    expect(evil.split('\r\n')[1]).toMatch(/^\d+,,[^,]+,"'=HYPERLINK\(""http:\/\/evil\.example""\)",user\.signed-in,user,subject-x,"\{""note"":""a, \\""quoted\\"" note""\}",,$/);
    expect((await get('/api/v1/audit/events/export?format=xml')).status).toBe(400);
  });
});
