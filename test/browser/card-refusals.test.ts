/**
 * Sign-ins the provider refuses, in Chromium against the real server: the certificate of a revoked card, and the
 * card of a person the registry records as dead, before or during a session. The person reads why on the login
 * page; the relying party gets no code. Each person's card sits in a browser of its own (Chromium's NSS database is
 * made at launch).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import request from 'supertest';
import { credentialUrl } from '../cms/cms-fixtures.js';
import { type HolderCard, issueCard } from '../oidc/card-fixtures.js';
import { createCitizen } from '../oidc/oidc-fixtures.js';
import { browserSkipReason } from '../support/browser.js';
import { type CitizenServer, startCitizenServer } from '../support/citizen-server.js';
import { TX } from '../support/registry-fixtures.js';
import { cardBrowser, signInToMyDataWithCard } from './citizen-browser.js';
import { RelyingParty } from './relying-party.js';

describe('sign-ins refused in Chromium', { skip: browserSkipReason({ nss: true }) }, () => {
  let server: CitizenServer;
  before(async () => {
    // The job that ends a dead person's sessions paused (it runs with the outboxes): the session's own checks must do.
    server = await startCitizenServer({ env: { OSIA_OUTBOX_INTERVAL: '0' } });
  });
  after(() => server?.stop());

  /** Tries the card of `card` for the health portal; answers the page the browser ends on. */
  const tryCard = async (t: TestContext, card: HolderCard) => {
    const browser = await cardBrowser(server, card);
    t.after(() => browser.close());
    const { page } = browser;
    const callbacks: string[] = [];
    page.on('request', (sent) => {
      if (sent.url().startsWith(server.rpCallback)) callbacks.push(sent.url());
    });
    await page.goto((await (await RelyingParty.discover(server, 'health-portal')).authorize()).url);
    await page.getByRole('link', { name: 'Sign in with my ID card' }).click();
    await page.waitForURL((url) => url.origin === server.cardOrigin && url.pathname.endsWith('/card'));
    assert.deepEqual(callbacks, [], 'the relying party received nothing, no code');
    return { title: await page.title(), alert: await page.getByRole('alert').textContent() };
  };

  const dies = (uin: string) => request(server.office.app).put(`/pr/v1/persons/${uin}${TX}`).send({ status: 'ACTIVE', physicalStatus: 'DEAD' });
  const refusals = [
    {
      what: 'a revoked card\'s certificate',
      uin: '7200000001',
      change: (card: HolderCard) => request(server.office.app).post(credentialUrl(card.credentialId, '/revoke')).send({ reason: 'card stolen' }),
      reason: 'This card\'s certificate has been revoked.',
    },
    { what: 'the card of a person recorded as dead', uin: '7200000002', change: () => dies('7200000002'), reason: 'The population registry records this person as deceased.' },
  ];
  for (const { what, uin, change, reason } of refusals) {
    it(`refuses ${what}, and says so on the login page`, async (t) => {
      await createCitizen(server.office, uin);
      const card = await issueCard(server.office, `REQ-${uin}`, uin);
      assert.equal((await change(card)).status, 204);
      assert.deepEqual(await tryCard(t, card), { title: 'Sign in with your national identity', alert: reason });
    });
  }

  it('ends the "my data" session of a person who dies meanwhile, and refuses their card from then on', async (t) => {
    await createCitizen(server.office, '7200000003');
    const card = await issueCard(server.office, 'REQ-E2E-DIES', '7200000003');
    const browser = await cardBrowser(server, card);
    t.after(() => browser.close());
    const { page } = browser;
    await signInToMyDataWithCard(page, server);
    assert.equal(await page.title(), 'My data');
    assert.equal((await dies('7200000003')).status, 204);
    await page.goto(`${server.origin}/me/`);
    assert.equal(await page.title(), 'Sign in with your national identity', 'the session no longer opens the page');
    await page.getByRole('link', { name: 'Sign in with my ID card' }).click();
    await page.waitForURL((url) => url.origin === server.cardOrigin);
    assert.equal(await page.getByRole('alert').textContent(), 'The population registry records this person as deceased.');
  });
});
