/**
 * The code flow end to end, driven by openid-client (a real relying party library) against the real server on a
 * real port: PKCE, login through the (stand-in) ID card, consent refusing an optional claim, code, tokens, userinfo,
 * pairwise subjects per sector, and the audit record of each release.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { OIDC_ARTIFACTS } from '../../src/oidc/oidc-adapter.js';
import { Store } from '../../src/storage/store.js';
import { EVENTS } from '../../src/audit/audit-trail.js';
import { SectorTokens } from '../../src/identity/sector-tokens.js';
import { Browser, cardLogin, createCitizen, linkOf, type OidcBench, PIVOT, RP, SECRET_A, SECRET_B, startOidcBench } from './oidc-fixtures.js';

const UIN = '1000000001';

async function relyingParty(bench: OidcBench, clientId: string, secret: string) {
  return client.discovery(new URL(bench.issuer), clientId, undefined, client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] });
}

/** Authorization up to the client's redirect URI: login with the card, then the consent page answered by `consent`. */
async function authorize(browser: Browser, start: URL, consent: Record<string, string> = { decision: 'accept' }) {
  let page = await browser.visit(start.href);
  if (page.body.includes('/card"')) page = await browser.visit(linkOf(page.body, /href="([^"]*\/card)"/, page.url));
  if (page.body.includes('name="decision"')) page = await browser.submit(linkOf(page.body, /action="([^"]+)"/, page.url), consent);
  return page;
}

async function codeFlow(config: client.Configuration, browser: Browser, consent?: Record<string, string>, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const start = client.buildAuthorizationUrl(config, {
    redirect_uri: `${RP}/cb`,
    scope: 'openid profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...extra,
  });
  const end = await authorize(browser, start, consent);
  assert.ok(end.url.startsWith(`${RP}/cb`), `ended at ${end.url}: ${end.body.slice(0, 300)}`);
  return client.authorizationCodeGrant(config, new URL(end.url), { pkceCodeVerifier: verifier, expectedState: state });
}

