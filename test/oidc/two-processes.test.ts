/**
 * Two real server processes (src/main.ts) on one store, as behind a load balancer: the authorization starts on A,
 * the ID-card login (node:https presenting the holder certificate our CMS issued, on B's card listener) and the
 * consent happen on B, the code is redeemed on A and userinfo answers on B. Nothing of a login lives in one
 * process's memory.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { stringify } from 'yaml';
import { freePort } from '../support/free-port.js';
import { fetchTrusting, type TrustingFetch } from '../support/https-fetch.js';
import { startServers, type ServerProcesses } from '../support/server-processes.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { createTestPki, type TestPki } from '../support/test-pki.js';
import { type HolderCard, issueCard } from './card-fixtures.js';
import { createCitizen, PIVOT, RP, SECRET_B } from './oidc-fixtures.js';

const UIN = '7600000001';
const CLIENT = { client_id: 'rp-two', client_secret: SECRET_B, redirect_uris: [`${RP}/cb`], sector: 'tax', scopes: ['profile'], organisation: 'Ministry of Tests', purpose: 'two processes' };

/** A cookie-keeping client of one request at a time, trusting the test CA, presenting the card when asked. */
class CookieClient {
  readonly #cookies = new Map<string, string>();
  constructor(private readonly fetch: TrustingFetch) {}

  async go(url: string, form?: Record<string, string>): Promise<{ status: number; location: string; body: string }> {
    const headers: Record<string, string> = { cookie: [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; '), 'accept-language': 'en' };
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await this.fetch(url, { method: form ? 'POST' : 'GET', headers, body: form ? new URLSearchParams(form).toString() : null });
    for (const line of res.headers.getSetCookie()) {
      const [name = '', value = ''] = (line.split(';')[0] ?? '').split('=');
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.#cookies.delete(name.trim());
      else this.#cookies.set(name.trim(), value);
    }
    return { status: res.status, location: new URL(res.headers.get('location') ?? '', url).href, body: await res.text() };
  }
}

describe('a login across two server processes on one store', () => {
  let dir: string;
  let pki: TestPki;
  let servers: ServerProcesses;
  let office: TestApp;
  let card: HolderCard;
  /** Each process's public origin, by the ports it was given. */
  const origins: string[] = [];
  let cardOfB = '';

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'osia-two-oidc-'));
    pki = await createTestPki(dir);
    const clients = path.join(dir, 'clients.yaml');
    await writeFile(clients, stringify({ clients: [CLIENT] }));
    const ports = [await freePort(), await freePort()];
    const cardPorts = [await freePort(), await freePort()];
    origins.push(...ports.map((port) => `https://localhost:${port}`));
    cardOfB = `https://localhost:${cardPorts[1]}`;
    servers = await startServers(
      2,
      {
        OSIA_INTERFACES: 'pr,cms,oidc',
        OSIA_PUBLIC_URL: origins[0],
        OSIA_TLS_CERT: pki.files.serverCert,
        OSIA_TLS_KEY: pki.files.serverKey,
        OSIA_OIDC_CLIENTS: clients,
        // Both login pages send the card to B's listener.
        OSIA_OIDC_CARD_URL: cardOfB,
      },
      (i) => ({ PORT: String(ports[i]), OSIA_OIDC_CARD_PORT: String(cardPorts[i]) }),
    );
    office = await createTestApp({ interfaces: ['pr', 'cms'], dataDir: servers.dataDir });
    await createCitizen(office, UIN);
    card = await issueCard(office, 'REQ-TWO', UIN);
  });
  after(async () => {
    await servers?.stop();
    await office?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('authorizes on A, logs in with the card and consents on B, redeems the code on A and answers userinfo on B', async () => {
    const [a = '', b = ''] = origins;
    const onB = (url: string) => url.replace(a, b);
    const fetch = fetchTrusting(pki.caCert, card.authentication);
    const config = await client.discovery(new URL(`${a}/oidc`), CLIENT.client_id, undefined, client.ClientSecretBasic(SECRET_B), {
      [client.customFetch]: fetch as client.CustomFetch,
    });
    const verifier = client.randomPKCECodeVerifier();
    const start = client.buildAuthorizationUrl(config, {
      redirect_uri: `${RP}/cb`,
      scope: 'openid profile',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'two',
    });
    const browser = new CookieClient(fetch);

    const authorization = await browser.go(start.href);
    assert.equal(authorization.status, 303, 'A starts the interaction');
    const login = await browser.go(onB(authorization.location));
    assert.equal(login.status, 200, login.body.slice(0, 300));
    assert.match(login.body, /Sign in with my ID card/);
    const cardLink = login.body.match(/href="([^"]*\/card)"/)?.[1] ?? '';
    assert.ok(cardLink.startsWith(cardOfB), cardLink);
    const carded = await browser.go(cardLink);
    assert.equal(carded.status, 303, `B's card listener took the certificate: ${carded.body.slice(0, 300)}`);
    const resumed = await browser.go(onB(carded.location));
    const consent = await browser.go(onB(resumed.location));
    assert.match(consent.body, /Share your data/, consent.body.slice(0, 300));
    const action = new URL((consent.body.match(/action="([^"]+)"/)?.[1] ?? '').replaceAll('&amp;', '&'), onB(resumed.location)).href;
    assert.ok(action.startsWith(b), action);
    const decided = await browser.go(action, { decision: 'accept' });
    const back = await browser.go(onB(decided.location));
    assert.ok(back.location.startsWith(`${RP}/cb`), `${back.status} ${back.location}`);

    const tokens = await client.authorizationCodeGrant(config, new URL(back.location), { pkceCodeVerifier: verifier, expectedState: 'two' });
    assert.equal(tokens.claims()?.acr, 'http://eidas.europa.eu/LoA/high');
    const userinfo = await fetch(`${b}/oidc/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(userinfo.status, 200, await userinfo.clone().text());
    const claims = (await userinfo.json()) as Record<string, unknown>;
    assert.equal(claims.sub, tokens.claims()?.sub);
    assert.equal(claims.family_name, PIVOT.lastName);
  });
});
