import { ContextCache } from './context-cache';
import type { IssuanceContextRecord } from './records';

const ctx = (name: string) => ({ org: { id: 'o', name } }) as unknown as IssuanceContextRecord;

describe('ContextCache', () => {
  it('shares one read among requests that miss together, then serves the entry until it expires', async () => {
    let now = 0;
    const cache = new ContextCache(1000, () => now);
    let reads = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const load = async () => { reads++; await gate; return ctx(`read ${reads}`); };
    const waiting = Array.from({ length: 50 }, () => cache.getOrLoad('o', load));
    release();
    const got = await Promise.all(waiting);
    expect(reads).toBe(1);
    expect(new Set(got).size).toBe(1);
    expect(await cache.getOrLoad('o', load)).toBe(got[0]);
    now = 1000;
    expect((await cache.getOrLoad('o', load))!.org.name).toBe('read 2');
    expect(reads).toBe(2);
  });

  it('serves an entry in the second half of its life while one background read renews it', async () => {
    let now = 0;
    const cache = new ContextCache(1000, () => now);
    let reads = 0;
    let release!: () => void;
    let gate = Promise.resolve();
    const load = async () => { reads++; const n = reads; await gate; return ctx(`read ${n}`); };
    const first = await cache.getOrLoad('o', load);
    now = 400;
    expect(await cache.getOrLoad('o', load)).toBe(first); // first half: no read
    expect(reads).toBe(1);
    gate = new Promise<void>((r) => { release = r; });
    now = 600;
    const during = await Promise.all(Array.from({ length: 20 }, () => cache.getOrLoad('o', load)));
    expect(during.every((c) => c === first)).toBe(true); // nobody waits for the renewal
    expect(reads).toBe(2); // one renewal, however many asked
    release();
    await gate;
    await new Promise((r) => setImmediate(r));
    now = 1050; // past the first entry's end, in the first half of the renewed one's life (600 + 1000)
    expect((await cache.getOrLoad('o', load))!.org.name).toBe('read 2');
    expect(reads).toBe(2);
  });

  it('keeps serving the entry when a background renewal fails, and reads again once it expired', async () => {
    let now = 0;
    const cache = new ContextCache(1000, () => now);
    let fail = false;
    let reads = 0;
    const load = async () => { reads++; if (fail) throw new Error('database down'); return ctx(`read ${reads}`); };
    const first = await cache.getOrLoad('o', load);
    fail = true;
    now = 700;
    expect(await cache.getOrLoad('o', load)).toBe(first);
    await new Promise((r) => setImmediate(r));
    expect(reads).toBe(2);
    now = 1000;
    await expect(cache.getOrLoad('o', load)).rejects.toThrow('database down');
    fail = false;
    expect((await cache.getOrLoad('o', load))!.org.name).toBe('read 4');
  });

  it('does not cache what a read that started before clear() brought back', async () => {
    const cache = new ContextCache(1000, () => 0);
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const stale = cache.getOrLoad('o', async () => { await gate; return ctx('before the write'); });
    cache.clear();
    release();
    expect((await stale)!.org.name).toBe('before the write'); // its caller gets it, as it asked before the write
    expect((await cache.getOrLoad('o', async () => ctx('after the write')))!.org.name).toBe('after the write');
  });

  it('caches nothing with a lifetime of 0, and nothing for an organization that is not there', async () => {
    let reads = 0;
    const off = new ContextCache(0, () => 0);
    await off.getOrLoad('o', async () => { reads++; return ctx('x'); });
    await off.getOrLoad('o', async () => { reads++; return ctx('x'); });
    expect(reads).toBe(2);
    const on = new ContextCache(1000, () => 0);
    await on.getOrLoad('gone', async () => { reads++; return null; });
    await on.getOrLoad('gone', async () => { reads++; return null; });
    expect(reads).toBe(4);
  });

  it('reads afresh past the entry and past a read in flight, and caches a fresh read only if no write came meanwhile', async () => {
    const cache = new ContextCache(1000, () => 0);
    let n = 0;
    const load = async () => ctx(`read ${++n}`);
    await cache.getOrLoad('o', load); // read 1, cached
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const fresh = cache.fresh('o', async () => { await gate; return ctx('fresh, before the write'); });
    expect((await cache.getOrLoad('o', load))!.org.name).toBe('read 1'); // the entry, while the fresh read runs
    cache.clear();
    release();
    expect((await fresh)!.org.name).toBe('fresh, before the write'); // its caller gets it
    expect((await cache.getOrLoad('o', load))!.org.name).toBe('read 2'); // but it was not cached over the write
    expect((await cache.fresh('o', async () => ctx('fresh')))!.org.name).toBe('fresh');
    expect((await cache.getOrLoad('o', load))!.org.name).toBe('fresh'); // a fresh read with no write meanwhile is kept
    expect(await cache.fresh('o', async () => null)).toBeNull();
    expect((await cache.getOrLoad('o', load))!.org.name).toBe('read 3'); // an organization found gone is forgotten
  });
});