describe('OpenID Connect code flow', () => {
  let bench: OidcBench;
  before(async () => {
    bench = await startOidcBench();
    await createCitizen(bench.t, UIN);
    bench.card.login = cardLogin(UIN);
  });
  after(() => bench.close());

  it('releases the consented claims under the pairwise sub, at the card level, and audits each release', async () => {
    const config = await relyingParty(bench, 'rp-a', SECRET_A);
    const consent = { decision: 'accept', keep_birthdate: 'yes', keep_birthplace: 'yes', keep_birthcountry: 'yes' };
    const tokens = await codeFlow(config, new Browser(), consent, { scope: 'openid profile birth' });
    const idToken = tokens.claims();
    assert.ok(idToken);
    assert.equal(idToken.acr, 'http://eidas.europa.eu/LoA/high');
    const store = new Store(bench.t.storage);
    const tokensOfSectors = await SectorTokens.open(store, { dataDir: bench.t.dataDir, tokenSecret: undefined, sectors: { clients: {} } });
    assert.equal(idToken.sub, await tokensOfSectors.issue('health', UIN), 'sub is the health sector token of the UIN');
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
    assert.equal(userinfo.given_name, PIVOT.firstName);
    assert.equal(userinfo.family_name, PIVOT.lastName);
    assert.equal(userinfo.birthdate, PIVOT.dateOfBirth);
    assert.equal(userinfo.birthplace, PIVOT.placeOfBirth);
    assert.equal(userinfo.birthcountry, PIVOT.countryOfBirth);
    assert.equal(userinfo.gender, undefined, 'the unticked optional claim is not released');

    const events = await (await store.records(EVENTS)).find({ interface: 'oidc' });
    const released = events.find((event) => event.operationId === 'userinfo');
    assert.ok(released, 'userinfo release audited');
    assert.equal(released.client, 'rp-a');
    assert.deepEqual(released.personIds, [UIN]);
    assert.equal(released.organisation, 'Ministry of Tests');
    assert.equal(released.purpose, 'checking the code flow');
    assert.equal(released.acr, 'http://eidas.europa.eu/LoA/high');
    assert.deepEqual([...(released.attributes ?? [])].sort(), ['birthcountry', 'birthdate', 'birthplace', 'family_name', 'given_name', 'sub']);
    assert.ok(events.some((event) => event.operationId === 'idToken' && event.client === 'rp-a'), 'ID token release audited');
  });

  it('gives two clients of two sectors two different subjects for one person', async () => {
    const browser = new Browser();
    const a = await codeFlow(await relyingParty(bench, 'rp-a', SECRET_A), browser);
    const b = await codeFlow(await relyingParty(bench, 'rp-b', SECRET_B), browser);
    assert.notEqual(a.claims()?.sub, b.claims()?.sub);
  });

  it('gives two clients of one sector the same subject (one by client_secret_post)', async () => {
    const browser = new Browser();
    const basic = await codeFlow(await relyingParty(bench, 'rp-b', SECRET_B), browser);
    const postConfig = await client.discovery(new URL(bench.issuer), 'rp-post', undefined, client.ClientSecretPost(SECRET_B), { execute: [client.allowInsecureRequests] });
    const post = await codeFlow(postConfig, browser);
    assert.equal(post.claims()?.sub, basic.claims()?.sub);
  });

  it('refuses an authorization request without PKCE', async () => {
    const config = await relyingParty(bench, 'rp-a', SECRET_A);
    const start = client.buildAuthorizationUrl(config, { redirect_uri: `${RP}/cb`, scope: 'openid', state: 'x' });
    const end = await new Browser().visit(start.href);
    const answer = new URL(end.url);
    assert.ok(end.url.startsWith(RP), end.body.slice(0, 200));
    assert.equal(answer.searchParams.get('error'), 'invalid_request');
    assert.match(answer.searchParams.get('error_description') ?? '', /PKCE/);
  });

  it('sends access_denied to the client when the person refuses', async () => {
    const config = await relyingParty(bench, 'rp-b', SECRET_B);
    const start = client.buildAuthorizationUrl(config, {
      redirect_uri: `${RP}/cb`,
      scope: 'openid profile',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      state: 's',
    });
    const end = await authorize(new Browser(), start, { decision: 'refuse' });
    assert.equal(new URL(end.url).searchParams.get('error'), 'access_denied');
  });

  it('starts a login of the "my data" page, without consent, and tells who is signed in', async () => {
    const oidc = bench.t.services.oidc;
    assert.ok(oidc);
    const browser = new Browser();
    const { url, state } = oidc.loginUrl('/me/accesses', 'high');
    const login = await browser.visit(url);
    const end = await browser.visit(linkOf(login.body, /href="([^"]*\/card)"/, login.url));
    const back = new URL(end.url);
    assert.equal(`${back.origin}${back.pathname}`, `${bench.url}/me`, 'back at the page, the consent screen skipped');
    assert.equal(back.searchParams.get('state'), state);
    assert.ok(back.searchParams.get('code'));
    const req = new http.IncomingMessage(new Socket());
    req.headers.cookie = browser.cookieHeader();
    const current = await oidc.currentLogin({ req, res: new http.ServerResponse(req) });
    assert.deepEqual(current, { personId: UIN, acr: 'high', credentialId: `card-of-${UIN}` });
    const stranger = new http.IncomingMessage(new Socket());
    assert.equal(await oidc.currentLogin({ req: stranger, res: new http.ServerResponse(stranger) }), undefined);
  });

  it('tells the other modules each client\'s policy', () => {
    const policies = bench.t.services.oidc?.clients ?? [];
    assert.deepEqual(policies.map(({ clientId }) => clientId).sort(), ['osia-me', 'rp-a', 'rp-b', 'rp-high', 'rp-jwt', 'rp-post']);
    assert.equal(policies.find(({ clientId }) => clientId === 'rp-a')?.organisation, 'Ministry of Tests');
    assert.equal(policies.find(({ clientId }) => clientId === 'osia-me')?.firstParty, true);
  });

  it('keeps the provider artifacts in the store, not in memory', async () => {
    const artifacts = await new Store(bench.t.storage).records(OIDC_ARTIFACTS);
    const models = new Set((await artifacts.find({})).map(({ model }) => model));
    for (const model of ['Session', 'Grant', 'AccessToken']) assert.ok(models.has(model), `${model} stored`);
  });
});
