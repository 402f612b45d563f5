/**
 * The rules around a login: PAR with private_key_jwt, the level of assurance (step-up, and the standard error when
 * no method reaches it), a dead person's token refused at userinfo, and ending a person's sessions with the
 * back-channel logout token their clients receive.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import request from 'supertest';
import { html } from '../../src/http/html.js';
import { TX } from '../support/registry-fixtures.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { Browser, cardLogin, createCitizen, linkOf, type OidcBench, RP, SECRET_A, startOidcBench } from './oidc-fixtures.js';

const insecure = { execute: [client.allowInsecureRequests] };

/** userinfo's 401 with `error="invalid_token"` in its WWW-Authenticate challenge. */
const refusedToken = (err: Error & { status?: number; cause?: { parameters?: { error?: string } }[] }) =>
  err.status === 401 && err.cause?.[0]?.parameters?.error === 'invalid_token';

async function pkce() {
  const verifier = client.randomPKCECodeVerifier();
  return { verifier, params: { code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 's', redirect_uri: `${RP}/cb` } };
}

/** Through the login (card) and consent pages, accepting; where the browser ended. */
async function through(browser: Browser, start: string) {
  let page = await browser.visit(start);
  if (page.body.includes('/card"')) page = await browser.visit(linkOf(page.body, /href="([^"]*\/card)"/, page.url));
  if (page.body.includes('name="decision"')) page = await browser.submit(linkOf(page.body, /action="([^"]+)"/, page.url), { decision: 'accept' });
  return page;
}

