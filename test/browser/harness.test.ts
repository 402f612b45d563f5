import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { browserSkipReason, launchBrowser, saveScreenshot, type TestBrowser } from '../support/browser.js';
import { createTestPki, type TestPki } from '../support/test-pki.js';
import { addVirtualAuthenticator } from '../support/virtual-authenticator.js';
import { type PageServer, type PasskeyServer, startCertificatePage, startPasskeyPages } from './harness-pages.js';

describe('Chromium presents a client certificate from its NSS database', { skip: browserSkipReason({ nss: true }) }, () => {
  let dir: string;
  let pki: TestPki;
  let server: PageServer;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'osia-harness-'));
    pki = await createTestPki(dir);
    server = await startCertificatePage({ cert: pki.serverCert, key: pki.serverKey });
  });
  after(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('the AutoSelectCertificateForUrls policy picks it, and the server receives it', async (t) => {
    const browser = await launchBrowser({
      trustedCaPems: [pki.caCert],
      clientCertificate: { certPem: pki.clientCert, keyPem: pki.clientKey, origins: [server.origin] },
    });
    t.after(() => browser.close());
    t.diagnostic(`Chromium launch with an NSS database: ${browser.launchMs} ms`);
    await browser.page.goto(server.origin);
    assert.equal(await browser.page.locator('#subject').textContent(), 'CN=civil-registry-client');
  });

  test('a browser without one sends none', async (t) => {
    const browser = await launchBrowser({ trustedCaPems: [pki.caCert] });
    t.after(() => browser.close());
    await browser.page.goto(server.origin);
    assert.equal(await browser.page.locator('#subject').textContent(), 'no certificate');
  });

  test('a server whose CA was not imported is refused, as a person would see it', async (t) => {
    const browser = await launchBrowser();
    t.after(() => browser.close());
    await assert.rejects(browser.page.goto(server.origin), /ERR_CERT_AUTHORITY_INVALID/);
  });
});

describe('a passkey through Chromium virtual authenticator', { skip: browserSkipReason() }, () => {
  let server: PasskeyServer;
  let browser: TestBrowser;
  before(async () => {
    server = await startPasskeyPages();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('is created, then used, by a page whose script is a file, and the relying party verifies both', async (t) => {
    t.diagnostic(`Chromium launch: ${browser.launchMs} ms`);
    const { page } = browser;
    const authenticator = await addVirtualAuthenticator(page);
    t.after(() => authenticator.remove());
    await page.goto(`${server.origin}/passkey.html`);
    const status = page.locator('#status');

    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await status.filter({ hasText: /^register: / }).waitFor();
    assert.equal(await status.textContent(), 'register: verified');
    const [held] = await authenticator.credentials();
    assert.ok(held?.isResidentCredential, 'the authenticator keeps a discoverable credential');
    const registered = server.registration?.registrationInfo;
    assert.equal(registered?.credential.id, Buffer.from(held.credentialId, 'base64').toString('base64url'));
    assert.equal(registered?.userVerified, true);

    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await status.filter({ hasText: /^login: / }).waitFor();
    assert.equal(await status.textContent(), 'login: verified');
    const [used] = await authenticator.credentials();
    assert.equal(server.authentication?.authenticationInfo.credentialID, registered?.credential.id);
    assert.equal(server.authentication?.authenticationInfo.userVerified, true);
    assert.equal(server.authentication?.authenticationInfo.newCounter, used?.signCount);
    assert.ok((used?.signCount ?? 0) > (held.signCount ?? 0), 'the sign-in counted on the authenticator');
  });

  test('a screenshot of the page is a PNG as wide as the viewport', async (t) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'osia-screenshot-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await browser.page.goto(`${server.origin}/passkey.html`);
    const png = await readFile(await saveScreenshot(browser.page, 'passkey', dir));
    assert.deepEqual(png.subarray(0, 8), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    assert.equal(png.readUInt32BE(16), browser.page.viewportSize()?.width);
  });
});
