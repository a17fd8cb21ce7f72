// The console's revocation-notice subscriptions in Chromium against the stand-in API: operators and
// auditors see every subscriber with its delivery status (delivering, failing with the last error in
// fixed words, paused by the platform after failures), cancelled ones only by the status filter; a
// member admin sees its organization's only.
import { OUTBOUND_FAILURES } from '@anchorage/contracts';
import type { Page } from 'playwright-core';
import { FIXTURE_USERS, skipWithoutChromium } from './browser';
import { useStandInBrowser } from './stand-in-browser';
import { CALLBACK_NOT_HTTPS, CALLBACK_NOT_PUBLIC } from './stand-in-notices';
import { ids } from './fixtures';

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
        `last delivered ${await local(p, '2026-02-10T08:00:00.300Z')} 3 failed attempts in a row: ${OUTBOUND_FAILURES.timeout}`, await local(p, '2026-02-05T09:00:00.000Z'), 'PAUSE ROTATE SECRET DELETE'],
      ['Harbor Labs', 'https://harbor.example/crl-hook', 'paused: failing',
        `nothing delivered yet 24 failed attempts in a row: ${OUTBOUND_FAILURES['connect-failed']}`, await local(p, '2026-02-03T09:00:00.000Z'), 'RESUME ROTATE SECRET DELETE'],
      ['Statewide HIE (relying party)', 'https://hie.example.org/anchorage/revocations', 'delivering',
        `last delivered ${await local(p, '2026-02-20T08:00:00.412Z')}`, await local(p, '2026-02-01T09:00:00.000Z'), 'PAUSE ROTATE SECRET DELETE'],
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

