// A community's warnings in the console, in Chromium against the stand-in API: the fixture community's
// CAs are EC-P256, so the API's view carries the warning about RSA-only relying parties, which the
// community page shows as a warning Alert with its words; a community without warnings shows none.
import type { Page } from 'playwright-core';
import type { CommunityView } from '@anchorage/contracts';
import { FIXTURE_USERS, skipWithoutChromium } from './browser';
import { ids } from './fixtures';
import { useStandInBrowser } from './stand-in-browser';

const skip = skipWithoutChromium('console browser test');

(skip ? describe.skip : describe)('community warnings in the console in Chromium', () => {
  const h = useStandInBrowser();
  const { signIn, shot, noRawJson } = h;

  const openCommunity = async (p: Page) => {
    await p.getByRole('menuitem', { name: 'Communities' }).click();
    // the list's cell, exactly: a substring match could click a CA name still on the page being left
    await p.getByRole('cell', { name: 'Example Trust Community', exact: true }).click();
    // (named twice: in the CA hierarchy picture and on its CA card)
    await p.getByText('CN=Example Trust Community Issuing CA').first().waitFor();
  };

  it('shows the EC CA warning on the community page as an Alert with its words', async () => {
    const p = await signIn(FIXTURE_USERS.operator);
    await openCommunity(p);
    const alert = p.getByRole('region', { name: 'Community warnings' }).getByRole('alert');
    await alert.waitFor();
    expect(await alert.count()).toBe(1);
    await expect(alert.getAttribute('data-code')).resolves.toBe('ec-ca-rsa-only-relying-parties');
    const text = await alert.innerText();
    expect(text).toContain("RSA-only relying parties will reject this community's certificates");
    expect(text).toContain('EC CA key (root CA EC-P256, issuing CA EC-P256)');
    expect(text).toMatch(/node-forge based, such as the Node UDAP client library/);
    expect(text).toContain('policy requireRsaChain enforces it');
    // a warning Alert, told by its title and icon as well as by its colour
    await expect(alert.getAttribute('class')).resolves.toMatch(/MuiAlert-colorWarning/);
    expect(await alert.locator('.MuiAlert-icon svg').count()).toBe(1);
    await p.getByText(/CA keys RSA or EC/).waitFor();
    await noRawJson(p);
    await shot(p, 'community-ec-warning');
  });

  it('shows no warning for a community whose view has none', async () => {
    const p = await signIn(FIXTURE_USERS.auditor);
    // the same community as an RSA-chain one would come back: no warnings, requireRsaChain set
    await p.route(`**/api/v1/communities/${ids.community}`, async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as CommunityView;
      await route.fulfill({ response: res, json: { ...body, warnings: [], policy: { ...body.policy, requireRsaChain: true } } });
    });
    await openCommunity(p);
    await p.getByText(/CA keys RSA only \(requireRsaChain\)/).waitFor();
    expect(await p.getByRole('region', { name: 'Community warnings' }).count()).toBe(0);
    expect(await p.getByRole('alert').filter({ hasText: 'RSA-only relying parties' }).count()).toBe(0);
  });
});
