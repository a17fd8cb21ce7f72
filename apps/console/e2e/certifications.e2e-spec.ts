// The certifications page in Chromium against the stand-in API: an operator lists the certifications of
// member apps, narrows them to one organization and one app, and revokes one with a reason (the chip and
// the reason follow, the request carries the reason); a member admin sees those its organization is a
// party to and may revoke only those it signed as the certifier; an auditor reads only.
import type { Page } from 'playwright-core';
import { skipWithoutChromium, FIXTURE_USERS } from './browser';
import { APPS, certificationIds, REVOKED_REASON } from './stand-in-certifications';
import { useStandInBrowser } from './stand-in-browser';

const skip = skipWithoutChromium('console browser test');
const REASON = 'Failed the annual review of the TEFCA Basic App criteria';

(skip ? describe.skip : describe)('certifications in the console in Chromium', () => {
  const h = useStandInBrowser();
  const { signIn, shot, noRawJson, callsTo } = h;
  const revokePath = (id: string) => `/api/v1/certifications/${id}/revoke`;

  const openList = async (p: Page) => {
    await p.getByRole('menuitem', { name: 'Certifications' }).click();
    await p.getByRole('cell', { name: APPS.sunriseOld }).waitFor();
  };
  /** The app client URIs of the rows shown, top to bottom. */
  const apps = async (p: Page) => (await p.locator('tbody tr').allInnerTexts()).map((t) => Object.values(APPS).find((a) => t.includes(a)) ?? t);
  const row = (p: Page, app: string) => p.getByRole('row').filter({ hasText: app });
  /** Waits until the list shows exactly `expected` (a filter refetches). */
  const showsApps = async (p: Page, expected: string[]) => {
    const until = Date.now() + 10_000;
    for (;;) {
      const shown = await apps(p);
      if (JSON.stringify(shown) === JSON.stringify(expected) || Date.now() > until) return shown;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('lets an operator list certifications per organization and per app, and revoke one with a reason', async () => {
    const p = await signIn(FIXTURE_USERS.operator);
    await openList(p);
    expect(await showsApps(p, [APPS.sunrise, APPS.harbor, APPS.sunriseOld, APPS.harborPortal])).toEqual([APPS.sunrise, APPS.harbor, APPS.sunriseOld, APPS.harborPortal]);
    // the revoked one says so, with its reason, and offers no revocation
    const old = row(p, APPS.sunriseOld);
    expect(await old.innerText()).toContain('revoked');
    expect(await old.innerText()).toContain(REVOKED_REASON);
    expect(await old.getByRole('button', { name: 'Revoke' }).count()).toBe(0);

    // per organization, then per app
    await p.getByLabel('Certified organization').click();
    await p.getByRole('option', { name: 'Sunrise Clinic' }).click();
    expect(await showsApps(p, [APPS.sunrise, APPS.sunriseOld])).toEqual([APPS.sunrise, APPS.sunriseOld]);
    await p.getByLabel('App client URI').fill(APPS.sunrise);
    expect(await showsApps(p, [APPS.sunrise])).toEqual([APPS.sunrise]);

    await row(p, APPS.sunrise).getByRole('button', { name: 'Revoke' }).click();
    const dialog = p.getByRole('dialog', { name: 'Revoke certification' });
    expect(await dialog.innerText()).toContain(APPS.sunrise);
    const confirm = dialog.getByRole('button', { name: 'Revoke certification' });
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await dialog.getByLabel('Reason').fill(REASON);
    await shot(p, 'certification-revoke');
    await confirm.click();
    await dialog.waitFor({ state: 'detached' });
    await p.getByText('Certification revoked').waitFor();
    expect(callsTo('POST', revokePath(certificationIds.sunriseByHarbor)).map((c) => [c.status, c.body])).toEqual([[200, { reason: REASON }]]);
    await row(p, APPS.sunrise).getByText(REASON).waitFor();
    expect(await row(p, APPS.sunrise).innerText()).toContain('revoked');
    expect(await row(p, APPS.sunrise).getByRole('button', { name: 'Revoke' }).count()).toBe(0);
    await noRawJson(p);
    await shot(p, 'certifications');
  });

  it('shows a member admin the certifications its organization is a party to, and lets it revoke only those it signed', async () => {
    const p = await signIn(FIXTURE_USERS.memberAdmin);
    await openList(p);
    const shown = await showsApps(p, [APPS.sunrise, APPS.harbor, APPS.sunriseOld]);
    // Harbor Labs certifying its own portal is not Sunrise Clinic's business
    expect(shown.slice().sort()).toEqual([APPS.harbor, APPS.sunrise, APPS.sunriseOld].sort());
    expect(await p.getByLabel('Certified organization').count()).toBe(0);
    // Sunrise certified Harbor's lab client: it may revoke that one; its own app's certification is Harbor's to revoke
    await row(p, APPS.harbor).getByRole('button', { name: 'Revoke' }).waitFor();
    expect(await row(p, APPS.sunrise).getByRole('button', { name: 'Revoke' }).count()).toBe(0);
    await row(p, APPS.harbor).getByRole('button', { name: 'Revoke' }).click();
    const dialog = p.getByRole('dialog', { name: 'Revoke certification' });
    await dialog.getByLabel('Reason').fill('Certified in error');
    await dialog.getByRole('button', { name: 'Revoke certification' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(callsTo('POST', revokePath(certificationIds.harborBySunrise)).map((c) => [c.status, c.body])).toEqual([[200, { reason: 'Certified in error' }]]);
    await row(p, APPS.harbor).getByText('Certified in error').waitFor();
  });

  it('lets an auditor read the certifications without revoking any', async () => {
    const p = await signIn(FIXTURE_USERS.auditor);
    await openList(p);
    expect((await apps(p)).length).toBe(4);
    expect(await p.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
  });
});
