// The console's expiry screens in Chromium against the stand-in API: an organization's webhook (set by a
// member admin or an operator, its secret shown once with how to verify a delivery; a bad URL's field
// error; replace; remove after a confirmation; auditors read the URL only), the expiry notices with their
// e-mail and webhook delivery (a member admin sees its organization's only), and the expired chip of an
// issued certificate past its notAfter.
import type { Page } from 'playwright-core';
import { skipWithoutChromium, FIXTURE_USERS, settledText } from './browser';
import { ids } from './fixtures';
import { TEST_TOKEN } from './stand-in-api';
import { useStandInBrowser } from './stand-in-browser';
import { BAD_URL_MESSAGE, FAILING_WEBHOOK, MAIL_ERROR, WEBHOOK_ERROR_TEXT } from './stand-in-notices';

const skip = skipWithoutChromium('console browser test');

const OPERATOR = FIXTURE_USERS.operator;
const AUDITOR = FIXTURE_USERS.auditor;
const MEMBER_ADMIN = FIXTURE_USERS.memberAdmin;
const SUNRISE_HOOK = 'https://hooks.sunrise.example/anchorage';
const HARBOR_HOOK = 'https://hooks.harbor.example/expiry';
const ISSUING_SUBJECT = 'CN=Example Trust Community Issuing CA';

