// The console's worker screens in Chromium against the stand-in API: the queue page (counts, the outbox
// backlog, failed jobs and the operator's retry; Redis down is a readable error), bulk revocations (list,
// progress that moves while one runs), the suspension's revocation choice, and ending an issuing CA
// (retire; declare compromised), each dialog showing what it revokes and needing a typed confirmation.
import type { Page } from 'playwright-core';
import { BULK_REASONS } from '@anchorage/contracts';
import { skipWithoutChromium, FIXTURE_USERS } from './browser';
import { failedJobs, ids, QUEUE_UNAVAILABLE_DETAIL } from './fixtures';
import { useStandInBrowser } from './stand-in-browser';

const skip = skipWithoutChromium('console browser test');

const OPERATOR = FIXTURE_USERS.operator;
const AUDITOR = FIXTURE_USERS.auditor;
const MEMBER_ADMIN = FIXTURE_USERS.memberAdmin;
const REVOCATION_QUEUE = 'anchorage-revocation';
const FAILED_JOB = failedJobs[0];
const ISSUING_SUBJECT = 'CN=Example Trust Community Issuing CA';

(skip ? describe.skip : describe)('worker screens of the console in Chromium', () => {
  const h = useStandInBrowser();
  const { signIn, shot, noRawJson, callsTo } = h;
  /** The cells of the table row that contains `text`. */
  const rowCells = (p: Page, table: string, text: string) => p.getByRole('table', { name: table }).getByRole('row').filter({ hasText: text }).getByRole('cell').allInnerTexts();

  const openQueues = async (p: Page) => {
    await p.getByRole('menuitem', { name: 'Queues' }).click();
    await p.getByRole('table', { name: 'Queues' }).waitFor();
  };
  const openIssuingCa = async (p: Page) => {
    await p.getByRole('menuitem', { name: 'Communities' }).click();
    await p.getByRole('cell', { name: 'Example Trust Community', exact: true }).click();
    await p.getByText(ISSUING_SUBJECT).first().waitFor(); // (in the hierarchy picture and on its CA card)
  };

  it('shows the queues with their counts, the outbox backlog warning, and each failed job with its error', async () => {
    const p = await signIn(OPERATOR);
    await openQueues(p);
    expect(await rowCells(p, 'Queues', REVOCATION_QUEUE)).toEqual([REVOCATION_QUEUE, '0', '1', '0', '1', '7', '0']);
    expect(await rowCells(p, 'Queues', 'anchorage-crl')).toEqual(['anchorage-crl', '0', '0', '1', '0', '48', '0']);
    // two outbox rows, the oldest 185 s old: committed jobs are not reaching Redis
    const backlog = p.getByRole('table', { name: 'Outbox backlog' }).getByRole('row');
    await expect(backlog.allInnerTexts()).resolves.toEqual(['Committed, not yet in a queue\t2 (oldest 3 min 5 s old)', 'In a queue, not finished\t1']);
    await expect(p.getByRole('alert').filter({ hasText: 'jobs are waiting for Redis or a worker' }).innerText())
      .resolves.toMatch(/^2 jobs not in a queue yet, the oldest for 3 min 5 s: jobs are waiting for Redis or a worker/);

    const failed = p.getByRole('table', { name: `Failed jobs of ${REVOCATION_QUEUE}` });
    const row = failed.getByRole('row').filter({ hasText: FAILED_JOB.id });
    await expect(row.getByRole('cell').nth(1).innerText()).resolves.toBe('Connection terminated unexpectedly');
    await expect(row.getByRole('cell').nth(2).innerText()).resolves.toBe('20 of 20');
    await expect(row.getByRole('link', { name: 'bulk revocation' }).getAttribute('href')).resolves.toBe(`#/bulk-revocations/${ids.bulkFailed}/show`);
    // only the queue with failed jobs is asked for them
    expect(callsTo('GET', `/api/v1/queues/${REVOCATION_QUEUE}/failed`).at(-1)?.query.get('range')).toBe('[0,24]');
    expect(callsTo('GET', '/api/v1/queues/anchorage-crl/failed')).toEqual([]);
    await shot(p, 'queues');
  });

  it('gives auditors the queue page without a Retry button, and no way to end a CA', async () => {
    const p = await signIn(AUDITOR);
    await openQueues(p);
    const row = p.getByRole('table', { name: `Failed jobs of ${REVOCATION_QUEUE}` }).getByRole('row').filter({ hasText: FAILED_JOB.id });
    await row.getByText('Connection terminated unexpectedly').waitFor();
    expect(await p.getByRole('button', { name: /Retry/ }).count()).toBe(0);

    await openIssuingCa(p);
    await p.getByRole('link', { name: 'CA certificate' }).nth(1).waitFor();
    for (const name of ['Retire', 'Declare compromised']) expect(await p.getByRole('button', { name }).count()).toBe(0);
  });

  it('retries a failed job through the API for an operator, and shows the queue again', async () => {
    const p = await signIn(OPERATOR);
    await openQueues(p);
    await p.getByRole('button', { name: `Retry ${FAILED_JOB.id}` }).click();
    await p.getByText(`Job ${FAILED_JOB.id} is back in ${REVOCATION_QUEUE}`).waitFor();
    const retries = callsTo('POST', `/api/v1/queues/${REVOCATION_QUEUE}/jobs/${FAILED_JOB.id}/retry`);
    expect(retries.map((c) => [c.status, c.authorization?.startsWith('Bearer at-operator-')])).toEqual([[204, true]]);
    // read again at once: the job waits, nothing failed is left to list
    await p.getByRole('table', { name: `Failed jobs of ${REVOCATION_QUEUE}` }).waitFor({ state: 'detached' });
    expect(await rowCells(p, 'Queues', REVOCATION_QUEUE)).toEqual([REVOCATION_QUEUE, '1', '1', '0', '0', '7', '0']);
  });

  it('shows a readable error while Redis is down (found by the 5 s refresh), and the queues once it is back', async () => {
    const p = await signIn(OPERATOR);
    await openQueues(p);
    const before = callsTo('GET', '/api/v1/queues').length;
    h.api.setQueuesAvailable(false);
    try {
      // no reload: the page reads the queues again by itself
      const alert = p.getByRole('alert').filter({ hasText: 'The queues cannot be read right now' });
      await alert.waitFor();
      await expect(alert.innerText()).resolves.toContain(QUEUE_UNAVAILABLE_DETAIL);
      expect(callsTo('GET', '/api/v1/queues').slice(before).map((c) => c.status)).toContain(503);
      expect(await p.getByRole('table', { name: 'Queues' }).count()).toBe(0);
      await noRawJson(p);
      await shot(p, 'queues-unavailable');
      // the same when the page is opened while Redis is down
      await p.reload();
      await alert.waitFor();
      await noRawJson(p);
    } finally {
      h.api.setQueuesAvailable(true);
    }
    await p.getByRole('table', { name: 'Queues' }).waitFor();
    expect(await p.getByRole('alert').filter({ hasText: 'The queues cannot be read right now' }).count()).toBe(0);
  });

  it('lists bulk revocations newest first with their progress, and a member admin only its organization\'s', async () => {
    const p = await signIn(OPERATOR);
    const mark = h.api.calls.length;
    await p.getByRole('menuitem', { name: 'Bulk revocations' }).click();
    await p.getByRole('columnheader', { name: 'Progress' }).waitFor();
    const rows = p.locator('tbody tr');
    await rows.filter({ hasText: '2 / 2' }).waitFor();
    // organization and CA names are references fetched after the rows
    await rows.filter({ hasText: 'Sunrise Clinic' }).first().waitFor();
    await rows.filter({ hasText: 'CN=Lapsed Community Issuing CA' }).first().waitFor();
    const list = h.api.calls.slice(mark).find((c) => c.method === 'GET' && c.path === '/api/v1/bulk-revocations')!;
    expect(JSON.parse(list.query.get('sort')!)).toEqual(['createdAt', 'DESC']);
    const texts = await rows.allInnerTexts();
    expect(texts.map((t) => t.match(/\d+ \/ (\d+|\?)/)?.[0])).toEqual(['1200 / 3000', '40 / 120', '2 / 2']);
    expect(texts[0]).toMatch(/running\s+CA retired\s+CN=Lapsed Community Issuing CA\s+cessationOfOperation/);
    expect(texts[1]).toMatch(/failed\s+organization suspended\s+Harbor Labs\s+privilegeWithdrawn/);
    expect(texts[2]).toMatch(/completed\s+organization suspended\s+Sunrise Clinic\s+affiliationChanged/);
    const bars = await p.getByRole('progressbar', { name: 'Revocation progress' }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-valuenow')));
    expect(bars).toEqual(['40', '33', '100']);
    await shot(p, 'bulk-revocations');

    // the failed one: its error in an alert
    await rows.nth(1).click();
    await expect(p.getByRole('alert').filter({ hasText: 'Connection terminated' }).innerText()).resolves.toBe('Connection terminated unexpectedly');

    const member = await signIn(MEMBER_ADMIN);
    await member.getByRole('menuitem', { name: 'Bulk revocations' }).click();
    const mine = member.locator('tbody tr');
    await mine.first().getByText('2 / 2').waitFor();
    // the organization's name is a reference the list fetches after its rows: wait for it, not only the row
    await mine.first().getByText('Sunrise Clinic').waitFor();
    await expect(mine.count()).resolves.toBe(1);
    await expect(mine.first().innerText()).resolves.toContain('Sunrise Clinic');
  });

  it('suspends with the chosen revocation, then follows the bulk revocation on its page while it runs', async () => {
    const p = await signIn(OPERATOR);
    await p.getByRole('menuitem', { name: 'Organizations' }).click();
    await p.getByRole('cell', { name: 'Sunrise Clinic' }).click();
    await p.getByRole('button', { name: 'Suspend' }).click();
    const dialog = p.getByRole('dialog');
    await expect(dialog.getByLabel('Revoke all live certificates').isChecked()).resolves.toBe(true);
    await expect(dialog.getByLabel('Revocation reason').innerText()).resolves.toBe('privilegeWithdrawn');
    await dialog.getByLabel('Revocation reason').click();
    await expect(p.getByRole('option').allInnerTexts()).resolves.toEqual([...BULK_REASONS]);
    await p.getByRole('option', { name: 'keyCompromise' }).click();
    // what it revokes, counted before deciding: Sunrise Clinic's two live certificates and the one on hold
    await expect(dialog.getByTestId('affected-certificates').innerText())
      .resolves.toBe('2 live certificates will be revoked, with 1 certificate on hold. Revocation cannot be undone.');
    expect(callsTo('GET', `/api/v1/organizations/${ids.org}/impact`).map((c) => c.status)).toEqual([200]);
    await dialog.getByLabel('Reason', { exact: true }).fill('Private keys leaked in a breach');
    // revoking cannot be undone: the organization's name is typed first
    const submit = dialog.getByRole('button', { name: 'Suspend' });
    const confirmation = dialog.getByLabel('Confirmation');
    await expect(submit.isDisabled()).resolves.toBe(true);
    for (const wrong of ['Sunrise', 'sunrise clinic', 'Harbor Labs']) {
      await confirmation.fill(wrong);
      await expect(submit.isDisabled()).resolves.toBe(true);
      await dialog.getByText('Does not match yet: the button stays disabled').waitFor();
    }
    await confirmation.fill(' Sunrise Clinic ');
    await dialog.getByText('Matches: you may confirm').waitFor();
    await expect(submit.isDisabled()).resolves.toBe(false);
    await shot(p, 'suspend-dialog-impact');
    // a freeze only (no revocation) is undone by reinstating: no typed confirmation, and the counts say they stay
    await dialog.getByLabel('Revoke all live certificates').uncheck();
    await dialog.getByText('2 live certificates and 1 certificate on hold stay as they are.').waitFor();
    expect(await dialog.getByLabel('Confirmation').count()).toBe(0);
    await dialog.getByLabel('Revoke all live certificates').check();
    await confirmation.fill('Sunrise Clinic');
    await submit.click();

    await p.getByText('Sunrise Clinic suspended: revoking its live certificates (keyCompromise)').waitFor();
    const suspend = callsTo('POST', `/api/v1/organizations/${ids.org}/suspend`);
    expect(suspend.map((c) => [c.status, c.body])).toEqual([[200, { reason: 'Private keys leaked in a breach', revokeCertificates: true, revocationReason: 'keyCompromise' }]]);
    await p.waitForURL(/\/bulk-revocations\/[0-9a-f-]+\/show$/);
    const id = p.url().split('/').at(-2)!;

    // the stand-in moves one step per read: the page reads it again every 2 s until it is done
    await p.getByText('updating every 2 s').waitFor();
    await p.getByText(/^[0-2] \/ 3$/).waitFor();
    await shot(p, 'bulk-revocation');
    await p.getByText('3 / 3').waitFor({ timeout: 20_000 });
    await p.getByText('completed', { exact: true }).waitFor();
    expect(callsTo('GET', `/api/v1/bulk-revocations/${id}`).length).toBeGreaterThanOrEqual(4);
    const crls = p.getByRole('table', { name: 'CRL numbers' });
    await crls.getByText(ISSUING_SUBJECT).waitFor();
    await expect(crls.getByRole('row').nth(1).innerText()).resolves.toMatch(/#8$/);
    expect(await p.getByText('updating every 2 s').count()).toBe(0);
    // completed: no more reads
    const reads = callsTo('GET', `/api/v1/bulk-revocations/${id}`).length;
    await p.waitForTimeout(2500);
    expect(callsTo('GET', `/api/v1/bulk-revocations/${id}`).length).toBe(reads);
    await shot(p, 'bulk-revocation-completed');

    // the organization's page lists its bulk revocations
    const mark = h.api.calls.length;
    await p.getByRole('link', { name: 'Sunrise Clinic' }).click();
    await p.getByText('Private keys leaked in a breach').waitFor();
    const section = p.locator('tbody tr').filter({ hasText: /\d+ \/ \d+/ });
    await section.nth(1).waitFor();
    expect((await section.allInnerTexts()).map((t) => t.match(/(\w+)\s+(\w+)\s+(\d+ \/ \d+)/)?.slice(1))).toEqual([
      ['completed', 'keyCompromise', '3 / 3'], ['completed', 'affiliationChanged', '2 / 2'],
    ]);
    expect(h.api.calls.slice(mark).some((c) => c.path === '/api/v1/bulk-revocations' && JSON.parse(c.query.get('filter') ?? '{}').organizationId === ids.org)).toBe(true);
  });

  it('retires an active issuing CA with the chosen reason and links to the revocation of its certificates', async () => {
    const p = await signIn(OPERATOR);
    await openIssuingCa(p);
    // only the issuing CA can be ended, not the root
    await expect(p.getByRole('button', { name: 'Retire' }).count()).resolves.toBe(1);
    await p.getByRole('button', { name: 'Retire' }).click();
    const dialog = p.getByRole('dialog');
    await expect(dialog.getByRole('button', { name: 'Retire' }).isDisabled()).resolves.toBe(true);
    await dialog.getByLabel('Revocation reason').click();
    await expect(p.getByRole('option').allInnerTexts()).resolves.toEqual(['cessationOfOperation', 'superseded']);
    await p.getByRole('option', { name: 'superseded' }).click();
    await dialog.getByLabel(/^Reason/).fill('Replaced by the 2026 issuing CA');
    // what it revokes and who lists its own certificate, before deciding
    await expect(dialog.getByTestId('affected-certificates').innerText()).resolves
      .toBe('3 live certificates will be revoked, with 1 certificate on hold (and 1 expired certificate marked revoked too). Revocation cannot be undone.');
    await expect(dialog.getByTestId('parent-crl').innerText()).resolves
      .toBe('Its own certificate is revoked on the CRL of CN=Example Trust Community Root CA, published at once.');
    // retiring cannot be undone either: the subject (or RETIRE) typed first
    const submit = dialog.getByRole('button', { name: 'Retire' });
    const confirmation = dialog.getByLabel('Confirmation');
    for (const wrong of ['', 'retire', 'CN=Example Trust Community Root CA']) {
      await confirmation.fill(wrong);
      await expect(submit.isDisabled()).resolves.toBe(true);
    }
    await confirmation.fill(ISSUING_SUBJECT);
    await expect(submit.isDisabled()).resolves.toBe(false);
    await confirmation.fill('RETIRE');
    await expect(submit.isDisabled()).resolves.toBe(false);
    expect(callsTo('POST', `/api/v1/cas/${ids.issuingCa}/retire`)).toEqual([]);
    await shot(p, 'retire-dialog-impact');
    await submit.click();

    await p.getByText(`${ISSUING_SUBJECT} is retired; its parent's CRL #13 lists it.`).waitFor();
    const retire = callsTo('POST', `/api/v1/cas/${ids.issuingCa}/retire`);
    expect(retire.map((c) => [c.status, c.body])).toEqual([[200, { reason: 'Replaced by the 2026 issuing CA', revocationReason: 'superseded' }]]);
    await expect(p.getByRole('link', { name: 'Follow the revocation of its certificates' }).getAttribute('href')).resolves.toMatch(/^#\/bulk-revocations\/[0-9a-f-]+\/show$/);
    // the card reads the CA again: retired, and only "Declare compromised" is left
    await p.getByText('Retired: issues nothing').waitFor();
    await p.getByRole('button', { name: 'Retire' }).waitFor({ state: 'detached' });
    await p.getByRole('button', { name: 'Declare compromised' }).waitFor();
  });

  it('declares a CA compromised only once the confirmation is typed, and shows the notice for the offline root\'s operator', async () => {
    h.api.setRootOffline(true);
    const p = await signIn(OPERATOR);
    await openIssuingCa(p);
    await p.getByRole('button', { name: 'Declare compromised' }).click();
    const dialog = p.getByRole('dialog');
    const warning = await dialog.getByText('This cannot be undone').locator('..').innerText();
    expect(warning).toContain('Every certificate this CA issued will be revoked with cACompromise');
    const submit = dialog.getByRole('button', { name: 'Declare compromised' });
    // the root is offline: the dialog says its operator must revoke the CA's certificate
    await expect(dialog.getByTestId('parent-crl').innerText()).resolves.toBe(
      "Its parent CN=Example Trust Community Root CA is an offline root: its operator must revoke this CA's certificate on the root's CRL (the platform cannot sign it).");
    await expect(dialog.getByTestId('affected-certificates').innerText()).resolves.toMatch(/^3 live certificates will be revoked, with 1 certificate on hold/);
    await dialog.getByLabel(/^Reason/).fill('Key material found on a public server');
    await expect(submit.isDisabled()).resolves.toBe(true);
    const confirmation = dialog.getByLabel('Confirmation');
    for (const wrong of ['compromised', 'COMPROMISE', 'CN=Example Trust Community', 'yes']) {
      await confirmation.fill(wrong);
      await expect(submit.isDisabled()).resolves.toBe(true);
    }
    await confirmation.fill(ISSUING_SUBJECT);
    await expect(submit.isDisabled()).resolves.toBe(false);
    await confirmation.fill('COMPROMISED');
    await expect(submit.isDisabled()).resolves.toBe(false);
    expect(callsTo('POST', `/api/v1/cas/${ids.issuingCa}/compromise`)).toEqual([]);
    await shot(p, 'compromise-dialog');

    await submit.click();
    const notice = p.getByRole('alert').filter({ hasText: 'is offline' });
    await expect(notice.innerText()).resolves.toBe("the root CN=Example Trust Community Root CA is offline: its operator must revoke this CA's certificate (serial 5a17) on the root's CRL");
    expect(callsTo('POST', `/api/v1/cas/${ids.issuingCa}/compromise`).map((c) => [c.status, c.body])).toEqual([[200, { reason: 'Key material found on a public server' }]]);
    await p.getByText(`${ISSUING_SUBJECT} is compromised.`).waitFor();
    await p.getByText('Compromised: issues nothing').waitFor();
    expect(await p.getByRole('button', { name: 'Declare compromised' }).count()).toBe(0);

    // its bulk revocation: every certificate it issued, with cACompromise
    await p.getByRole('link', { name: 'Follow the revocation of its certificates' }).click();
    await p.waitForURL(/\/bulk-revocations\/[0-9a-f-]+\/show$/);
    await p.getByText('CA compromised', { exact: true }).waitFor();
    await p.getByText('cACompromise', { exact: true }).waitFor();
    await noRawJson(p);
  });
});
