/**
 * Passkeys in Chromium against the real server, through its virtual authenticator (DevTools WebAuthn domain): a
 * person signed in with the ID card adds a passkey on "my data"; a new session signs in with it (substantial) and
 * "my data" accepts it; a relying party that asks for high then gets the login page offering only the card, and
 * the card's login carries acr high.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type HolderCard, issueCard } from '../oidc/card-fixtures.js';
import { createCitizen } from '../oidc/oidc-fixtures.js';
import { browserSkipReason, type TestBrowser } from '../support/browser.js';
import { type CitizenServer, startCitizenServer } from '../support/citizen-server.js';
import { addVirtualAuthenticator, type VirtualAuthenticator } from '../support/virtual-authenticator.js';
import { cardBrowser, signInToMyDataWithCard, waitForMyData } from './citizen-browser.js';
import { RelyingParty, redirectOf } from './relying-party.js';

const UIN = '7300000001';
const SUBSTANTIAL = 'http://eidas.europa.eu/LoA/substantial';
const HIGH = 'http://eidas.europa.eu/LoA/high';

describe('a passkey in Chromium, added after a card sign-in and used for the next one', { skip: browserSkipReason({ nss: true }) }, () => {
  let server: CitizenServer;
  let card: HolderCard;
  let browser: TestBrowser;
  let authenticator: VirtualAuthenticator;
  before(async () => {
    server = await startCitizenServer();
    await createCitizen(server.office, UIN);
    card = await issueCard(server.office, 'REQ-E2E-PASSKEY', UIN);
    browser = await cardBrowser(server, card);
    authenticator = await addVirtualAuthenticator(browser.page);
  });
  after(async () => {
    await authenticator?.remove();
    await browser?.close();
    await server?.stop();
  });

  it('is added on "my data" during a card session', async () => {
    const { page } = browser;
    await signInToMyDataWithCard(page, server);
    assert.equal(await page.getByText('You have no passkey.').count(), 1);
    assert.equal(await page.getByRole('heading', { name: 'Passkeys' }).count(), 1, 'one heading for the section');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    // The script reloads the page once the server verified the new passkey.
    await page.getByRole('button', { name: 'Remove' }).waitFor();
    assert.match(await page.locator('section[aria-labelledby="passkeys"] li').innerText(), /^Added \d{4}-\d{2}-\d{2}; Last used: never/);
    const held = await authenticator.credentials();
    assert.equal(held.length, 1);
    assert.equal(held[0]?.rpId, 'localhost');
    assert.ok(held[0]?.isResidentCredential, 'a discoverable credential');
  });

  it('signs a new session in at substantial: "my data" accepts it, a relying party gets acr substantial', async () => {
    const { page, context } = browser;
    await context.clearCookies();
    await page.goto(`${server.origin}/me/`);
    assert.equal(await page.title(), 'Sign in with your national identity');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await waitForMyData(page, server);
    assert.equal(await page.title(), 'My data');
    assert.match(await page.locator('section[aria-labelledby="passkeys"] li').innerText(), /Last used: \d{4}-\d{2}-\d{2}/);
    const [used] = await authenticator.credentials();
    assert.ok((used?.signCount ?? 0) > 0, 'the authenticator signed');

    const health = await RelyingParty.discover(server, 'health-portal');
    const authorization = await health.authorize();
    await page.goto(authorization.url);
    assert.equal(await page.title(), 'Share your data', 'the passkey session is enough: no login page');
    await page.getByRole('button', { name: 'Share and continue' }).click();
    const claims = await health.verifiedIdToken((await authorization.finish((await redirectOf(page, server)).href)).id_token);
    assert.equal(claims.acr, SUBSTANTIAL);
  });

  it('steps up to the card when a relying party asks for high: the login page offers only the card', async () => {
    const { page } = browser;
    const border = await RelyingParty.discover(server, 'border-portal');
    const authorization = await border.authorize();
    await page.goto(authorization.url);
    assert.equal(await page.title(), 'Sign in with your national identity', 'the passkey session is not enough');
    assert.equal(await page.getByRole('button', { name: 'Sign in with a passkey' }).count(), 0);
    assert.equal(await page.locator('[data-passkey-login]').count(), 0);
    await page.getByRole('link', { name: 'Sign in with my ID card' }).click();
    await page.waitForURL((url) => url.origin === server.origin && url.pathname.startsWith('/oidc/interaction/'));
    await page.getByRole('button', { name: 'Share and continue' }).click();
    const claims = await border.verifiedIdToken((await authorization.finish((await redirectOf(page, server)).href)).id_token);
    assert.equal(claims.acr, HIGH);
  });
});