describe('OpenID Connect login rules', () => {
  let bench: OidcBench;
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver('/logout');
    bench = await startOidcBench({ backchannelLogoutUri: receiver.url });
  });
  after(async () => {
    await bench.close();
    await receiver.close();
  });

  /** A citizen made for the test, signed in at rp-a with the card: the client's view and the tokens it got. */
  const signIn = async (uin: string) => {
    await createCitizen(bench.t, uin);
    bench.card.login = cardLogin(uin);
    const config = await client.discovery(new URL(bench.issuer), 'rp-a', undefined, client.ClientSecretBasic(SECRET_A), insecure);
    const { verifier, params } = await pkce();
    const browser = new Browser();
    const end = await through(browser, client.buildAuthorizationUrl(config, { ...params, scope: 'openid profile' }).href);
    const tokens = await client.authorizationCodeGrant(config, new URL(end.url), { pkceCodeVerifier: verifier, expectedState: 's' });
    return { config, params, browser, tokens };
  };

  it('takes a pushed authorization request from a private_key_jwt client, and requires PAR of it', async () => {
    const uin = '2000000001';
    await createCitizen(bench.t, uin);
    bench.card.login = cardLogin(uin);
    const config = await client.discovery(new URL(bench.issuer), 'rp-jwt', undefined, client.PrivateKeyJwt(bench.jwtKey), insecure);
    const { verifier, params } = await pkce();
    const direct = await new Browser().visit(client.buildAuthorizationUrl(config, { ...params, scope: 'openid' }).href);
    assert.equal(new URL(direct.url).searchParams.get('error'), 'invalid_request', 'a direct request is refused');
    const start = await client.buildAuthorizationUrlWithPAR(config, { ...params, scope: 'openid profile' });
    assert.ok(start.searchParams.get('request_uri')?.startsWith('urn:ietf:params:oauth:request_uri:'));
    const end = await through(new Browser(), start.href);
    const tokens = await client.authorizationCodeGrant(config, new URL(end.url), { pkceCodeVerifier: verifier, expectedState: 's' });
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()?.sub ?? '');
    assert.equal(userinfo.family_name, 'Lovelace');
  });

  it('steps a substantial login up when the client asks for high, and answers the higher level', async () => {
    const uin = '2000000002';
    await createCitizen(bench.t, uin);
    const config = await client.discovery(new URL(bench.issuer), 'rp-a', undefined, client.ClientSecretBasic(SECRET_A), insecure);
    const browser = new Browser();
    bench.card.login = cardLogin(uin, 'substantial');
    const first = await pkce();
    const substantial = await through(browser, client.buildAuthorizationUrl(config, { ...first.params, scope: 'openid' }).href);
    const low = await client.authorizationCodeGrant(config, new URL(substantial.url), { pkceCodeVerifier: first.verifier, expectedState: 's' });
    assert.equal(low.claims()?.acr, 'http://eidas.europa.eu/LoA/substantial');

    const second = await pkce();
    const again = await browser.visit(client.buildAuthorizationUrl(config, { ...second.params, scope: 'openid', acr_values: 'http://eidas.europa.eu/LoA/high' }).href);
    assert.match(again.body, /\/card"/, 'the session is not good enough: the login page again');
    bench.card.login = cardLogin(uin, 'high');
    const end = await browser.visit(linkOf(again.body, /href="([^"]*\/card)"/, again.url));
    const high = await client.authorizationCodeGrant(config, new URL(end.url), { pkceCodeVerifier: second.verifier, expectedState: 's' });
    assert.equal(high.claims()?.acr, 'http://eidas.europa.eu/LoA/high');
  });

  it('refuses a card login below the level asked, with the reason on the login page', async () => {
    const uin = '2000000003';
    await createCitizen(bench.t, uin);
    const config = await client.discovery(new URL(bench.issuer), 'rp-high', undefined, client.ClientSecretBasic(SECRET_A), insecure);
    bench.card.login = cardLogin(uin, 'substantial');
    const browser = new Browser();
    const login = await browser.visit(client.buildAuthorizationUrl(config, { ...(await pkce()).params, scope: 'openid' }).href);
    const cardStep = linkOf(login.body, /href="([^"]*\/card)"/, login.url);
    const refused = await browser.visit(cardStep);
    assert.equal(refused.response.status, 403);
    assert.match(refused.body, /role="alert">This login reaches the level substantial; the service asks for high\./);
    const inFrench = await browser.visit(cardStep, { headers: { 'accept-language': 'fr' } });
    assert.match(inFrench.body, /role="alert">Cette connexion atteint le niveau substantial ; le service demande high\./);
  });

  it('answers unmet_authentication_requirements when no method reaches the level asked', async () => {
    const passkeyOnly = await startOidcBench({ logins: () => ({ standing: { credentialActive: async () => true }, passkeyLogin: () => html`<p>passkey</p>` }) });
    try {
      const config = await client.discovery(new URL(passkeyOnly.issuer), 'rp-high', undefined, client.ClientSecretBasic(SECRET_A), insecure);
      const end = await new Browser().visit(client.buildAuthorizationUrl(config, { ...(await pkce()).params, scope: 'openid' }).href);
      assert.equal(new URL(end.url).searchParams.get('error'), 'unmet_authentication_requirements');
    } finally {
      await passkeyOnly.close();
    }
  });

  it('refuses a login for a person who is not ACTIVE and ALIVE, whatever the method says', async () => {
    const uin = '2000000006';
    await createCitizen(bench.t, uin);
    const death = await request(bench.t.app).put(`/pr/v1/persons/${uin}${TX}`).send({ status: 'ACTIVE', physicalStatus: 'DEAD' });
    assert.equal(death.status, 204, death.text);
    bench.card.login = cardLogin(uin);
    const config = await client.discovery(new URL(bench.issuer), 'rp-a', undefined, client.ClientSecretBasic(SECRET_A), insecure);
    const browser = new Browser();
    const login = await browser.visit(client.buildAuthorizationUrl(config, { ...(await pkce()).params, scope: 'openid' }).href);
    const refused = await browser.visit(linkOf(login.body, /href="([^"]*\/card)"/, login.url));
    assert.equal(refused.response.status, 403);
    assert.match(refused.body, /role="alert">This person can no longer sign in\./);
  });

  it('refuses a dead person\'s access token at userinfo, and their session before it is ended', async () => {
    const uin = '2000000004';
    const { config, params, browser, tokens } = await signIn(uin);
    const sub = tokens.claims()?.sub ?? '';
    assert.equal((await client.fetchUserInfo(config, tokens.access_token, sub)).given_name, 'Ada');
    const death = await request(bench.t.app).put(`/pr/v1/persons/${uin}${TX}`).send({ status: 'ACTIVE', physicalStatus: 'DEAD' });
    assert.equal(death.status, 204, death.text);
    await assert.rejects(client.fetchUserInfo(config, tokens.access_token, sub), refusedToken);
    // The session is still in the store (no job ended it yet): it no longer signs the person in anywhere.
    const again = await browser.visit(client.buildAuthorizationUrl(config, { ...params, scope: 'openid profile' }).href);
    assert.equal(again.response.status, 200, again.body.slice(0, 300));
    assert.match(again.body, /href="[^"]*\/card"/, 'the login page again, not a consent nor an error');
    const req = new http.IncomingMessage(new Socket());
    req.headers.cookie = browser.cookieHeader();
    assert.equal(await bench.t.services.oidc?.currentLogin({ req, res: new http.ServerResponse(req) }), undefined, '"my data" sees no login');
  });

  it('ends a person\'s sessions and tokens, and sends the back-channel logout token', async () => {
    const uin = '2000000005';
    const { config, browser, tokens } = await signIn(uin);
    const oidc = bench.t.services.oidc;
    assert.ok(oidc);
    assert.equal(await oidc.endSessionsOf(uin), 1);
    const [notice] = receiver.received;
    assert.ok(notice, 'the client was told');
    const logout = decodeJwt(String(notice.body.logout_token));
    assert.equal(logout.sub, tokens.claims()?.sub);
    assert.equal(logout.iss, bench.issuer);
    assert.ok(logout.events && 'http://schemas.openid.net/event/backchannel-logout' in (logout.events as object));
    await assert.rejects(client.fetchUserInfo(config, tokens.access_token, String(logout.sub)), refusedToken);
    const again = await browser.visit(client.buildAuthorizationUrl(config, { ...(await pkce()).params, scope: 'openid' }).href);
    assert.match(again.body, /\/card"/, 'the session is gone: the login page again');
  });
});
