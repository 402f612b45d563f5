/**
 * A relying party as an integrator writes it, with openid-client 6: discovery, PKCE, state and nonce, the code
 * exchanged at the token endpoint, userinfo, and the ID token verified against the discovery document's JWKS. The
 * browser ends at its redirect URI (a page of the test server), where the test hands the URL back to it.
 */
import assert from 'node:assert/strict';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import type { Page } from 'playwright-core';
import { type CitizenServer, RP_SECRET } from '../support/citizen-server.js';

export interface Authorization {
  url: string;
  /** Exchanges the code of the redirect `callback` (PKCE, state, nonce checked) for tokens. */
  finish(callback: string): Promise<client.TokenEndpointResponse & client.TokenEndpointResponseHelpers>;
}

export class RelyingParty {
  private constructor(
    readonly config: client.Configuration,
    private readonly server: CitizenServer,
  ) {}

  static async discover(server: CitizenServer, clientId: string): Promise<RelyingParty> {
    const config = await client.discovery(new URL(server.issuer), clientId, undefined, client.ClientSecretBasic(RP_SECRET), {
      [client.customFetch]: server.fetch as client.CustomFetch,
    });
    return new RelyingParty(config, server);
  }

  async authorize(parameters: Record<string, string> = {}): Promise<Authorization> {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(this.config, {
      redirect_uri: this.server.rpCallback,
      scope: 'openid profile',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...parameters,
    });
    return {
      url: url.href,
      finish: (callback) => client.authorizationCodeGrant(this.config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }),
    };
  }

  userinfo(accessToken: string, sub: string): Promise<client.UserInfoResponse> {
    return client.fetchUserInfo(this.config, accessToken, sub);
  }

  /** The ID token's claims once its signature verifies against the keys the discovery document names. */
  async verifiedIdToken(idToken: string | undefined): Promise<Record<string, unknown>> {
    assert.ok(idToken, 'an ID token');
    const { issuer, jwks_uri } = this.config.serverMetadata();
    assert.ok(jwks_uri, 'the discovery document names its JWKS');
    const jwks = (await (await this.server.fetch(jwks_uri)).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(idToken, createLocalJWKSet(jwks), { issuer, audience: this.config.clientMetadata().client_id });
    return payload;
  }
}

/** Waits until the browser is back at the redirect URI and answers its URL (with the code, or the error). */
export async function redirectOf(page: Page, server: CitizenServer): Promise<URL> {
  await page.waitForURL((url) => url.href.startsWith(server.rpCallback));
  return new URL(page.url());
}
