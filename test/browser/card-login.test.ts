/**
 * The code flow in Debian's Chromium against the real server: a relying party written with openid-client sends the
 * browser to the provider, the person signs in with the ID card (Chromium presents the holder certificate our CMS
 * issued, from its NSS database, on the card listener's TLS handshake), unticks an optional claim on the consent
 * page, and the relying party gets the code, the tokens and userinfo: acr high, the pairwise sub of its sector, the
 * claims consented and only those.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { SectorTokens } from '../../src/identity/sector-tokens.js';
import { Store } from '../../src/storage/store.js';
import { issueCard } from '../oidc/card-fixtures.js';
import { createCitizen, PIVOT } from '../oidc/oidc-fixtures.js';
import { browserSkipReason, launchBrowser, type TestBrowser } from '../support/browser.js';
import { type CitizenServer, startCitizenServer } from '../support/citizen-server.js';
import { RelyingParty, redirectOf } from './relying-party.js';

const UIN = '7100000001';
const HIGH = 'http://eidas.europa.eu/LoA/high';

describe('sign-in with the ID card in Chromium, for a relying party using openid-client', { skip: browserSkipReason({ nss: true }) }, () => {
  let server: CitizenServer;
  let browser: TestBrowser;
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  before(async () => {
    server = await startCitizenServer({ logger: pino({ level: 'info' }, sink) });
    await createCitizen(server.office, UIN);
    const card = await issueCard(server.office, 'REQ-E2E-CARD', UIN);
    browser = await launchBrowser({
      trustedCaPems: [server.pki.caCert],
      clientCertificate: { certPem: card.authentication.cert, keyPem: card.authentication.key, origins: [server.cardOrigin] },
    });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('logs in with the card, releases the consented claims under the sector\'s sub at acr high, and the ID token verifies', async () => {
    const { page } = browser;
    const health = await RelyingParty.discover(server, 'health-portal');
    const authorization = await health.authorize({ scope: 'openid profile birth' });
    await page.goto(authorization.url);
    assert.equal(await page.title(), 'Sign in with your national identity');
    assert.ok(page.url().startsWith(`${server.origin}/oidc/interaction/`), page.url());
    await page.getByRole('link', { name: 'Sign in with my ID card' }).click();

    await page.waitForURL((url) => url.origin === server.origin && url.pathname.startsWith('/oidc/interaction/'));
    assert.equal(await page.title(), 'Share your data');
    await page.getByLabel('Sex').uncheck();
    await page.getByRole('button', { name: 'Share and continue' }).click();
    const callback = await redirectOf(page, server);
    assert.ok(callback.searchParams.get('code'), callback.href);

    const tokens = await authorization.finish(callback.href);
    const idToken = await health.verifiedIdToken(tokens.id_token);
    assert.equal(idToken.acr, HIGH);
    const sectors = await SectorTokens.open(new Store(server.office.storage), { dataDir: server.office.dataDir, tokenSecret: undefined, sectors: { clients: {} } });
    assert.equal(idToken.sub, await sectors.issue('health', UIN), 'sub is the health sector token of the UIN');
    assert.notEqual(idToken.sub, UIN);

    // Exactly the claims consented: the unticked gender is not released, nor anything undeclared.
    assert.deepEqual(await health.userinfo(tokens.access_token, String(idToken.sub)), {
      sub: idToken.sub,
      given_name: PIVOT.firstName,
      family_name: PIVOT.lastName,
      birthdate: PIVOT.dateOfBirth,
      birthplace: PIVOT.placeOfBirth,
      birthcountry: PIVOT.countryOfBirth,
    });
  });

  it('gives the relying party of another sector another sub, in the same browser session', async () => {
    const { page } = browser;
    const health = await RelyingParty.discover(server, 'health-portal');
    const tax = await RelyingParty.discover(server, 'tax-portal');
    const subOf = async (rp: RelyingParty) => {
      const authorization = await rp.authorize();
      await page.goto(authorization.url);
      // The session of the card login holds: no login page; the consent page unless given already.
      assert.notEqual(await page.title(), 'Sign in with your national identity');
      if ((await page.title()) === 'Share your data') await page.getByRole('button', { name: 'Share and continue' }).click();
      const claims = await rp.verifiedIdToken((await authorization.finish((await redirectOf(page, server)).href)).id_token);
      assert.equal(claims.acr, HIGH);
      return claims.sub;
    };
    const [healthSub, taxSub] = [await subOf(health), await subOf(tax)];
    assert.ok(healthSub && taxSub);
    assert.notEqual(healthSub, taxSub);
  });

  it('logs the card sign-in without naming the person: a card certificate\'s subject is the holder\'s name', () => {
    const lines = logLines.map((line) => JSON.parse(line) as { operationId?: string; clientCertificate?: string });
    assert.ok(lines.some((line) => line.operationId === 'loginWithCard'), 'the card step was logged');
    assert.deepEqual(lines.filter((line) => line.clientCertificate !== undefined), []);
    assert.ok(!logLines.some((line) => line.includes(PIVOT.lastName)), 'no line holds the holder\'s name');
  });
});
