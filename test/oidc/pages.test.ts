/** The citizen's pages: French or English, what went wrong said in text, and headers that let the consent form reach the client. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import request from 'supertest';
import { useTestApp } from '../support/use-test-app.js';
import { Browser, cardLogin, createCitizen, linkOf, type OidcBench, RP, SECRET_A, startOidcBench } from './oidc-fixtures.js';

describe('OpenID Connect pages', () => {
  let bench: OidcBench;
  before(async () => {
    bench = await startOidcBench();
  });
  after(() => bench.close());

  it('says in text, in French when asked, that a sign-in is unknown or expired', async () => {
    const res = await fetch(`${bench.issuer}/interaction/unknown-uid`, { headers: { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' } });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const body = await res.text();
    assert.match(body, /<html lang="fr">/);
    assert.match(body, /Connexion interrompue/);
    assert.match(body, /role="alert">Cette connexion a expiré ou a pris fin : revenez au service et recommencez\./);
  });

  it('lists required claims and offers optional ones as labelled, ticked checkboxes, under a CSP without form-action', async () => {
    const uin = '4000000001';
    await createCitizen(bench.t, uin);
    bench.card.login = cardLogin(uin);
    const config = await client.discovery(new URL(bench.issuer), 'rp-a', undefined, client.ClientSecretBasic(SECRET_A), { execute: [client.allowInsecureRequests] });
    const start = client.buildAuthorizationUrl(config, {
      redirect_uri: `${RP}/cb`,
      scope: 'openid profile birth',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      state: 's',
    });
    const browser = new Browser();
    const login = await browser.visit(start.href);
    assert.match(login.body, /Ministry of Tests/);
    const consent = await browser.visit(linkOf(login.body, /href="([^"]*\/card)"/, login.url));
    assert.match(consent.body, /checking the code flow/, 'the purpose');
    assert.match(consent.body, /<li>Given names<\/li>/, 'a required claim, listed');
    assert.match(consent.body, /<input type="checkbox" id="keep_birthplace" name="keep_birthplace" value="yes" checked> <label for="keep_birthplace">Place of birth<\/label>/);
    const csp = consent.response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /form-action/);
  });
});

describe('the passkey operations on the composed app, under the provider\'s prefix', () => {
  const t = useTestApp({ interfaces: ['pr', 'oidc'] });

  it('are ours, not the provider\'s: its script and its options answer beside the discovery document', async () => {
    const script = await request(t.app).get('/oidc/passkeys/passkeys.js');
    assert.equal(script.status, 200);
    assert.match(script.type, /javascript/);
    assert.equal((await request(t.app).post('/oidc/passkeys/registration/options')).status, 403, 'no card session');
    assert.equal((await request(t.app).get('/oidc/.well-known/openid-configuration')).status, 200);
  });
});
