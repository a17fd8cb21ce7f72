// The QR encoder against reference symbols made by another implementation (python-qrcode 7.4, level M,
// byte mode, no quiet zone; qr-reference.json): every mask's matrix must be the same module for
// module, and, scored the way that implementation scores (format and version areas left light), the
// same mask must come out best. The console itself scores the finished symbol, as ISO/IEC 18004 does.
import { createHash } from 'node:crypto';
import { encodeQr, MAX_QR_VERSION, penalty } from './qr';
import reference from './qr-reference.json';

const rows = (m: boolean[][]) => m.map((r) => r.map((c) => (c ? '1' : '0')).join(''));
const sha256 = (m: boolean[][]) => createHash('sha256').update(rows(m).join('\n')).digest('hex');
const matrix = (lines: string[]) => lines.map((l) => [...l].map((c) => c === '1'));

describe('encodeQr', () => {
  it.each(reference.map((r) => [r.text.length > 40 ? `${r.text.slice(0, 40)}… (${r.text.length})` : r.text, r] as const))(
    'matches the reference symbols for %s',
    (_name, ref) => {
      for (let mask = 0; mask < 8; mask++) expect([mask, sha256(encodeQr(ref.text, { mask }).modules)]).toEqual([mask, ref.sha256ByMask[mask]]);
      const scoredLikeReference = encodeQr(ref.text, { scoreWithBlankFormat: true });
      expect([scoredLikeReference.version, scoredLikeReference.mask]).toEqual([ref.version, ref.mask]);
      expect(rows(scoredLikeReference.modules)).toEqual(ref.rows);
      // the console's own choice: the finished symbol with the lowest score
      const qr = encodeQr(ref.text);
      const scores = Array.from({ length: 8 }, (_, mask) => penalty(encodeQr(ref.text, { mask }).modules));
      expect(scores[qr.mask]).toBe(Math.min(...scores));
      expect(qr.size).toBe(ref.version * 4 + 17);
    },
  );

  it('scores each penalty rule', () => {
    // 5x5 all light: rows and columns are runs of 5 (10 x 3), 16 2x2 blocks (48), 100% light (|0 - 50| / 5 = 10: 100)
    expect(penalty(matrix(Array(5).fill('00000')))).toBe(30 + 48 + 100);
    // a checkerboard: no runs, no blocks, 13 of 25 dark: |52 - 50| / 5 = 0
    expect(penalty(matrix(['10101', '01010', '10101', '01010', '10101']))).toBe(0);
    // 1011101 then 0000 in the first row: one finder-like pattern (40) over the same symbol without it
    const rest = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? '01010101010' : '10101010101'));
    expect(penalty(matrix(['10111010000', ...rest])) - penalty(matrix(['10111010100', ...rest]))).toBeGreaterThanOrEqual(40);
  });

  it('refuses text longer than the largest version holds', () => {
    expect(encodeQr('z'.repeat(213)).version).toBe(MAX_QR_VERSION);
    expect(() => encodeQr('z'.repeat(214))).toThrow(/too long for a QR code here: 214 bytes, at most 213/);
  });
});
