/**
 * Two servers on one store, each with its own provider instance: a login started on one finishes on the other, and
 * the code it gives is redeemed on the first. Nothing of a login lives in one process's memory.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { Browser, cardLogin, createCitizen, linkOf, type OidcBench, RP, SECRET_B, startOidcBench } from './oidc-fixtures.js';

describe('OpenID Connect on a shared store', () => {
  let first: OidcBench;
  let second: OidcBench;
  before(async () => {
    first = await startOidcBench();
    second = await startOidcBench({ sharing: first });
  });
  after(async () => {
    await second.close();
    await first.close();
  });

  it('finishes on the second server a login started on the first', async () => {
    const uin = '3000000001';
    await createCitizen(first.t, uin);
    second.card.login = cardLogin(uin);
    const config = await client.discovery(new URL(first.issuer), 'rp-b', undefined, client.ClientSecretBasic(SECRET_B), { execute: [client.allowInsecureRequests] });
    const verifier = client.randomPKCECodeVerifier();
    const start = client.buildAuthorizationUrl(config, { redirect_uri: `${RP}/cb`, scope: 'openid', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 's' });
    const browser = new Browser();
    const login = await browser.visit(start.href);
    assert.ok(login.url.startsWith(first.url));
    // The card step on the other server: its provider reads the first one's interaction and cookies from the store.
    const card = new URL(linkOf(login.body, /href="([^"]*\/card)"/, login.url));
    const end = await browser.visit(`${second.url}${card.pathname}`);
    assert.ok(end.url.startsWith(`${RP}/cb`), `${end.url} ${end.body.slice(0, 300)}`);
    const tokens = await client.authorizationCodeGrant(config, new URL(end.url), { pkceCodeVerifier: verifier, expectedState: 's' });
    assert.equal(tokens.claims()?.acr, 'http://eidas.europa.eu/LoA/high');
  });
});
