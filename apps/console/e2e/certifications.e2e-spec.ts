// The certifications page in Chromium against the stand-in API: an operator lists the certifications of
// member apps, narrows them to one organization and one app, and revokes one with a reason (the chip and
// the reason follow, the request carries the reason); a member admin sees those its organization is a
// party to and may revoke only those it signed as the certifier; an auditor reads only.
import type { Page } from 'playwright-core';
import { skipWithoutChromium, FIXTURE_USERS } from './browser';
import { APPS, CERTIFICATION_WORDS, certificationIds, platformCertifier, REVOKED_REASON } from './stand-in-certifications';
import { ids } from './fixtures';
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

(skip ? describe.skip : describe)('certification forms in the console in Chromium', () => {
  const h = useStandInBrowser();
  const { signIn, shot, noRawJson, callsTo } = h;
  const TEFCA = 'TEFCA Basic App Certification';
  const SUNRISE_APP = 'https://fhir.sunrise.example/r4';
  const openList = async (p: Page) => {
    await p.getByRole('menuitem', { name: 'Certifications' }).click();
    await p.getByRole('cell', { name: APPS.sunriseOld }).waitFor();
  };
  const choose = async (p: Page, scope: ReturnType<Page['getByRole']>, label: string, option: string) => {
    await scope.getByRole('combobox', { name: label }).click();
    await p.getByRole('option', { name: option, exact: true }).click();
  };
  const helperOf = (field: ReturnType<Page['getByRole']>) => field.locator('xpath=ancestor::div[contains(@class,"MuiFormControl-root")][1]').locator('.MuiFormHelperText-root');
  const jws = (claims: object) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2lnbmF0dXJl`;

  it('lets an operator add templates (own terms with a refused URI under its field, the built-in one, a duplicate refused in words)', async () => {
    const p = await signIn(FIXTURE_USERS.operator);
    await openList(p);
    await p.getByRole('button', { name: 'Add template' }).click();
    const dialog = p.getByRole('dialog', { name: 'Add a certification template' });
    await choose(p, dialog, 'Community', 'Example Trust Community');
    await dialog.getByLabel("The community's own terms").check();
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Sunrise Quality Seal');
    const uris = dialog.getByRole('textbox', { name: 'Criteria URIs' });
    await uris.fill('criteria page');
    await dialog.getByRole('button', { name: 'Add template' }).click();
    await dialog.getByText(CERTIFICATION_WORDS.absoluteUri('criteria page')).waitFor();
    expect(await helperOf(uris).innerText()).toBe(CERTIFICATION_WORDS.absoluteUri('criteria page'));
    await noRawJson(p);
    await shot(p, 'certification-template-refused');
    await uris.fill('https://quality.sunrise.example/seal');
    await dialog.getByRole('button', { name: 'Add template' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(callsTo('POST', `/api/v1/communities/${ids.community}/certification-templates`).at(-1)!.body).toEqual({
      name: 'Sunrise Quality Seal', uris: ['https://quality.sunrise.example/seal'], grantTypes: ['client_credentials'], responseTypes: [], scopes: [], exchangePurposes: [],
    });

    // the built-in one in one choice; a second time it is a conflict, said in the dialog
    for (const attempt of [1, 2]) {
      await p.getByRole('button', { name: 'Add template' }).click();
      const again = p.getByRole('dialog', { name: 'Add a certification template' });
      await choose(p, again, 'Community', 'Example Trust Community');
      expect(await again.innerText()).toContain(`Built-in: ${TEFCA}`);
      await shot(p, `certification-template-built-in-${attempt}`);
      await again.getByRole('button', { name: 'Add template' }).click();
      if (attempt === 1) await again.waitFor({ state: 'detached' });
      else {
        await again.getByRole('alert').filter({ hasText: CERTIFICATION_WORDS.duplicateTemplate(TEFCA) }).waitFor();
        await noRawJson(p);
        await again.getByRole('button', { name: 'Cancel' }).click();
      }
    }
    expect(callsTo('POST', `/api/v1/communities/${ids.community}/certification-templates`).slice(-2).map((c) => c.body)).toEqual([{ builtIn: 'tefca-basic-app' }, { builtIn: 'tefca-basic-app' }]);
  });

  it('lets an operator issue a certification with the platform certifier (a refused app said under its field) and revoke it', async () => {
    const p = await signIn(FIXTURE_USERS.operator);
    await openList(p);
    await p.getByRole('button', { name: 'Issue certification' }).click();
    const dialog = p.getByRole('dialog', { name: 'Issue a certification' });
    await choose(p, dialog, 'Community', 'Example Trust Community');
    await choose(p, dialog, 'Certifier', platformCertifier.sanUri);
    await choose(p, dialog, 'Template', TEFCA);
    await choose(p, dialog, 'Certified organization', 'Harbor Labs');
    await choose(p, dialog, 'App client URI', 'https://fhir.harbor.example/r4');
    await dialog.getByLabel('T-TREAT').check();
    await dialog.getByRole('button', { name: 'Issue certification' }).click();
    const refusal = CERTIFICATION_WORDS.notClientUri('https://fhir.harbor.example/r4');
    await dialog.getByText(refusal).waitFor();
    expect(await helperOf(dialog.getByRole('combobox', { name: 'App client URI' })).innerText()).toBe(refusal);
    await shot(p, 'certification-issue-refused');

    await choose(p, dialog, 'Certified organization', 'Sunrise Clinic');
    await choose(p, dialog, 'App client URI', SUNRISE_APP);
    await dialog.getByRole('button', { name: 'Issue certification' }).click();
    await dialog.waitFor({ state: 'detached' });
    const sent = callsTo('POST', '/api/v1/certifications/issue').at(-1)!.body as Record<string, unknown>;
    expect(sent).toEqual({
      certifierId: platformCertifier.id, templateId: expect.any(String), organizationId: ids.org, sub: SUNRISE_APP, grantTypes: ['client_credentials'],
      exchangePurposes: ['T-TREAT'], validityDays: 365,
    });
    const issued = p.getByRole('row').filter({ hasText: SUNRISE_APP });
    await issued.waitFor();
    expect(await issued.innerText()).toContain('active');
    await shot(p, 'certification-issued');

    await issued.getByRole('button', { name: 'Revoke' }).click();
    const revoke = p.getByRole('dialog', { name: 'Revoke certification' });
    await revoke.getByLabel('Reason').fill('Issued to the wrong app');
    await revoke.getByRole('button', { name: 'Revoke certification' }).click();
    await revoke.waitFor({ state: 'detached' });
    await issued.getByText('Issued to the wrong app').waitFor();
    expect(await issued.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
  });

  it('lets an operator record an external certification JWT: a malformed one and one off its template are refused in words', async () => {
    const p = await signIn(FIXTURE_USERS.operator);
    await openList(p);
    await p.getByRole('button', { name: 'Record certification' }).click();
    const dialog = p.getByRole('dialog', { name: 'Record a certification' });
    await choose(p, dialog, 'Community', 'Example Trust Community');
    await choose(p, dialog, 'Template', TEFCA);
    await choose(p, dialog, 'Certified organization', 'Sunrise Clinic');
    const jwt = dialog.getByRole('textbox', { name: 'Certification JWT' });
    await jwt.fill('not a JWT');
    await dialog.getByRole('button', { name: 'Record certification' }).click();
    await dialog.getByText(CERTIFICATION_WORDS.compactJws).waitFor();
    expect(await helperOf(jwt).innerText()).toBe(CERTIFICATION_WORDS.compactJws);
    const claims = { iss: 'https://certify.sunrise.example/udap', sub: 'https://apps.sunrise.example/recorded-client', certification_name: 'Another Seal' };
    await jwt.fill(jws(claims));
    await dialog.getByRole('button', { name: 'Record certification' }).click();
    await dialog.getByRole('alert').filter({ hasText: CERTIFICATION_WORDS.wrongName(TEFCA) }).waitFor();
    await noRawJson(p);
    await shot(p, 'certification-record-refused');
    const good = jws({ ...claims, certification_name: TEFCA });
    await jwt.fill(good);
    await dialog.getByRole('button', { name: 'Record certification' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(callsTo('POST', '/api/v1/certifications').at(-1)!.body).toEqual({ templateId: expect.any(String), organizationId: ids.org, jwt: good });
    await p.getByRole('row').filter({ hasText: claims.sub }).waitFor();
    await shot(p, 'certification-recorded');
  });

  it('offers the forms to operators only', async () => {
    for (const user of [FIXTURE_USERS.memberAdmin, FIXTURE_USERS.auditor]) {
      const p = await signIn(user);
      await p.getByRole('menuitem', { name: 'Certifications' }).click();
      await p.locator('tbody tr').first().waitFor();
      for (const name of ['Add template', 'Issue certification', 'Record certification']) expect(await p.getByRole('button', { name }).count()).toBe(0);
    }
  });
});
