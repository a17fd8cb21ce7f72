// Confirmation with consequences, in Chromium against the stand-in API: approving an organization shows
// the SAN URIs it binds for good with each one's endpoint check (verified, failed with the reason, never
// checked), warns when one is not proven, and needs the organization's name typed; an auditor reads
// organizations without any of these dialogs. (Suspension, retirement and compromise dialogs with their
// counts: workers.e2e-spec.ts.)
import { ENDPOINT_CHECK_FAILURES } from '@anchorage/contracts';
import { skipWithoutChromium, FIXTURE_USERS } from './browser';
import { ENDPOINT_CHECK_ERROR, ids, submittedProfile } from './fixtures';
import { TEST_TOKEN } from './stand-in-api';
import { useStandInBrowser } from './stand-in-browser';

const skip = skipWithoutChromium('console browser test');

const VERIFIED = 'https://verified.pharmacy.example/r4';
const FAILING = 'https://fhir.pharmacy.example/r4';
const UNCHECKED = 'https://new.pharmacy.example/r4';

(skip ? describe.skip : describe)('confirmation with consequences in Chromium', () => {
  const h = useStandInBrowser();
  const { signIn, shot, noRawJson, callsTo } = h;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${h.api.url}/api/v1${path}`, {
      method, headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() as Record<string, unknown> };
  };

  it('shows each SAN URI an approval binds with its endpoint check, warns about the unproven ones, and approves only once the name is typed', async () => {
    // the member asks for three SAN URIs: one passes its check, one fails it, one was never checked
    expect((await call('POST', `/organizations/${ids.submittedOrg}/submit`, { ...submittedProfile, requestedSanUris: [VERIFIED, FAILING, UNCHECKED] })).status).toBe(200);
    for (const uri of [VERIFIED, FAILING]) {
      expect((await call('POST', `/organizations/${ids.submittedOrg}/endpoint-checks`, { uri })).status).toBe(201);
      expect((await call('POST', `/organizations/${ids.submittedOrg}/endpoint-checks/run`, { uri })).json.status).toBe(uri === VERIFIED ? 'verified' : 'failed');
    }

    const p = await signIn(FIXTURE_USERS.operator);
    await p.goto(`${h.api.url}/#/organizations/${ids.submittedOrg}/show`);
    await p.getByText('Submitted profile (revision 3)').waitFor();
    await p.getByRole('button', { name: 'Approve' }).click();
    const dialog = p.getByRole('dialog', { name: 'Approve Pending Pharmacy' });
    const table = dialog.getByRole('table', { name: 'SAN URIs bound by the approval' });
    await table.getByText(VERIFIED).waitFor();
    // each state in words, not by colour alone
    await expect(table.getByRole('row').allInnerTexts().then((rows) => rows.map((r) => r.replace(/\n+/g, '')))).resolves.toEqual([
      'SAN URI\tBinding\tEndpoint check',
      `${VERIFIED}\tBound for good on approval\tVerified`,
      `${FAILING}\tBound for good on approval\tFailed: ${ENDPOINT_CHECK_FAILURES[ENDPOINT_CHECK_ERROR]}`,
      `${UNCHECKED}\tBound for good on approval\tNever checked`,
    ]);
    await dialog.getByText(/binds 3 SAN URIs to\s+it for good/).waitFor();
    const warning = dialog.getByTestId('unproven-endpoints');
    await expect(warning.getAttribute('role')).resolves.toBe('alert');
    await expect(warning.innerText()).resolves.toMatch(
      new RegExp(`^Warning: 2 of 3 SAN URIs did not pass the endpoint check \\(${FAILING.replace(/\./g, '\\.')}: failed: .+; ${UNCHECKED.replace(/\./g, '\\.')}: never checked\\)`));

    // the button waits for the organization's name, exactly
    const approve = dialog.getByRole('button', { name: 'Approve and bind' });
    const confirmation = dialog.getByLabel('Confirmation');
    await expect(approve.isDisabled()).resolves.toBe(true);
    for (const wrong of ['Pending', 'pending pharmacy', 'Pending Pharmacy LLC']) {
      await confirmation.fill(wrong);
      await expect(approve.isDisabled()).resolves.toBe(true);
    }
    await confirmation.fill('Pending Pharmacy');
    await dialog.getByText('Matches: you may confirm').waitFor();
    await expect(approve.isDisabled()).resolves.toBe(false);
    expect(callsTo('POST', `/api/v1/organizations/${ids.submittedOrg}/approve`)).toEqual([]);
    await shot(p, 'approve-dialog-endpoint-checks');

    await approve.click();
    await p.getByText('Pending Pharmacy LLC approved: active, with 3 SAN URIs bound').waitFor();
    expect(callsTo('POST', `/api/v1/organizations/${ids.submittedOrg}/approve`).map((c) => [c.status, c.body])).toEqual([[200, { profileRevision: 3 }]]);
    expect(callsTo('GET', `/api/v1/organizations/${ids.submittedOrg}/impact`).map((c) => c.status)).toEqual([200]);
    await noRawJson(p);

    // now active: a suspension counts its certificates (none) and still needs the name, as it revokes
    await p.getByRole('button', { name: 'Suspend' }).click();
    const suspend = p.getByRole('dialog');
    await expect(suspend.getByTestId('affected-certificates').innerText()).resolves
      .toBe('0 live certificates will be revoked. Nothing is revoked: there are no certificates to revoke.');
    await suspend.getByLabel('Reason', { exact: true }).fill('Membership lapsed');
    await expect(suspend.getByRole('button', { name: 'Suspend' }).isDisabled()).resolves.toBe(true);
    await suspend.getByLabel('Confirmation').fill('Pending Pharmacy LLC');
    await expect(suspend.getByRole('button', { name: 'Suspend' }).isDisabled()).resolves.toBe(false);
    await suspend.getByRole('button', { name: 'Cancel' }).click();
  });

  it('gives an auditor no decision buttons, so no impact is read for it', async () => {
    const p = await signIn(FIXTURE_USERS.auditor);
    await p.goto(`${h.api.url}/#/organizations/${ids.org}/show`);
    await p.getByText('Sunrise Clinic').first().waitFor();
    await p.getByRole('button', { name: /^Profile/ }).waitFor();
    for (const name of ['Approve', 'Suspend']) expect(await p.getByRole('button', { name }).count()).toBe(0);
    expect(callsTo('GET', `/api/v1/organizations/${ids.org}/impact`)).toEqual([]);
  });
});
