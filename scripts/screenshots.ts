/**
 * `npm run screenshots`: makes docs/screenshots/login.png (the provider's login page) and docs/screenshots/me.png
 * ("my data" with a few accesses) from the real server and Debian's Chromium, as the browser tests run them: a
 * citizen with an ID card issued by our CMS, a bank's Third Party verify, a health portal's sign-in with consent.
 */
import { issueCard } from '../test/oidc/card-fixtures.js';
import { createCitizen } from '../test/oidc/oidc-fixtures.js';
import { cardBrowser, waitForMyData } from '../test/browser/citizen-browser.js';
import { RelyingParty, redirectOf } from '../test/browser/relying-party.js';
import { browserSkipReason, saveScreenshot } from '../test/support/browser.js';
import { startCitizenServer } from '../test/support/citizen-server.js';

const UIN = '7500000001';

async function main(): Promise<void> {
  const missing = browserSkipReason({ nss: true });
  if (missing) throw new Error(missing);
  const server = await startCitizenServer();
  try {
    await createCitizen(server.office, UIN);
    const card = await issueCard(server.office, 'REQ-SCREENSHOTS', UIN);
    const verified = await server.fetch(`${server.origin}/thirdparty/v1/verify/${UIN}?transactionId=tx-screenshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await server.token('id.verify', 'first-bank')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ biographicData: { lastName: 'Lovelace', dateOfBirth: '1815-12-10' } }),
    });
    if (verified.status !== 200) throw new Error(`verify answered ${verified.status}: ${await verified.text()}`);
    const browser = await cardBrowser(server, card);
    try {
      const { page } = browser;
      const health = await RelyingParty.discover(server, 'health-portal');
      const authorization = await health.authorize({ scope: 'openid profile birth' });
      await page.goto(authorization.url);
      await page.locator('[data-passkey-login]').waitFor();
      console.log(await saveScreenshot(page, 'login'));
      await page.getByRole('link', { name: 'Sign in with my ID card' }).click();
      await page.getByRole('button', { name: 'Share and continue' }).click();
      const tokens = await authorization.finish((await redirectOf(page, server)).href);
      const { sub } = await health.verifiedIdToken(tokens.id_token);
      await health.userinfo(tokens.access_token, String(sub));
      await page.goto(`${server.origin}/me/`);
      await waitForMyData(page, server);
      console.log(await saveScreenshot(page, 'me'));
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`screenshots: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
