import { ApiTokenCache, type CachedApiToken } from './api-token-cache';

const token = (name: string): CachedApiToken => ({ id: 't', name, expiresAt: null });

/** A lookup that counts its calls and answers only when released. */
function gatedLoad(answer: (n: number) => CachedApiToken | null) {
  let calls = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  return {
    load: async () => { calls++; const n = calls; await gate; return answer(n); },
    release: () => release(),
    get calls() { return calls; },
  };
}

describe('ApiTokenCache', () => {
  it('shares one lookup among requests that miss together, then serves the entry until it expires', async () => {
    let now = 0;
    const cache = new ApiTokenCache(10_000, () => now);
    cache.listen();
    const l = gatedLoad((n) => token(`lookup ${n}`));
    const waiting = Array.from({ length: 64 }, () => cache.lookup('h', l.load));
    l.release();
    const got = await Promise.all(waiting);
    expect(l.calls).toBe(1);
    expect(new Set(got).size).toBe(1);
    expect(await cache.lookup('h', l.load)).toBe(got[0]);
    expect(l.calls).toBe(1);
    now = 10_000;
    expect((await cache.lookup('h', l.load))!.name).toBe('lookup 2');
    expect(l.calls).toBe(2);
  });

  it('shares a lookup that began before a change with no request after it, and does not cache it', async () => {
    const cache = new ApiTokenCache(10_000, () => 0);
    cache.listen();
    const before = gatedLoad(() => token('before the revocation'));
    const early = cache.lookup('h', before.load);
    cache.clear(); // a revocation announced
    const after = gatedLoad(() => null);
    const late = cache.lookup('h', after.load);
    before.release();
    after.release();
    expect((await early)!.name).toBe('before the revocation'); // its caller asked before the change
    expect(await late).toBeNull();
    expect(after.calls).toBe(1);
    const again = gatedLoad(() => null);
    again.release();
    expect(await cache.lookup('h', again.load)).toBeNull(); // nothing from before the change was cached
    expect(again.calls).toBe(1);
  });

  it('neither caches nor shares while changes are not heard', async () => {
    const cache = new ApiTokenCache(10_000, () => 0);
    const l = gatedLoad(() => token('x'));
    const both = [cache.lookup('h', l.load), cache.lookup('h', l.load)];
    l.release();
    await Promise.all(both);
    await cache.lookup('h', l.load);
    expect(l.calls).toBe(3);
    cache.listen();
    await cache.lookup('h', l.load);
    await cache.lookup('h', l.load);
    expect(l.calls).toBe(4);
    cache.deaf();
    await cache.lookup('h', l.load);
    expect(l.calls).toBe(5);
  });

  it('caches no unknown token, and lets a failed lookup fail every request that shared it, once', async () => {
    const cache = new ApiTokenCache(10_000, () => 0);
    cache.listen();
    const none = gatedLoad(() => null);
    none.release();
    await cache.lookup('h', none.load);
    await cache.lookup('h', none.load);
    expect(none.calls).toBe(2);
    let calls = 0;
    const failing = async (): Promise<CachedApiToken | null> => { calls++; throw new Error('database down'); };
    const shared = [cache.lookup('f', failing), cache.lookup('f', failing)];
    await expect(Promise.all(shared)).rejects.toThrow('database down');
    expect(calls).toBe(1);
    await expect(cache.lookup('f', failing)).rejects.toThrow('database down');
    expect(calls).toBe(2);
  });
});
