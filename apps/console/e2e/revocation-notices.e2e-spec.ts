// The console's revocation-notice subscriptions in Chromium against the stand-in API: operators and
// auditors see every subscriber with its delivery status (delivering, failing with the last error in
// fixed words, paused by the platform after failures), cancelled ones only by the status filter; a
// member admin sees its organization's only.
import { OUTBOUND_FAILURES } from '@anchorage/contracts';
import type { Page } from 'playwright-core';
import { FIXTURE_USERS, skipWithoutChromium } from './browser';
import { useStandInBrowser } from './stand-in-browser';

const skip = skipWithoutChromium('console browser test');

(skip ? describe.skip : describe)('revocation notice subscriptions in the console in Chromium', () => {
  const h = useStandInBrowser();
  const { signIn, shot, noRawJson } = h;
  const local = (p: Page, iso: string) => p.evaluate((at) => new Date(at).toLocaleString(), iso);
  /** Every row's cells, each on one line. */
  const table = async (p: Page) => {
    const rows = p.locator('tbody tr');
    const out: string[][] = [];
    for (let n = 0; n < (await rows.count()); n++) out.push((await rows.nth(n).getByRole('cell').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()));
    return out;
  };

  it('lists every subscriber with its delivery status for an operator, newest first, and the cancelled one only by status', async () => {
    const p = await signIn(FIXTURE_USERS.operator);
    const mark = h.api.calls.length;
    await p.getByRole('menuitem', { name: 'Revocation notices' }).click();
    await p.getByRole('columnheader', { name: 'Delivery' }).waitFor();
    const rows = p.locator('tbody tr');
    await rows.nth(2).waitFor();
    await rows.nth(0).getByRole('link', { name: 'Sunrise Clinic' }).waitFor();
    await rows.nth(1).getByRole('link', { name: 'Harbor Labs' }).waitFor();
    expect(await table(p)).toEqual([
      ['Sunrise Clinic', 'https://fhir.sunrise.example/revocations', 'failing',
        `last delivered ${await local(p, '2026-02-10T08:00:00.300Z')} 3 failed attempts in a row: ${OUTBOUND_FAILURES.timeout}`, await local(p, '2026-02-05T09:00:00.000Z')],
      ['Harbor Labs', 'https://harbor.example/crl-hook', 'paused: failing',
        `nothing delivered yet 24 failed attempts in a row: ${OUTBOUND_FAILURES['connect-failed']}`, await local(p, '2026-02-03T09:00:00.000Z')],
      ['Statewide HIE (relying party)', 'https://hie.example.org/anchorage/revocations', 'delivering',
        `last delivered ${await local(p, '2026-02-20T08:00:00.412Z')}`, await local(p, '2026-02-01T09:00:00.000Z')],
    ]);
    await expect(rows.nth(0).getByLabel('Last error').innerText()).resolves.toContain(OUTBOUND_FAILURES.timeout);
    const listed = h.api.calls.slice(mark).find((c) => c.method === 'GET' && c.path === '/api/v1/revocation-subscriptions')!;
    expect(JSON.parse(listed.query.get('sort')!)).toEqual(['createdAt', 'DESC']);
    await noRawJson(p);
    await shot(p, 'revocation-subscriptions');

    // the status filter brings the cancelled one
    await p.getByLabel('Status').click();
    await p.getByRole('option', { name: 'cancelled' }).click();
    await p.getByText('Old Gateway').waitFor();
    expect((await table(p)).map((r) => [r[0], r[2]])).toEqual([['Old Gateway (relying party)', 'cancelled']]);
  });

  it('gives a member admin its organization\'s subscriptions only, without the subscriber column', async () => {
    const p = await signIn(FIXTURE_USERS.memberAdmin);
    await p.getByRole('menuitem', { name: 'Revocation notices' }).click();
    await p.getByRole('columnheader', { name: 'Delivery' }).waitFor();
    await p.locator('tbody tr').first().waitFor();
    expect(await p.getByRole('columnheader', { name: 'Subscriber' }).count()).toBe(0);
    expect((await table(p)).map((r) => [r[0], r[1]])).toEqual([['https://fhir.sunrise.example/revocations', 'failing']]);
    expect(await p.locator('body').innerText()).not.toContain('harbor.example');
  });
});
