/** The discovery document: OpenID Connect Discovery 1.0's required metadata and what we rely on; tokens verify against its JWKS. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { Browser, cardLogin, createCitizen, type OidcBench, RP, SECRET_B, startOidcBench } from './oidc-fixtures.js';

describe('OpenID Connect discovery', () => {
  let bench: OidcBench;
  let metadata: Record<string, unknown>;
  before(async () => {
    bench = await startOidcBench();
    const res = await fetch(`${bench.issuer}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    metadata = (await res.json()) as Record<string, unknown>;
  });
  after(() => bench.close());

  it('holds the required metadata, its issuer being the URL it is read from', () => {
    for (const name of ['issuer', 'authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'response_types_supported', 'subject_types_supported', 'id_token_signing_alg_values_supported']) {
      assert.ok(metadata[name] !== undefined, `${name} present`);
    }
    assert.equal(metadata.issuer, bench.issuer);
    assert.deepEqual(metadata.response_types_supported, ['code']);
    assert.deepEqual(metadata.subject_types_supported, ['pairwise']);
    assert.ok((metadata.id_token_signing_alg_values_supported as string[]).includes('ES256'));
    assert.ok((metadata.id_token_signing_alg_values_supported as string[]).includes('RS256'));
  });

  it('advertises PKCE with S256 only, PAR, back-channel logout and the eIDAS levels', () => {
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    assert.equal(metadata.pushed_authorization_request_endpoint, `${bench.issuer}/par`);
    assert.equal(metadata.backchannel_logout_supported, true);
    assert.deepEqual(metadata.acr_values_supported, ['http://eidas.europa.eu/LoA/low', 'http://eidas.europa.eu/LoA/substantial', 'http://eidas.europa.eu/LoA/high']);
    assert.ok((metadata.claims_supported as string[]).includes('birthcountry'));
  });

  it('signs ID tokens with a key of its JWKS', async () => {
    const uin = '1000000002';
    await createCitizen(bench.t, uin);
    bench.card.login = cardLogin(uin);
    const config = await client.discovery(new URL(bench.issuer), 'rp-b', undefined, client.ClientSecretBasic(SECRET_B), { execute: [client.allowInsecureRequests] });
    const verifier = client.randomPKCECodeVerifier();
    const start = client.buildAuthorizationUrl(config, { redirect_uri: `${RP}/cb`, scope: 'openid', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 's' });
    const browser = new Browser();
    const login = await browser.visit(start.href);
    const card = login.body.match(/href="([^"]*\/card)"/)?.[1];
    assert.ok(card, 'the login page offers the card');
    const end = await browser.visit(new URL(card.replaceAll('&amp;', '&'), login.url).href);
    assert.ok(end.url.startsWith(RP), end.body.slice(0, 300));
    const tokens = await client.authorizationCodeGrant(config, new URL(end.url), { pkceCodeVerifier: verifier, expectedState: 's' });
    const jwks = createRemoteJWKSet(new URL(String(metadata.jwks_uri)));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token ?? '', jwks, { issuer: bench.issuer, audience: 'rp-b' });
    assert.equal(payload.sub, tokens.claims()?.sub);
    assert.ok(['ES256', 'RS256'].includes(protectedHeader.alg));
  });

  it('publishes FranceConnect levels when asked to', async () => {
    const fc = await startOidcBench({ env: { OSIA_OIDC_ACR_STYLE: 'franceconnect' } });
    try {
      const res = await fetch(`${fc.issuer}/.well-known/openid-configuration`);
      assert.deepEqual(((await res.json()) as { acr_values_supported: string[] }).acr_values_supported, ['eidas1', 'eidas2', 'eidas3']);
    } finally {
      await fc.close();
    }
  });
});
