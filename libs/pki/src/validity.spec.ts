import { PkiError } from './errors';
import { VALIDITY_BACKDATE_SECONDS, validityWithin } from './validity';

const now = new Date('2026-05-01T12:00:00.750Z');
const day = 86_400_000;

describe('validityWithin', () => {
  it('backdates notBefore by 60 s and truncates to whole seconds', () => {
    const v = validityWithin({ requestedDays: 365, maxDays: 730, now, issuerNotAfter: new Date(now.getTime() + 3650 * day) });
    expect(VALIDITY_BACKDATE_SECONDS).toBe(60);
    expect(v.notBefore.toISOString()).toBe('2026-05-01T11:59:00.000Z');
    expect(v.notAfter.toISOString()).toBe('2027-05-01T12:00:00.000Z');
  });
  it('clamps to the policy maximum', () => {
    const v = validityWithin({ requestedDays: 1000, maxDays: 397, now, issuerNotAfter: new Date(now.getTime() + 3650 * day) });
    expect(v.notAfter.getTime() - Math.floor(now.getTime() / 1000) * 1000).toBe(397 * day);
  });
  it("clamps to the issuer's notAfter", () => {
    const issuerNotAfter = new Date(now.getTime() + 10 * day);
    const v = validityWithin({ requestedDays: 365, maxDays: 730, now, issuerNotAfter });
    expect(v.notAfter.getTime()).toBe(Math.floor(issuerNotAfter.getTime() / 1000) * 1000);
  });
  it("never starts before the issuer's notBefore", () => {
    const issuerNotBefore = new Date(now.getTime() - 10_000);
    const v = validityWithin({ requestedDays: 1, maxDays: 1, now, issuerNotAfter: new Date(now.getTime() + day), issuerNotBefore });
    expect(v.notBefore.getTime()).toBeGreaterThanOrEqual(issuerNotBefore.getTime());
  });
  it('throws when the issuer has expired', () => {
    expect(() => validityWithin({ requestedDays: 1, maxDays: 1, now, issuerNotAfter: new Date(now.getTime() - 1) })).toThrow(/expired/);
  });
  it('throws on nonsense inputs', () => {
    for (const requestedDays of [0, -1, NaN]) {
      expect(() => validityWithin({ requestedDays, maxDays: 1, now, issuerNotAfter: new Date(now.getTime() + day) })).toThrow(PkiError);
    }
  });
});
