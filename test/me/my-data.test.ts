/**
 * The "my data" page and its JSON twin, on a real app and store with authentication on: accesses made through
 * Third Party by named clients show on the person's page, restricted ones only once their delay has passed (on the
 * app's fake clock); exports; the login the page needs; its languages and its accessibility basics.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Express } from 'express';
import request from 'supertest';
import type { AuditLog } from '../../src/audit/audit-log.js';
import { html } from '../../src/http/html.js';
import { fakeClock } from '../support/fake-clock.js';
import { tokenFor } from '../support/tokens.js';
import { useTestApp } from '../support/use-test-app.js';
import { ADA, citizen, issueCredential } from '../thirdparty/thirdparty-fixtures.js';
import { TEST_LOGIN, withMyData } from './my-data-app.js';

const UIN = 'UIN-ADA';
const RESTRICTED_DAYS = 30;
const SETTINGS = {
  restrictedDelayDays: RESTRICTED_DAYS,
  clients: {
    'first-bank': { organisation: 'Bank of Utopia', purpose: 'Opening an account', restricted: false },
    'police-records': { organisation: 'National Police', purpose: 'Criminal investigations', restricted: true },
  },
};

describe('my data (/me)', () => {
  const clock = fakeClock('2026-01-01T09:30:00Z');
  const t = useTestApp({ interfaces: ['pr', 'cms', 'thirdparty'], env: { OSIA_AUTH: 'on' }, clock });
  let app: Express;
  let auditLog: AuditLog;
  let card: { credentialNumber: string };

  const verifyBy = async (client: string) => {
    const token = await tokenFor(t.dataDir, 'id.verify', `${client}-agent`, client);
    const res = await request(app)
      .post(`/thirdparty/v1/verify/${UIN}?transactionId=tx-${client}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ biographicData: { lastName: 'Lovelace', dateOfBirth: '1815-12-10' } });
    assert.equal(res.status, 200, res.text);
  };
  const page = (query = '', login = `${UIN} substantial`, language = 'en') =>
    request(app).get(`/me/${query}`).set(TEST_LOGIN, login).set('Accept-Language', language);
  const accesses = (query = '', login = `${UIN} substantial`) => request(app).get(`/me/v1/accesses${query}`).set(TEST_LOGIN, login);

  before(async () => {
    const clerk = await tokenFor(t.dataDir, 'pr.person.write pr.identity.write pr.reference.write cms.request.write cms.request.read cms.credential.read', 'clerk', 'registry-office');
    ({ app, auditLog } = await withMyData(t, SETTINGS, clock, clerk));
    const via = { ...t, app } as typeof t;
    await citizen(via, UIN, ADA);
    card = await issueCredential(via, 'REQ-ADA', UIN);
    clock.advance(3600);
    await verifyBy('first-bank');
    await verifyBy('police-records');
    await verifyBy('<b>odd</b> client');
  });

  it('shows an access made through Third Party verify: operation, organisation, purpose and attribute names', async () => {
    const res = await page();
    assert.equal(res.status, 200, res.text);
    assert.match(res.type, /text\/html/);
    assert.match(res.text, /Identity verified \(Third Party verify\)/);
    assert.match(res.text, /Bank of Utopia \(first-bank\)/);
    assert.match(res.text, /Opening an account/);
    assert.match(res.text, /Last name, Date of birth/);
    const json = await accesses();
    assert.equal(json.status, 200, json.text);
    const verify = json.body.accesses.find((access: { client?: string }) => access.client === 'first-bank');
    assert.deepEqual(verify, {
      time: '2026-01-01T10:30:00.000Z',
      interface: 'thirdparty',
      operationId: 'verify',
      operation: 'Identity verified (Third Party verify)',
      client: 'first-bank',
      organisation: 'Bank of Utopia',
      purpose: 'Opening an account',
      attributes: ['biographicData.lastName', 'biographicData.dateOfBirth'],
      outcome: 'done',
    });
  });

  it('shows the reference identity and the credentials with their status', async () => {
    const res = await page();
    assert.match(res.text, /<dt>First name\(s\)<\/dt><dd>Ada<\/dd>/);
    assert.match(res.text, /<dd>10 December 1815<\/dd>/);
    assert.match(res.text, /<dt>Gender<\/dt><dd>Female<\/dd>/);
    assert.ok(res.text.includes(card.credentialNumber), 'the credential number');
    assert.match(res.text, /<td>Active<\/td>/);
    assert.match(res.text, /<th scope="row">Identity card<\/th>/);
  });

  it('hides a restricted client\'s access, uncounted, until its delay has passed on the clock', async () => {
    const before = await accesses();
    assert.ok(!JSON.stringify(before.body).includes('police-records'), 'not listed');
    assert.ok(!(await page()).text.includes('National Police'));
    clock.advance(RESTRICTED_DAYS * 86_400 - 60);
    assert.equal((await accesses()).body.total, before.body.total, 'still hidden a minute before the delay ends');
    clock.advance(120);
    const after = await accesses();
    assert.equal(after.body.total, before.body.total + 1, 'counted once disclosed');
    const police = after.body.accesses.find((access: { client?: string }) => access.client === 'police-records');
    assert.equal(police?.organisation, 'National Police');
    assert.match((await page()).text, /National Police \(police-records\)/);
  });

  it('reads the same report once the indexer has filed the events', async () => {
    const unfiled = (await accesses('?limit=500')).body;
    assert.ok((await auditLog.indexer.catchUp()) > 0);
    assert.deepEqual((await accesses('?limit=500')).body, unfiled);
  });

  it('pages the JSON twin and the page, newest first', async () => {
    const all = (await accesses('?limit=500')).body;
    assert.ok(all.total >= 4, 'the clerk\'s writes, the credential, the two verifies');
    const second = (await accesses('?offset=1&limit=2')).body;
    assert.deepEqual(second, { total: all.total, offset: 1, accesses: all.accesses.slice(1, 3) });
    const times = all.accesses.map((access: { time: string }) => access.time);
    assert.deepEqual(times, [...times].sort().reverse());
    const first = await page('?limit=1');
    assert.match(first.text, /<a rel="next" href="\/me\/\?offset=1&amp;limit=1">Older accesses<\/a>/);
    assert.doesNotMatch(first.text, /rel="prev"/);
    assert.match((await page('?offset=1&limit=1')).text, /<a rel="prev" href="\/me\/\?offset=0&amp;limit=1">Newer accesses<\/a>/);
  });

  it('exports the whole report as CSV, by format or by Accept, and as JSON', async () => {
    const { total } = (await accesses()).body;
    const csv = await accesses('?format=csv');
    assert.equal(csv.status, 200);
    assert.match(csv.type, /text\/csv/);
    assert.match(csv.headers['content-disposition'] ?? '', /^attachment; filename="my-data-accesses\.csv"$/);
    const lines = csv.text.split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'time,organisation,client,operation,purpose,attributes,outcome');
    assert.equal(lines.length, total + 1);
    assert.ok(lines.includes('2026-01-01T10:30:00.000Z,Bank of Utopia,first-bank,Identity verified (Third Party verify),Opening an account,biographicData.lastName biographicData.dateOfBirth,Done'));
    const byAccept = await request(app).get('/me/v1/accesses').set(TEST_LOGIN, `${UIN} high`).set('Accept', 'text/csv');
    assert.equal(byAccept.text, csv.text);
    const json = await accesses('?format=json&limit=1');
    assert.match(json.headers['content-disposition'] ?? '', /attachment; filename="my-data-accesses\.json"/);
    assert.equal(json.body.total, total);
    assert.equal(json.body.accesses.length, total, 'the whole report, whatever the limit');
  });

  it('sends a person not signed in, or signed in below substantial, to the login; the JSON twin answers 401', async () => {
    for (const login of [undefined, `${UIN} low`]) {
      const req = request(app).get('/me/?offset=2');
      const res = await (login ? req.set(TEST_LOGIN, login) : req);
      assert.equal(res.status, 303, login);
      assert.equal(res.headers.location, `/oidc/auth?client_id=osia-me&acr_values=substantial&state=${encodeURIComponent('/me/?offset=2&limit=50')}`);
      const json = await (login ? request(app).get('/me/v1/accesses').set(TEST_LOGIN, login) : request(app).get('/me/v1/accesses'));
      assert.equal(json.status, 401);
      assert.deepEqual(Object.keys(json.body).sort(), ['code', 'message']);
      assert.equal(json.body.code, 401);
    }
  });

  it('takes the way back from the login (redirect_uri /me) to the clean page, and states a login that failed', async () => {
    const back = await request(app).get('/me?code=abc&state=xyz&iss=https%3A%2F%2Fid.example%2Foidc');
    assert.equal(back.status, 303);
    assert.equal(back.headers.location, '/me/');
    assert.equal((await request(app).get('/me').set(TEST_LOGIN, `${UIN} high`)).status, 200, 'without the slash');
    const refused = await request(app).get('/me/?error=access_denied').set('Accept-Language', 'fr');
    assert.equal(refused.status, 200);
    assert.match(refused.text, /role="alert">La connexion n’a pas abouti/);
    assert.match(refused.text, /href="\/oidc\/auth\?client_id=osia-me&amp;acr_values=substantial/);
  });

  it('shows the passkey registration the provider gives, in the page\'s language', async () => {
    const clerk = await tokenFor(t.dataDir, 'pr.person.read', 'clerk', 'registry-office');
    const section = async (lang: string) => html`<p><a href="/oidc/passkeys">${lang === 'fr' ? 'Ajouter une clé' : 'Add a passkey'}</a></p>`;
    const withPasskeys = (await withMyData(t, SETTINGS, clock, clerk, section)).app;
    const fr = await request(withPasskeys).get('/me/').set(TEST_LOGIN, `${UIN} high`).set('Accept-Language', 'fr');
    assert.match(fr.text, /<section aria-labelledby="passkeys"><h2 id="passkeys">Clés d’accès<\/h2><p><a href="\/oidc\/passkeys">Ajouter une clé<\/a><\/p><\/section>/);
    assert.doesNotMatch((await page()).text, /passkeys/, 'no section without the provider\'s');
  });

  it('shows a signed-in person the registry does not know an empty page, not an error', async () => {
    const res = await page('', 'UIN-NOBODY substantial');
    assert.equal(res.status, 200);
    assert.match(res.text, /The register holds no reference identity for you\./);
    assert.match(res.text, /No credential was issued to you\./);
    assert.match(res.text, /No one has used your data yet\./);
    assert.deepEqual((await accesses('', 'UIN-NOBODY high')).body, { total: 0, offset: 0, accesses: [] });
  });

  it('speaks French or English after Accept-Language, dates included', async () => {
    const fr = await page('', `${UIN} substantial`, 'fr-FR,fr;q=0.9,en;q=0.5');
    assert.match(fr.text, /<html lang="fr">/);
    assert.match(fr.text, /Identité vérifiée \(Services aux tiers verify\)/);
    assert.match(fr.text, /<dd>10 décembre 1815<\/dd>/);
    assert.match(fr.text, /<dt>Sexe<\/dt><dd>Féminin<\/dd>/);
    assert.match(fr.text, /1 janv\. 2026/);
    assert.match(fr.text, /<td>Nom, Date de naissance<\/td>/);
    assert.match(fr.text, /<th scope="row">Carte d’identité<\/th>/);
    const en = await page('', `${UIN} substantial`, 'de, en;q=0.5');
    assert.match(en.text, /<html lang="en">/);
    assert.match(en.text, /1 Jan 2026/);
    const csv = await accesses('?format=csv').set('Accept-Language', 'fr');
    assert.match(csv.text, /^date,organisme,client,opération,finalité,données,résultat\r\n/);
  });

  it('has no script, a caption and scoped headers in every table, and page headers of its own', async () => {
    const res = await page();
    assert.doesNotMatch(res.text, /<script|<b>/i);
    assert.ok(res.text.includes('&lt;b&gt;odd&lt;/b&gt; client'), 'a client id is text, never markup');
    const tables = res.text.match(/<table>[\s\S]*?<\/table>/g) ?? [];
    assert.equal(tables.length, 2, 'credentials and accesses');
    for (const table of tables) {
      assert.match(table, /^<table><caption>[^<]+<\/caption><thead>/);
      const headers = table.match(/<th(?=[\s>])[^>]*>/g) ?? [];
      assert.ok(headers.length > 0 && headers.every((th) => /scope="(col|row)"/.test(th)), table.slice(0, 200));
    }
    assert.match(res.headers['content-security-policy'] ?? '', /style-src 'unsafe-inline'/);
    assert.equal(res.headers['cache-control'], 'no-store');
  });
});
