/**
 * "My data" in Chromium against the real server: an access made a moment before through Third Party verify by an
 * API client (a bearer token) shows on the page with its organisation, operation, purpose and attribute names; a
 * restricted client's access shows only once its delay has passed on the app's clock; the CSV and JSON downloads;
 * the page in French for a French browser that runs no script.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type HolderCard, issueCard } from '../oidc/card-fixtures.js';
import { browserSkipReason, type TestBrowser } from '../support/browser.js';
import { type CitizenServer, RESTRICTED_DAYS, startCitizenServer } from '../support/citizen-server.js';
import { fakeClock } from '../support/fake-clock.js';
import { ADA, citizen } from '../thirdparty/thirdparty-fixtures.js';
import { cardBrowser, openMyData, signInToMyDataWithCard } from './citizen-browser.js';

const UIN = '7400000001';

describe('my data in Chromium', { skip: browserSkipReason({ nss: true }) }, () => {
  // Near the system's time: Chromium judges the server's certificate by it.
  const clock = fakeClock(Date.now());
  let server: CitizenServer;
  let card: HolderCard;
  let browser: TestBrowser;

  const verifyBy = async (client: string) => {
    const res = await server.fetch(`${server.origin}/thirdparty/v1/verify/${UIN}?transactionId=tx-${client}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await server.token('id.verify', client)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ biographicData: { lastName: ADA.lastName, dateOfBirth: ADA.dateOfBirth } }),
    });
    assert.equal(res.status, 200, await res.text());
  };
  /** The access report's table (its caption starts so, in either language). */
  const report = (page: Page) => page.getByRole('table').filter({ has: page.locator('caption', { hasText: /^(Accesses to your data|Accès à vos données)/ }) });

  before(async () => {
    server = await startCitizenServer({ clock });
    await citizen(server.office, UIN, ADA);
    card = await issueCard(server.office, 'REQ-E2E-ME', UIN);
    await verifyBy('first-bank');
    await verifyBy('police-records');
    browser = await cardBrowser(server, card);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows an access made a moment before through Third Party verify: organisation, operation, purpose, attribute names', async () => {
    const { page } = browser;
    await signInToMyDataWithCard(page, server);
    assert.equal(await page.title(), 'My data');
    assert.equal(await page.locator('dt').filter({ hasText: /^Place of birth$/ }).count(), 1, 'the default schema\'s place of birth, labelled');
    const row = report(page).getByRole('row').filter({ hasText: 'Bank of Utopia (first-bank)' });
    assert.equal(await row.count(), 1);
    const cells = await row.getByRole('cell').allInnerTexts();
    assert.ok(cells.includes('Identity verified (Third Party verify)'), cells.join(' | '));
    assert.ok(cells.includes('Opening an account'), cells.join(' | '));
    assert.ok(cells.includes('Last name, Date of birth'), cells.join(' | '));
    assert.equal(await page.getByText('National Police').count(), 0, 'the restricted client\'s access is hidden');
  });

  it('shows the restricted client\'s access once its delay has passed on the server\'s clock, not a minute before', async () => {
    const { page } = browser;
    clock.advance(RESTRICTED_DAYS * 86_400 - 60);
    await openMyData(page, server);
    assert.equal(await page.getByText('National Police').count(), 0, 'still hidden a minute before');
    clock.advance(120);
    await openMyData(page, server);
    const row = report(page).getByRole('row').filter({ hasText: 'National Police (police-records)' });
    assert.equal(await row.count(), 1);
    assert.ok((await row.getByRole('cell').allInnerTexts()).includes('Criminal investigations'));
  });

  it('downloads the whole report as CSV and as JSON from the page\'s links', async () => {
    const { page } = browser;
    await openMyData(page, server);
    const download = async (name: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
      return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
    };
    const csv = await download('CSV (spreadsheet)');
    assert.equal(csv.name, 'my-data-accesses.csv');
    const lines = csv.text.split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'time,organisation,client,operation,purpose,attributes,outcome');
    assert.ok(lines.some((line) => line.includes(',Bank of Utopia,first-bank,Identity verified (Third Party verify),Opening an account,biographicData.lastName biographicData.dateOfBirth,Done')));
    assert.ok(lines.some((line) => line.includes(',National Police,police-records,')));
    const json = await download('JSON (data)');
    assert.equal(json.name, 'my-data-accesses.json');
    const body = JSON.parse(json.text) as { total: number; accesses: { client?: string }[] };
    assert.equal(body.total, lines.length - 1, 'the same accesses as the CSV');
    assert.equal(body.accesses.length, body.total);
    assert.ok(body.accesses.some((access) => access.client === 'first-bank'));
  });

  it('is in French for a French browser, and works without JavaScript, the card sign-in included', async (t) => {
    const french = await cardBrowser(server, card, { locale: 'fr-FR', javaScriptEnabled: false });
    t.after(() => french.close());
    const { page } = french;
    await signInToMyDataWithCard(page, server, 'Me connecter avec ma carte d’identité');
    assert.equal(await page.title(), 'Mes données');
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    const row = report(page).getByRole('row').filter({ hasText: 'Bank of Utopia (first-bank)' });
    assert.equal(await row.count(), 1);
    assert.ok((await row.getByRole('cell').allInnerTexts()).includes('Identité vérifiée (Services aux tiers verify)'));
    // What the person sees: the <noscript> notice, and not the passkey button that needs the script to work.
    const seen = (await page.locator('body').innerText()).split('\n');
    assert.ok(seen.includes('Ajouter ou retirer une clé d’accès nécessite JavaScript.'), 'the notice');
    assert.ok(!seen.includes('Ajouter une clé d’accès'), 'no dead button');
    assert.equal(await page.getByRole('button', { name: 'Ajouter une clé d’accès' }).isVisible(), false);
  });
});
