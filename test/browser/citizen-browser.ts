/** Chromium as the citizen's browser: trusting the server's CA, holding one ID card, signing in to "my data". */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { HolderCard } from '../oidc/card-fixtures.js';
import { type LaunchOptions, launchBrowser, type TestBrowser } from '../support/browser.js';
import type { CitizenServer } from '../support/citizen-server.js';

/** A browser whose NSS database holds `card`'s authentication certificate and key, presented to the card listener only. */
export function cardBrowser(server: CitizenServer, card: HolderCard, options: Omit<LaunchOptions, 'trustedCaPems' | 'clientCertificate'> = {}): Promise<TestBrowser> {
  return launchBrowser({
    ...options,
    trustedCaPems: [server.pki.caCert],
    clientCertificate: { certPem: card.authentication.cert, keyPem: card.authentication.key, origins: [server.cardOrigin] },
  });
}

/** True once the page is "my data" itself (not a login on the way). */
const atMyData = (server: CitizenServer) => (url: URL) => url.origin === server.origin && url.pathname === '/me/';

/** Opens /me/, which sends a person not signed in to the provider's login page, and signs in there with the card. */
export async function signInToMyDataWithCard(page: Page, server: CitizenServer, cardLink = 'Sign in with my ID card'): Promise<void> {
  await page.goto(`${server.origin}/me/`);
  assert.ok(page.url().startsWith(`${server.origin}/oidc/interaction/`), `the login page, not ${page.url()}`);
  await page.getByRole('link', { name: cardLink }).click();
  await page.waitForURL(atMyData(server));
}

export async function waitForMyData(page: Page, server: CitizenServer): Promise<void> {
  await page.waitForURL(atMyData(server));
}

/** Opens /me/, signing in with the card again when the session has ended (the app's clock moved past it). */
export async function openMyData(page: Page, server: CitizenServer, cardLink = 'Sign in with my ID card'): Promise<void> {
  await page.goto(`${server.origin}/me/`);
  if (atMyData(server)(new URL(page.url()))) return;
  await page.getByRole('link', { name: cardLink }).click();
  await waitForMyData(page, server);
}
