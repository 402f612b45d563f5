/**
 * The OpenID provider's test bench: a real app on a real loopback port (its public URL is the issuer), clients from
 * a YAML file, a person in the registry, a stand-in ID card login, and a cookie-keeping "browser" that follows the
 * provider's redirects until they leave for the client.
 */
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { exportJWK, generateKeyPair } from 'jose';
import type { Express } from 'express';
import { stringify } from 'yaml';
import type { LoginResult } from '../../src/oidc/login-methods.js';
import { LoginRefused } from '../../src/oidc/login-methods.js';
import type { RefusalReason } from '../../src/oidc/refusals.js';
import type { OidcLoginPorts } from '../../src/composition-root.js';
import { CookieJar } from '../support/cookie-jar.js';
import { claim, createIdentity, createPerson, defineReference } from '../support/registry-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

export const RP = 'https://rp.example';
export const SECRET_A = 'a-client-secret-long-enough-for-the-schema-0001';
export const SECRET_B = 'b-client-secret-long-enough-for-the-schema-0002';

export const PIVOT = { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10', gender: 'F', placeOfBirth: 'London', countryOfBirth: 'GBR' };

export interface OidcBench {
  t: TestApp;
  url: string;
  issuer: string;
  /** Who the stand-in card logs in next, at which level; `refuse` makes it say no. */
  card: { login?: LoginResult; refuse?: RefusalReason };
  /** The private key of the private_key_jwt client `rp-jwt`. */
  jwtKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  close(): Promise<void>;
}

export interface BenchOptions {
  /** The login ports; by default the stand-in card. */
  logins?: (card: OidcBench['card']) => OidcLoginPorts;
  clients?: object[];
  backchannelLogoutUri?: string;
  /** More settings, as environment variables. */
  env?: NodeJS.ProcessEnv;
  /** A second server on the store of `sharing`, under the same public URL (one issuer, two processes' worth of state). */
  sharing?: OidcBench;
}

export function cardLogin(personId: string, acr: LoginResult['acr'] = 'high'): LoginResult {
  return { personId, acr, amr: ['hwk', 'pin'], credentialId: `card-of-${personId}` };
}

export async function startOidcBench(options: BenchOptions = {}): Promise<OidcBench> {
  let handler: Express | undefined;
  const server = http.createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'osia-oidc-'));
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const shared = { organisation: 'Ministry of Tests', purpose: 'checking the code flow', redirect_uris: [`${RP}/cb`] };
  const clients = options.clients ?? [
    { client_id: 'rp-a', client_secret: SECRET_A, sector: 'health', scopes: ['profile', 'birth'], claims: { required: ['given_name', 'family_name'], optional: ['birthdate', 'gender', 'birthplace', 'birthcountry'] }, ...shared, ...(options.backchannelLogoutUri ? { backchannel_logout_uri: options.backchannelLogoutUri } : {}) },
    { client_id: 'rp-b', client_secret: SECRET_B, sector: 'tax', scopes: ['profile'], ...shared },
    { client_id: 'rp-post', client_secret: SECRET_B, token_endpoint_auth_method: 'client_secret_post', sector: 'tax', scopes: ['profile'], ...shared },
    { client_id: 'rp-jwt', jwks: { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', use: 'sig' }] }, sector: 'tax', scopes: ['profile'], require_pushed_authorization_requests: true, ...shared },
    { client_id: 'rp-high', client_secret: SECRET_A, sector: 'police', acr: 'high', ...shared },
  ];
  const clientsFile = path.join(dir, 'clients.yaml');
  await writeFile(clientsFile, stringify({ clients }));
  const card: OidcBench['card'] = {};
  const standIn = (): OidcLoginPorts => ({
    standing: { credentialActive: async () => true },
    authenticateCard: async () => {
      if (card.refuse || !card.login) throw new LoginRefused(card.refuse ?? { refusal: 'noCertificate' });
      return card.login;
    },
  });
  const t = await createTestApp({
    interfaces: ['pr', 'oidc'],
    ...(options.sharing ? { dataDir: options.sharing.t.dataDir } : {}),
    env: { ...options.env, OSIA_PUBLIC_URL: options.sharing?.url ?? url, OSIA_OIDC_CLIENTS: clientsFile },
    oidcLogins: options.logins?.(card) ?? standIn(),
  });
  handler = t.app;
  return {
    t,
    url,
    issuer: `${options.sharing?.url ?? url}/oidc`,
    card,
    jwtKey: privateKey,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}

/** A person ACTIVE and ALIVE with the identité pivot as reference identity. */
export async function createCitizen(t: TestApp, uin: string): Promise<void> {
  await createPerson(t, uin);
  await createIdentity(t, uin, 'ref', claim(PIVOT));
  await defineReference(t, uin, 'ref');
}

/** A browser enough for the provider: keeps cookies (per host, any port, as browsers do) and stops at the client. */
export class Browser {
  readonly #cookies = new CookieJar();

  /** Follows redirects from `start` while they stay off the client; answers the last answer and where it ended. */
  async visit(start: string, init: RequestInit = {}): Promise<{ url: string; response: Response; body: string }> {
    let url = start;
    let request = init;
    for (let hop = 0; hop < 10; hop++) {
      if (url.startsWith(RP)) return { url, response: new Response(null, { status: 200 }), body: '' };
      const response = await fetch(url, { ...request, redirect: 'manual', headers: { 'accept-language': 'en', ...(request.headers as object), cookie: this.#cookies.header() } });
      this.#cookies.keep(response);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { url, response, body: await response.text() };
      url = new URL(location, url).href;
      request = {};
    }
    throw new Error(`too many redirects from ${start}`);
  }

  /** Submits a form of the last page: `fields` as application/x-www-form-urlencoded. */
  submit(action: string, fields: Record<string, string>) {
    return this.visit(action, { method: 'POST', body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** The Cookie header this browser sends (to hand the server's ports a request of its own). */
  cookieHeader(): string {
    return this.#cookies.header();
  }
}

/** The link or form action of a page, made absolute. */
export function linkOf(body: string, pattern: RegExp, base: string): string {
  const found = body.match(pattern)?.[1];
  if (!found) throw new Error(`no ${pattern} in ${body.slice(0, 500)}`);
  return new URL(found.replaceAll('&amp;', '&'), base).href;
}