(skip ? describe.skip : describe)('subscribing and managing revocation notice subscriptions in the console in Chromium', () => {
  const h = useStandInBrowser();
  const { signIn, shot, noRawJson } = h;
  const SUBSCRIPTIONS = '/api/v1/revocation-subscriptions';
  const open = async (p: Page) => {
    await p.getByRole('menuitem', { name: 'Revocation notices' }).click();
    await p.getByRole('columnheader', { name: 'Delivery' }).waitFor();
    await p.locator('tbody tr').first().waitFor();
  };
  const rowOf = (p: Page, text: string) => p.locator('tbody tr', { hasText: text });
  const helperOf = (p: Page, label: string) => p.getByLabel(label, { exact: true }).locator('xpath=ancestor::div[contains(@class,"MuiFormControl-root")][1]').locator('.MuiFormHelperText-root');

  it('lets an operator subscribe a relying party (bad URLs refused under the field), see the secret once, rotate it, pause, resume and delete', async () => {
    const p = await signIn(FIXTURE_USERS.operator);
    await open(p);
    await p.getByRole('button', { name: 'Subscribe' }).click();
    const dialog = p.getByRole('dialog', { name: 'Subscribe to revocation notices' });
    await dialog.getByRole('combobox', { name: 'Community' }).click();
    await p.getByRole('option', { name: 'Example Trust Community' }).click();
    await dialog.getByRole('textbox', { name: 'Relying party' }).fill('County Lab Gateway');
    // refused URLs: the API's words under the field, nothing written, the dialog stays
    const url = dialog.getByLabel('Callback URL');
    await url.fill('http://gateway.county-lab.example/revocations');
    await dialog.getByRole('button', { name: 'Subscribe' }).click();
    await dialog.getByText(CALLBACK_NOT_HTTPS, { exact: true }).waitFor();
    expect(await helperOf(p, 'Callback URL').innerText()).toBe(CALLBACK_NOT_HTTPS);
    await url.fill('https://10.20.30.40/revocations');
    await dialog.getByRole('button', { name: 'Subscribe' }).click();
    await dialog.getByText(CALLBACK_NOT_PUBLIC, { exact: true }).waitFor();
    await noRawJson(p);
    await shot(p, 'revocation-subscribe-refused');
    expect(h.api.subscriptionSecrets).toEqual([]);

    await url.fill('https://gateway.county-lab.example/revocations');
    await dialog.getByRole('button', { name: 'Subscribe' }).click();
    const secretDialog = p.getByRole('dialog', { name: 'Subscribed: signing secret' });
    await secretDialog.waitFor();
    expect(h.api.subscriptionSecrets).toHaveLength(1);
    expect(await secretDialog.getByLabel('Signing secret').innerText()).toBe(h.api.subscriptionSecrets[0]);
    const posted = h.callsTo('POST', SUBSCRIPTIONS).at(-1)!;
    expect(posted.body).toEqual({ communityId: ids.community, callbackUrl: 'https://gateway.county-lab.example/revocations', relyingParty: 'County Lab Gateway' });
    await shot(p, 'revocation-subscribe-secret');
    // a click beside the dialog does not lose the secret; the button closes it, and the page never shows it again
    await p.mouse.click(5, 5);
    await expect(secretDialog.isVisible()).resolves.toBe(true);
    await secretDialog.getByRole('button', { name: 'I have stored the secret' }).click();
    await secretDialog.waitFor({ state: 'detached' });
    const row = rowOf(p, 'County Lab Gateway');
    await row.waitFor();
    expect(await p.locator('body').innerText()).not.toContain(h.api.subscriptionSecrets[0]);
    await expect(row.getByRole('cell').nth(2).innerText()).resolves.toBe('delivering');

    // rotate: asked first, then the new secret once
    await row.getByRole('button', { name: 'Rotate secret' }).click();
    await p.getByRole('dialog', { name: 'Rotate the signing secret?' }).getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = p.getByRole('dialog', { name: 'New signing secret' });
    await rotated.waitFor();
    expect(h.api.subscriptionSecrets).toHaveLength(2);
    expect(await rotated.getByLabel('Signing secret').innerText()).toBe(h.api.subscriptionSecrets[1]);
    expect(h.api.subscriptionSecrets[1]).not.toBe(h.api.subscriptionSecrets[0]);
    await rotated.getByRole('button', { name: 'I have stored the secret' }).click();
    const id = h.api.calls.find((c) => c.method === 'POST' && c.path.endsWith('/rotate-secret'))!.path.split('/')[4];
    expect(id).toMatch(/^bbbbbbbb-/);

    // pause and resume
    await row.getByRole('button', { name: 'Pause' }).click();
    await row.getByRole('button', { name: 'Resume' }).waitFor();
    await expect(row.getByRole('cell').nth(2).innerText()).resolves.toBe('paused');
    expect(h.callsTo('POST', `${SUBSCRIPTIONS}/${id}/pause`)).toHaveLength(1);
    await row.getByRole('button', { name: 'Resume' }).click();
    await row.getByRole('button', { name: 'Pause' }).waitFor();
    await expect(row.getByRole('cell').nth(2).innerText()).resolves.toBe('delivering');
    await shot(p, 'revocation-subscriptions-managed');

    // delete: asked first; gone from the list, kept under the status cancelled
    await row.getByRole('button', { name: 'Delete' }).click();
    await p.getByRole('dialog', { name: 'Delete the subscription?' }).getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached' });
    expect(h.callsTo('DELETE', `${SUBSCRIPTIONS}/${id}`)).toHaveLength(1);
    await p.getByLabel('Status').click();
    await p.getByRole('option', { name: 'cancelled' }).click();
    await rowOf(p, 'County Lab Gateway').waitFor();
    expect(await rowOf(p, 'County Lab Gateway').getByRole('button').count()).toBe(0);
    await noRawJson(p);
  });

  it('lets an operator subscribe a member organization, and a member admin its own organization', async () => {
    const op = await signIn(FIXTURE_USERS.operator);
    await open(op);
    await op.getByRole('button', { name: 'Subscribe' }).click();
    const dialog = op.getByRole('dialog', { name: 'Subscribe to revocation notices' });
    await dialog.getByRole('combobox', { name: 'Community' }).click();
    await op.getByRole('option', { name: 'Example Trust Community' }).click();
    await dialog.getByLabel('A member organization').check();
    await dialog.getByRole('combobox', { name: 'Organization' }).click();
    await op.getByRole('option', { name: 'Harbor Labs' }).click();
    await dialog.getByLabel('Callback URL').fill('https://harbor.example/second-hook');
    await dialog.getByRole('button', { name: 'Subscribe' }).click();
    await op.getByRole('dialog', { name: 'Subscribed: signing secret' }).getByRole('button', { name: 'I have stored the secret' }).click();
    expect(h.callsTo('POST', SUBSCRIPTIONS).at(-1)!.body).toEqual({ communityId: ids.community, callbackUrl: 'https://harbor.example/second-hook', organizationId: ids.otherOrg });

    const p = await signIn(FIXTURE_USERS.memberAdmin);
    await open(p);
    await p.getByRole('button', { name: 'Subscribe' }).click();
    const own = p.getByRole('dialog', { name: 'Subscribe to revocation notices' });
    await own.getByText('Subscriber: Sunrise Clinic').waitFor();
    expect(await own.getByRole('textbox', { name: 'Relying party' }).count()).toBe(0);
    await own.getByLabel('Callback URL').fill('https://fhir.sunrise.example/revocations-2');
    await own.getByRole('button', { name: 'Subscribe' }).click();
    await p.getByRole('dialog', { name: 'Subscribed: signing secret' }).getByRole('button', { name: 'I have stored the secret' }).click();
    expect(h.callsTo('POST', SUBSCRIPTIONS).at(-1)!.body).toEqual({ communityId: ids.community, callbackUrl: 'https://fhir.sunrise.example/revocations-2' });
    await rowOf(p, 'revocations-2').waitFor();
    // its list has its organization's only; Harbor Labs' new one is not there
    expect(await p.locator('body').innerText()).not.toContain('second-hook');
    await shot(p, 'revocation-subscriptions-member');
  });

  it('gives an auditor no way to change a subscription', async () => {
    const p = await signIn(FIXTURE_USERS.auditor);
    await open(p);
    expect(await p.getByRole('button', { name: 'Subscribe' }).count()).toBe(0);
    expect(await p.locator('tbody tr').first().getByRole('button').count()).toBe(0);
  });
});
