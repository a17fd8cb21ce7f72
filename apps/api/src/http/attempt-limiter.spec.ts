import { AttemptLimiter } from './attempt-limiter';

describe('AttemptLimiter', () => {
  it('allows `limit` attempts per window and says how long to wait', () => {
    const l = new AttemptLimiter(3, 60_000);
    expect([l.take('a', 0), l.take('a', 1000), l.take('a', 2000)]).toEqual([0, 0, 0]);
    expect(l.take('a', 3000)).toBe(57);
    expect(l.take('b', 3000)).toBe(0); // other addresses are not affected
    expect(l.take('a', 60_001)).toBe(0); // the first attempt left the window
  });

  it('forgets the least recently used keys beyond its bound', () => {
    const l = new AttemptLimiter(1, 60_000, 2);
    l.take('a', 0);
    l.take('b', 0);
    l.take('c', 0);
    expect(l.take('a', 1)).toBe(0); // 'a' was dropped
    expect(l.take('c', 1)).toBeGreaterThan(0);
  });
});
