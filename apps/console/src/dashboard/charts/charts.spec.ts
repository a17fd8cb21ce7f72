// The charts' arithmetic: round axis bounds and whole ticks, the freshness saw of a CA's CRLs, and the
// fingerprint and trust bundle forms the community page shows and copies.
import { colonFingerprint, trustBundleUrlOf } from '../../communities/fingerprint';
import { niceMax, ticks } from './axis';
import { freshnessPoints } from './crl-series';

const H = 3600;

describe('axis', () => {
  it('rounds the top up to 1, 2 or 5 times a power of ten, and ticks it in whole steps', () => {
    expect([0, 1, 3, 7, 11, 180, 449].map((v) => niceMax(v))).toEqual([1, 1, 5, 10, 20, 200, 500]);
    expect(ticks(1)).toEqual([0, 1]);
    expect(ticks(2)).toEqual([0, 1, 2]);
    expect(ticks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks(20)).toEqual([0, 4, 8, 12, 16, 20]);
    expect(ticks(200)).toEqual([0, 40, 80, 120, 160, 200]);
  });
});

describe('freshnessPoints', () => {
  const crl = (n: number, thisUpdate: string, lifetimeH: number, leftH: number | null) => ({
    crlNumber: String(n), thisUpdate, nextUpdate: new Date(Date.parse(thisUpdate) + lifetimeH * H * 1000).toISOString(), entryCount: 0, bytes: 400,
    lifetimeSeconds: lifetimeH * H, secondsLeftAtReplacement: leftH === null ? null : leftH * H,
  });
  const ca = (crls: ReturnType<typeof crl>[]) => ({ caId: 'x', caSubject: 'CN=X', caRole: 'issuing' as const, communityId: 'c', caStatus: 'active' as const, crls });

  it('draws each CRL from its whole lifetime down to what was left when the next replaced it, the newest down to now', () => {
    const t = (iso: string) => Date.parse(iso);
    const points = freshnessPoints(ca([crl(1, '2026-05-01T00:00:00Z', 168, 144), crl(2, '2026-05-02T00:00:00Z', 168, null)]), t('2026-05-03T12:00:00Z'));
    expect(points).toEqual([
      { t: t('2026-05-01T00:00:00Z'), v: 168 }, { t: t('2026-05-02T00:00:00Z'), v: 144 },
      { t: t('2026-05-02T00:00:00Z'), v: 168 }, { t: t('2026-05-03T12:00:00Z'), v: 132 },
    ]);
  });

  it('goes below zero where a CRL lapsed before its successor', () => {
    const points = freshnessPoints(ca([crl(1, '2026-05-01T00:00:00Z', 24, -6), crl(2, '2026-05-02T06:00:00Z', 24, null)]), Date.parse('2026-05-02T07:00:00Z'));
    expect(points.map((p) => p.v)).toEqual([24, -6, 24, 23]);
  });
});

describe('fingerprints and links', () => {
  it('writes a SHA-256 as openssl does, and finds the trust bundle next to the CA certificates', () => {
    expect(colonFingerprint('0a1b2c')).toBe('0A:1B:2C');
    expect(trustBundleUrlOf({ certificateUrl: 'https://pki.example.org/pki/ca/7d9f.cer', communityId: 'b3f1' })).toBe('https://pki.example.org/pki/communities/b3f1/trust-bundle.pem');
  });
});
