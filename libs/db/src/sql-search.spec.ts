import { containsPattern, hexPrefixRange, inIdOrder, orderColumn, SqlConditions } from './sql-search';

describe('sql-search helpers', () => {
  const hex = (b: Buffer | null) => (b ? b.toString('hex') : null);
  it('turns a hex prefix into the byte range of the serials that start with it', () => {
    expect([hexPrefixRange('ab12')].map((r) => [hex(r.from), hex(r.to)])).toEqual([['ab12', 'ab13']]);
    expect([hexPrefixRange('a')].map((r) => [hex(r.from), hex(r.to)])).toEqual([['a0', 'b0']]);
    expect([hexPrefixRange('AB1')].map((r) => [hex(r.from), hex(r.to)])).toEqual([['ab10', 'ab20']]);
    expect([hexPrefixRange('abff')].map((r) => [hex(r.from), hex(r.to)])).toEqual([['abff', 'ac']]);
    expect([hexPrefixRange('f')].map((r) => [hex(r.from), hex(r.to)])).toEqual([['f0', null]]);
    expect([hexPrefixRange('ffff')].map((r) => [hex(r.from), hex(r.to)])).toEqual([['ffff', null]]);
    // every serial starting with the prefix is in range, and the neighbours are not
    const { from, to } = hexPrefixRange('7f');
    for (const [serial, inside] of [['7f', true], ['7f00', true], ['7fffffff', true], ['7eff', false], ['80', false], ['8000', false]] as const) {
      const s = Buffer.from(serial, 'hex');
      expect(Buffer.compare(s, from) >= 0 && (to === null || Buffer.compare(s, to) < 0)).toBe(inside);
    }
    expect(() => hexPrefixRange('xyz')).toThrow(/not hexadecimal/);
  });

  it('numbers parameters: one value for every ?, or one value per ?', () => {
    const c = new SqlConditions(['first']);
    c.add('a = ?', 1).add('(b ILIKE ? OR c ILIKE ?)', '%x%').add('d BETWEEN ? AND ?', 5, 9);
    expect(c.sql()).toBe(' WHERE a = $2 AND (b ILIKE $3 OR c ILIKE $3) AND d BETWEEN $4 AND $5');
    expect(c.params).toEqual(['first', 1, '%x%', 5, 9]);
    expect(() => new SqlConditions().add('a = ?', 1, 2)).toThrow(/fewer \?/);
    expect(() => new SqlConditions().add('a = ? AND b = ? AND c = ?', 1, 2)).toThrow(/more \?/);
    expect(new SqlConditions().sql()).toBe('');
  });

  it('escapes LIKE patterns, orders by allowed columns only, and restores id order', () => {
    expect(containsPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
    expect(orderColumn(undefined, {}, 'x.created_at')).toBe('x.created_at DESC');
    expect(orderColumn({ field: 'notAfter', direction: 'asc' }, { notAfter: 'c.not_after' }, 'c.created_at')).toBe('c.not_after ASC');
    expect(() => orderColumn({ field: 'toString', direction: 'asc' }, { notAfter: 'c.not_after' }, 'c.created_at')).toThrow(/cannot order/);
    expect(inIdOrder([{ id: 'b' }, { id: 'a' }, { id: 'c' }], ['c', 'a', 'x', 'b']).map((r) => r.id)).toEqual(['c', 'a', 'b']);
  });
});
