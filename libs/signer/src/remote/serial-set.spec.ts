import { createHash } from 'node:crypto';
import { serialEntry, SignedSerialSet } from './serial-set';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('SignedSerialSet', () => {
  it('tells a new serial from one signed for the same TBS and from one signed for another, per key, as it grows', () => {
    const set = new SignedSerialSet();
    const keys = [sha('key a'), sha('key b')];
    const n = 20_000; // several doublings of the table
    for (let i = 0; i < n; i++) set.add(serialEntry(keys[i % 2], i.toString(16), sha(`tbs ${i}`)));
    expect(set.size).toBe(n);
    for (let i = 0; i < n; i += 97) {
      expect(set.check(serialEntry(keys[i % 2], i.toString(16), sha(`tbs ${i}`)))).toBe('same');
      expect(set.check(serialEntry(keys[i % 2], i.toString(16), sha(`another tbs ${i}`)))).toBe('other');
      expect(set.check(serialEntry(keys[(i + 1) % 2], i.toString(16), sha(`tbs ${i}`)))).toBe('new'); // the other key never signed it
    }
    expect(set.check(serialEntry(keys[0], (n * 2).toString(16), sha('x')))).toBe('new');
  });

  it('keeps the first TBS of a serial added twice, and counts it once', () => {
    const set = new SignedSerialSet();
    set.add(serialEntry(sha('k'), '01', sha('first')));
    set.add(serialEntry(sha('k'), '01', sha('second')));
    expect(set.size).toBe(1);
    expect(set.check(serialEntry(sha('k'), '01', sha('first')))).toBe('same');
    expect(set.check(serialEntry(sha('k'), '01', sha('second')))).toBe('other');
  });
});