(skip ? describe.skip : describe)('expiry notices and webhooks in the console in Chromium', () => {
  const h = useStandInBrowser();
  const { signIn, shot, noRawJson, callsTo } = h;
  const webhookPath = (organizationId: string) => `/api/v1/organizations/${organizationId}/webhook`;
  /** How the page writes a time (the browser's locale and time zone). */
  const local = (p: Page, iso: string) => p.evaluate((at) => new Date(at).toLocaleString(), iso);

  /** An organization's page, as an operator or auditor opens it from the list. */
  const openOrganization = async (p: Page, name: string) => {
    await p.getByRole('menuitem', { name: 'Organizations' }).click();
    await p.getByRole('cell', { name }).click();
    await p.getByRole('region', { name: 'Webhook' }).waitFor();
  };
  /** Sets an organization's webhook straight through the API (with the operator API token), as another session would. */
  const setWebhookByApi = async (organizationId: string, url: string) => {
    const res = await fetch(`${h.api.url}${webhookPath(organizationId)}`, {
      method: 'PUT', headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ url }),
    });
    expect(res.status).toBe(200);
  };
  const webhookUrl = (p: Page) => p.getByRole('region', { name: 'Webhook' }).getByLabel('Webhook URL');

  it('lets a member admin set its webhook: the secret is shown once, with how to verify a delivery, and is gone after closing and reloading', async () => {
    const p = await signIn(MEMBER_ADMIN);
    await p.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.api.url });
    await p.getByRole('menuitem', { name: 'My organization' }).click();
    const card = p.getByRole('region', { name: 'Webhook' });
    expect(await settledText(webhookUrl(p), 'none')).toBe('none');
    expect(await card.getByRole('button', { name: 'Remove' }).count()).toBe(0);

    await card.getByRole('button', { name: 'Set webhook' }).click();
    const form = p.getByRole('dialog', { name: 'Set a webhook for Sunrise Clinic' });
    await form.getByLabel('Webhook URL').fill(SUNRISE_HOOK);
    await form.getByRole('button', { name: 'Save' }).click();

    const dialog = p.getByRole('dialog', { name: 'Webhook secret' });
    await dialog.waitFor();
    expect(callsTo('PUT', webhookPath(ids.org)).map((c) => [c.status, c.body, c.authorization?.startsWith('Bearer at-member-admin-')])).toEqual([[200, { url: SUNRISE_HOOK }, true]]);
    expect(h.api.webhookSecrets).toHaveLength(1);
    const secret = h.api.webhookSecrets[0];
    await expect(dialog.getByLabel('Webhook secret').innerText()).resolves.toBe(secret);
    const text = await dialog.innerText();
    expect(text).toContain('it is shown only this once and cannot be read again');
    expect(text).toContain(SUNRISE_HOOK);
    const headers = await dialog.getByLabel('Delivery headers').innerText();
    expect(headers.split('\n').map((l) => l.trim()).filter(Boolean)).toEqual([
      'X-Anchorage-Signature', 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with this secret>',
      'X-Anchorage-Delivery', 'the notice id: a delivery may be repeated, drop an id already seen',
      'X-Anchorage-Event', 'certificate.expiring',
    ]);
    await dialog.getByRole('button', { name: 'Copy secret' }).click();
    await p.getByText('Webhook secret copied to the clipboard').waitFor();
    await expect(p.evaluate(() => navigator.clipboard.readText())).resolves.toBe(secret);
    // a click beside the dialog does not close it
    await p.mouse.click(5, 5);
    await expect(dialog.isVisible()).resolves.toBe(true);
    await shot(p, 'webhook-secret');

    await dialog.getByRole('button', { name: 'I have stored the secret' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await settledText(webhookUrl(p), SUNRISE_HOOK)).toBe(SUNRISE_HOOK);
    await card.getByRole('button', { name: 'Replace' }).waitFor();
    await card.getByRole('button', { name: 'Remove' }).waitFor();
    expect(await p.locator('body').innerText()).not.toContain(secret);

    await p.reload();
    expect(await settledText(webhookUrl(p), SUNRISE_HOOK)).toBe(SUNRISE_HOOK);
    expect(await p.locator('body').innerText()).not.toContain(secret);
    expect(await p.content()).not.toContain(secret);
    const stored = await p.evaluate(() => JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage)]));
    expect(stored).not.toContain(secret);
    expect(h.api.webhookSecrets).toHaveLength(1);
  });

  it('shows the problem\'s field error under the URL field, then sets and replaces the webhook with a new secret each time', async () => {
    const p = await signIn(OPERATOR);
    await openOrganization(p, 'Harbor Labs');
    const card = p.getByRole('region', { name: 'Webhook' });
    expect(await settledText(webhookUrl(p), 'none')).toBe('none');
    const before = h.api.webhookSecrets.length;

    await card.getByRole('button', { name: 'Set webhook' }).click();
    const form = p.getByRole('dialog', { name: 'Set a webhook for Harbor Labs' });
    const field = form.getByLabel('Webhook URL');
    await field.fill('hooks.harbor.example/expiry');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText(BAD_URL_MESSAGE, { exact: true }).waitFor();
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    const [refused] = callsTo('PUT', webhookPath(ids.otherOrg));
    expect([refused.status, refused.body]).toEqual([400, { url: 'hooks.harbor.example/expiry' }]);
    expect(await p.getByRole('dialog', { name: 'Webhook secret' }).count()).toBe(0);
    await noRawJson(p);

    await field.fill(HARBOR_HOOK);
    await form.getByRole('button', { name: 'Save' }).click();
    const dialog = p.getByRole('dialog', { name: 'Webhook secret' });
    const first = await dialog.getByLabel('Webhook secret').innerText();
    expect(first).toBe(h.api.webhookSecrets[before]);
    await dialog.getByRole('button', { name: 'I have stored the secret' }).click();
    expect(await settledText(webhookUrl(p), HARBOR_HOOK)).toBe(HARBOR_HOOK);

    // replacing starts from the current URL and makes a new secret
    await card.getByRole('button', { name: 'Replace' }).click();
    const replace = p.getByRole('dialog', { name: 'Replace the webhook of Harbor Labs' });
    await expect(replace.getByLabel('Webhook URL').inputValue()).resolves.toBe(HARBOR_HOOK);
    await replace.getByLabel('Webhook URL').fill(`${HARBOR_HOOK}/v2`);
    await replace.getByRole('button', { name: 'Save' }).click();
    const second = await dialog.getByLabel('Webhook secret').innerText();
    expect(second).toBe(h.api.webhookSecrets[before + 1]);
    expect(second).not.toBe(first);
    await dialog.getByRole('button', { name: 'I have stored the secret' }).click();
    expect(await settledText(webhookUrl(p), `${HARBOR_HOOK}/v2`)).toBe(`${HARBOR_HOOK}/v2`);
    expect(callsTo('PUT', webhookPath(ids.otherOrg)).map((c) => [c.status, c.body])).toEqual([
      [400, { url: 'hooks.harbor.example/expiry' }], [200, { url: HARBOR_HOOK }], [200, { url: `${HARBOR_HOOK}/v2` }],
    ]);
  });

  it('removes a webhook only after a confirmation, with a DELETE', async () => {
    await setWebhookByApi(ids.otherOrg, HARBOR_HOOK);
    const p = await signIn(OPERATOR);
    await openOrganization(p, 'Harbor Labs');
    const card = p.getByRole('region', { name: 'Webhook' });
    expect(await settledText(webhookUrl(p), HARBOR_HOOK)).toBe(HARBOR_HOOK);

    await card.getByRole('button', { name: 'Remove' }).click();
    const confirm = p.getByRole('dialog', { name: 'Remove the webhook?' });
    await expect(confirm.innerText()).resolves.toContain(`will no longer be posted to ${HARBOR_HOOK}`);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(callsTo('DELETE', webhookPath(ids.otherOrg))).toEqual([]);

    await card.getByRole('button', { name: 'Remove' }).click();
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await p.getByText('Webhook of Harbor Labs removed: notices go by e-mail only').waitFor();
    expect(callsTo('DELETE', webhookPath(ids.otherOrg)).map((c) => [c.status, c.authorization?.startsWith('Bearer at-operator-')])).toEqual([[204, true]]);
    expect(await settledText(webhookUrl(p), 'none')).toBe('none');
    await card.getByRole('button', { name: 'Set webhook' }).waitFor();
    expect(await card.getByRole('button', { name: 'Remove' }).count()).toBe(0);
  });

  it('shows an auditor the webhook URL without buttons, and the organization\'s own notices on its page', async () => {
    await setWebhookByApi(ids.otherOrg, FAILING_WEBHOOK);
    const p = await signIn(AUDITOR);
    const mark = h.api.calls.length;
    await openOrganization(p, 'Harbor Labs');
    expect(await settledText(webhookUrl(p), FAILING_WEBHOOK)).toBe(FAILING_WEBHOOK);
    const card = p.getByRole('region', { name: 'Webhook' });
    expect(await card.getByRole('button').count()).toBe(0);
    for (const name of ['Set webhook', 'Replace', 'Remove']) expect(await p.getByRole('button', { name }).count()).toBe(0);

    // only Harbor Labs' notices, asked for by organization, newest first
    const section = p.getByRole('region', { name: 'Expiry notices' });
    const rows = section.locator('tbody tr');
    await rows.nth(1).getByRole('link', { name: '0d5e' }).waitFor();
    await expect(rows.count()).resolves.toBe(2);
    const texts = await rows.allInnerTexts();
    expect(texts[0]).toMatch(/^certificate\s+0e3f\s+7 days/);
    expect(texts[0]).toContain(WEBHOOK_ERROR_TEXT);
    expect(texts[1]).toMatch(/^certificate\s+0d5e\s+1 day\s/);
    expect(texts[1]).toContain('no recipients');
    const asked = h.api.calls.slice(mark).filter((c) => c.method === 'GET' && c.path === '/api/v1/expiry-notices');
    expect(asked.map((c) => [JSON.parse(c.query.get('filter') ?? '{}'), JSON.parse(c.query.get('sort') ?? '[]')])).toEqual([[{ organizationId: ids.otherOrg }, ['createdAt', 'DESC']]]);
  });

  it('lists expiry notices newest first with their e-mail and webhook delivery, sorts by threshold, and gives a member admin its organization\'s only', async () => {
    const p = await signIn(OPERATOR);
    const mark = h.api.calls.length;
    await p.getByRole('menuitem', { name: 'Expiry notices' }).click();
    await p.getByRole('columnheader', { name: 'Webhook' }).waitFor();
    const rows = p.locator('tbody tr');
    await rows.nth(4).waitFor();
    await expect(rows.count()).resolves.toBe(5);
    const listed = h.api.calls.slice(mark).find((c) => c.method === 'GET' && c.path === '/api/v1/expiry-notices')!;
    expect(JSON.parse(listed.query.get('sort')!)).toEqual(['createdAt', 'DESC']);
    /** A row's cells, each on one line. */
    const cells = async (n: number) => (await rows.nth(n).getByRole('cell').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    // the references (certificates, organizations, the CA) are read after the list
    for (const [n, serial] of [[0, '0e3f'], [1, '0f4a'], [3, '0a1b'], [4, '0d5e']] as const) await rows.nth(n).getByRole('link', { name: serial }).waitFor();
    await rows.nth(0).getByRole('link', { name: 'Harbor Labs' }).waitFor();
    await rows.nth(2).getByText(ISSUING_SUBJECT).waitFor();

    // Harbor Labs' 0e3f: e-mailed, its webhook still failing after 3 attempts
    expect(await cells(0)).toEqual([
      'certificate 0e3f', 'Harbor Labs', '7 days', await local(p, '2026-03-01T00:00:00.000Z'),
      `sent ${await local(p, '2026-02-22T06:00:02.000Z')} to hugo@harbor.example`,
      `not delivered yet, 3 attempts ${WEBHOOK_ERROR_TEXT} ${FAILING_WEBHOOK}`,
      await local(p, '2026-02-22T06:00:00.000Z'),
    ]);
    await expect(rows.nth(0).getByLabel('Last error').innerText()).resolves.toBe(WEBHOOK_ERROR_TEXT);
    // Sunrise Clinic's 0f4a: e-mailed to both admins and delivered to the webhook
    expect(await cells(1)).toEqual([
      'certificate 0f4a', 'Sunrise Clinic', '14 days', await local(p, '2026-03-01T00:00:00.000Z'),
      `sent ${await local(p, '2026-02-15T06:00:02.000Z')} to mia@sunrise.example, ops@sunrise.example`,
      `delivered ${await local(p, '2026-02-15T06:00:03.000Z')} https://hooks.sunrise.example/anchorage`,
      await local(p, '2026-02-15T06:00:00.000Z'),
    ]);
    await expect(rows.nth(1).getByRole('link', { name: '0f4a' }).getAttribute('href')).resolves.toBe(`#/certificates/${ids.revocable}/show`);
    // the issuing CA's: the mail server refused it, so it is pending with that error; CAs have no webhook
    expect(await cells(2)).toEqual([
      `CA ${ISSUING_SUBJECT}`, '—', '90 days', await local(p, '2026-05-01T00:00:00.000Z'), `pending ${MAIL_ERROR}`, 'none', await local(p, '2026-01-31T06:00:00.000Z'),
    ]);
    expect((await cells(3)).slice(0, 3)).toEqual(['certificate 0a1b', 'Sunrise Clinic', '30 days']);
    expect((await cells(3))[5]).toBe('none');
    // Harbor Labs' 0d5e: nobody to e-mail
    expect((await cells(4)).slice(0, 6)).toEqual(['certificate 0d5e', 'Harbor Labs', '1 day', await local(p, '2025-06-01T00:00:00.000Z'), 'no recipients', 'none']);
    expect(await p.getByLabel('Last error').count()).toBe(2);
    await shot(p, 'expiry-notices');

    // sorting by threshold asks the API for it
    const sortMark = h.api.calls.length;
    await p.getByRole('columnheader', { name: 'Threshold' }).getByRole('button').click();
    await p.waitForFunction(() => document.querySelector('tbody tr td:nth-child(3)')?.textContent === '1 day');
    expect(await rows.locator('td:nth-child(3)').allInnerTexts()).toEqual(['1 day', '7 days', '14 days', '30 days', '90 days']);
    const sorted = h.api.calls.slice(sortMark).filter((c) => c.path === '/api/v1/expiry-notices').at(-1)!;
    expect(JSON.parse(sorted.query.get('sort')!)).toEqual(['thresholdDays', 'ASC']);

    const member = await signIn(MEMBER_ADMIN);
    await member.getByRole('menuitem', { name: 'Expiry notices' }).click();
    await member.getByRole('columnheader', { name: 'Webhook' }).waitFor();
    const mine = member.locator('tbody tr');
    await mine.nth(1).getByRole('link', { name: '0a1b' }).waitFor();
    await mine.nth(0).getByRole('link', { name: '0f4a' }).waitFor();
    await expect(mine.count()).resolves.toBe(2);
    expect((await mine.locator('td:first-child').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(['certificate 0f4a', 'certificate 0a1b']);
    // one organization: neither an organization column nor filters
    expect(await member.getByRole('columnheader', { name: 'Organization' }).count()).toBe(0);
    expect(await member.getByLabel('Organization').count()).toBe(0);
    expect(await member.getByLabel('About').count()).toBe(0);
    expect(await member.locator('main').innerText()).not.toMatch(/Harbor|0e3f|0d5e|CN=/);
  });

  it('shows the expiry notices as cards that fit a 390 px screen, with their delivery', async () => {
    const p = await signIn(OPERATOR, 390);
    await p.goto(`${h.api.url}/#/expiry-notices`);
    const cards = p.getByRole('list', { name: 'Expiry notices' }).getByRole('listitem');
    await cards.nth(4).waitFor();
    await cards.nth(0).getByText('hugo@harbor.example').waitFor();
    await expect(cards.nth(0).getByLabel('Last error').innerText()).resolves.toBe(WEBHOOK_ERROR_TEXT);
    await cards.nth(2).getByText(ISSUING_SUBJECT).waitFor();
    expect(await p.locator('table').count()).toBe(0);
    expect(await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await shot(p, 'expiry-notices-phone');
  });

  it('marks an issued certificate past its notAfter as expired, in the list and on its page', async () => {
    const p = await signIn(OPERATOR);
    await p.getByRole('menuitem', { name: 'Certificates' }).click();
    const row = (serial: string) => p.locator('tbody tr').filter({ has: p.getByRole('cell', { name: serial, exact: true }) });
    await row('0d5e').waitFor();
    await expect(row('0d5e').locator('.MuiChip-root').allInnerTexts()).resolves.toEqual(['issued', 'expired']);
    await expect(row('0e3f').locator('.MuiChip-root').allInnerTexts()).resolves.toEqual(['issued']);
    await expect(row('0c2d').locator('.MuiChip-root').allInnerTexts()).resolves.toEqual(['on-hold']);

    await row('0d5e').getByRole('cell', { name: '0d5e' }).click();
    await p.getByText('Certificate chain (PEM)').waitFor();
    await expect(p.locator('main .MuiChip-root').allInnerTexts()).resolves.toEqual(['issued', 'expired']);
    const expired = await local(p, '2025-06-02T03:00:00.000Z');
    await p.getByText(`since ${expired}: past its notAfter, relying parties refuse it; request a renewal`).waitFor();

    // one that has not expired shows no chip and no such line
    await p.goto(`${h.api.url}/#/certificates/${ids.otherOrgCert}/show`);
    await p.getByText('Certificate chain (PEM)').waitFor();
    await expect(p.locator('main .MuiChip-root').allInnerTexts()).resolves.toEqual(['issued']);
    expect(await p.getByText('past its notAfter').count()).toBe(0);
  });
});
