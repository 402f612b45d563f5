/**
 * The passkey operations (`openapi/oidc-passkeys.yaml`) on a real app and store, mounted under `/oidc` as beside
 * the OpenID provider, answers checked against the document. The provider's ports stand in: the browser's session
 * is a test cookie `session=<personId>.<acr>`, and finishing a login records the result and names a URL.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Script } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import type { Express } from 'express';
import request from 'supertest';
import { createHttpApp } from '../../src/app.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { loadConfig } from '../../src/config/load-config.js';
import { serve } from '../../src/http/interface-module.js';
import { createMetrics } from '../../src/http/metrics.js';
import type { LoginResult } from '../../src/oidc/login-methods.js';
import { Passkeys } from '../../src/oidc/passkeys.js';
import { type CurrentLogin, passkeyLoginButton, passkeyRegistration, passkeysInterface } from '../../src/oidc/passkeys.routes.js';
import { loadDocument } from '../../src/openapi/documents.js';
import { createStorage } from '../../src/storage/create-storage.js';
import type { Storage } from '../../src/storage/document-store.port.js';
import { Store } from '../../src/storage/store.js';
import { fakeClock } from '../support/fake-clock.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { testLogger } from '../support/test-app.js';

const PUBLIC_URL = 'https://id.example.test';
const ORIGIN = PUBLIC_URL;

describe('passkeys over HTTP', () => {
  const clock = fakeClock();
  const dead = new Set<string>();
  const finished: { uid: string; result: LoginResult }[] = [];
  let dataDir: string;
  let storage: Storage;
  let app: Express;

  function currentLogin({ req }: { req: { headers: { cookie?: string } } }): Promise<CurrentLogin | undefined> {
    const [personId, acr] = /session=([^;.]+)\.(\w+)/.exec(req.headers.cookie ?? '')?.slice(1) ?? [];
    return Promise.resolve(personId && acr ? { personId, acr: acr as CurrentLogin['acr'] } : undefined);
  }

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-passkeys-http-'));
    const loaded = loadConfig([], { OSIA_AUTH: 'off', OSIA_DATA_DIR: dataDir, OSIA_VALIDATE_RESPONSES: 'true', OSIA_PUBLIC_URL: PUBLIC_URL });
    if (loaded.help) throw new Error('unreachable: no --help given');
    const { config } = loaded;
    storage = await createStorage({ dataDir, mongodbUri: process.env.MONGODB_URI, mongodbDatabase: path.basename(dataDir), clock });
    const store = new Store(storage);
    const passkeys = await Passkeys.open(store, {
      publicUrl: PUBLIC_URL,
      clock,
      standing: async (personId) => !dead.has(personId),
      accountName: async (personId) => `Person ${personId}`,
    });
    const finishLogin = async ({ req }: { req: { url?: string } }, result: LoginResult) => {
      const uid = /\/interaction\/([^/]+)\//.exec(req.url ?? '')?.[1] ?? '';
      finished.push({ uid, result });
      return `/oidc/auth/${uid}`;
    };
    const document = await loadDocument('oidc-passkeys');
    app = await createHttpApp({
      config,
      storage,
      logger: testLogger(),
      documents: [document],
      mounts: [{ loaded: document, prefix: '/oidc', dataAccessOnPr: false }],
      metrics: createMetrics(),
      interfaces: [serve(passkeysInterface, { passkeys, finishLogin, currentLogin })],
      auditLog: await AuditLog.open(store),
      clock,
    });
  });
  after(async () => {
    await storage.documents.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const card = (personId: string) => `session=${personId}.high`;

  /** Registers a passkey for `personId` through a card session. */
  async function register(personId: string, authenticator = new SoftAuthenticator()) {
    const options = await request(app).post('/oidc/passkeys/registration/options').set('Cookie', card(personId)).expect(200);
    const answer = authenticator.create(options.body, { origin: ORIGIN });
    const registered = await request(app).post('/oidc/passkeys/registration').set('Cookie', card(personId)).send(answer).expect(201);
    return { authenticator, id: registered.body.id as string };
  }

  async function loginAnswer(uid: string, authenticator: SoftAuthenticator, origin = ORIGIN) {
    const options = await request(app).post(`/oidc/interaction/${uid}/passkey/options`).expect(200);
    return authenticator.get(options.body, { origin });
  }

  it('refuses a registration without a session authenticated with the card, before reading the body', async () => {
    const none = await request(app).post('/oidc/passkeys/registration/options').expect(403);
    assert.match(none.body.message, /Sign in first/);
    const passkey = await request(app).post('/oidc/passkeys/registration/options').set('Cookie', 'session=P-1.substantial').expect(403);
    assert.match(passkey.body.message, /ID card/);
    // Not valid JSON at all: the session is refused first, so the body is never parsed.
    const body = await request(app).post('/oidc/passkeys/registration').set('Cookie', 'session=P-1.substantial').type('json').send('{not json').expect(403);
    assert.match(body.body.message, /ID card/);
    await request(app).get('/oidc/passkeys').expect(403);
  });

  it('registers with a card session, then logs in with the passkey: the provider gets the person at substantial', async () => {
    const { authenticator, id } = await register('P-2');
    const answer = await loginAnswer('uid-2', authenticator);
    const login = await request(app).post('/oidc/interaction/uid-2/passkey').send(answer).expect(200);
    assert.deepEqual(login.body, { location: '/oidc/auth/uid-2' });
    assert.deepEqual(finished.at(-1), { uid: 'uid-2', result: { personId: 'P-2', acr: 'substantial', amr: ['hwk', 'user'] } });
    const listed = await request(app).get('/oidc/passkeys').set('Cookie', 'session=P-2.substantial').expect(200);
    assert.deepEqual(listed.body, [{ id, createdAt: clock().toISOString(), lastUsedAt: clock().toISOString(), synced: false, transports: ['internal'] }]);
  });

  it('refuses a replayed answer with a 400 that says why, and finishes no login', async () => {
    const { authenticator } = await register('P-3');
    const answer = await loginAnswer('uid-3', authenticator);
    await request(app).post('/oidc/interaction/uid-3/passkey').send(answer).expect(200);
    const count = finished.length;
    const replay = await request(app).post('/oidc/interaction/uid-3/passkey').send(answer).expect(400);
    assert.deepEqual(replay.body, { code: 400, message: 'This passkey request has expired or was used already; try again.' });
    assert.equal(finished.length, count);
  });

  it('refuses an answer made for another origin, an unknown passkey, and a dead person', async () => {
    const { authenticator } = await register('P-4');
    const count = finished.length;
    const phished = await request(app).post('/oidc/interaction/uid-4/passkey').send(await loginAnswer('uid-4', authenticator, 'https://id.example.test.evil')).expect(400);
    assert.match(phished.body.message, /could not be verified/);
    const stranger = new SoftAuthenticator();
    const unknown = await request(app)
      .post('/oidc/interaction/uid-4/passkey')
      .send(authenticator.get((await request(app).post('/oidc/interaction/uid-4/passkey/options')).body, { origin: ORIGIN }, stranger.stranger()))
      .expect(400);
    assert.match(unknown.body.message, /not registered here/);
    dead.add('P-4');
    const deceased = await request(app).post('/oidc/interaction/uid-4/passkey').send(await loginAnswer('uid-4', authenticator)).expect(400);
    assert.match(deceased.body.message, /can no longer sign in/);
    assert.equal(finished.length, count);
  });

  it('bounds the sizes of an answer at the boundary', async () => {
    const { authenticator } = await register('P-5');
    const answer = await loginAnswer('uid-5', authenticator);
    const big = { ...answer, response: { ...answer.response, clientDataJSON: 'A'.repeat(5000) } };
    const refused = await request(app).post('/oidc/interaction/uid-5/passkey').send(big).expect(400);
    assert.match(refused.body.message, /clientDataJSON/);
    // The challenge of the refused answer was never read: the real answer still goes through.
    await request(app).post('/oidc/interaction/uid-5/passkey').send(answer).expect(200);
  });

  it('lists and deletes only the passkeys of the person of the session', async () => {
    const { id } = await register('P-6');
    await request(app).delete(`/oidc/passkeys/${id}`).set('Cookie', 'session=P-7.high').expect(404);
    await request(app).delete(`/oidc/passkeys/${id}`).set('Cookie', 'session=P-6.substantial').expect(204);
    const listed = await request(app).get('/oidc/passkeys').set('Cookie', 'session=P-6.substantial').expect(200);
    assert.deepEqual(listed.body, []);
  });

  it('serves the script of the buttons, as JavaScript that parses', async () => {
    const script = await request(app).get('/oidc/passkeys/passkeys.js').expect(200);
    assert.match(script.headers['content-type'] ?? '', /^application\/javascript/);
    assert.doesNotThrow(() => new Script(script.text));
    assert.match(script.text, /navigator\.credentials\.get/);
    assert.match(script.text, /navigator\.credentials\.create/);
  });

  it('renders the buttons: a real button the script reveals, a live region, a no-script notice, in French and English', () => {
    const login = passkeyLoginButton('fr', 'a"b').text;
    assert.match(login, /<button type="button" hidden data-passkey-login="\/oidc\/interaction\/a%22b\/passkey">Se connecter avec une clé d’accès<\/button>/);
    assert.match(login, /<p role="status" aria-live="polite" data-passkey-status><\/p>/);
    assert.match(login, /<noscript><p>La connexion par clé d’accès nécessite JavaScript/);
    assert.match(login, /<script src="\/oidc\/passkeys\/passkeys.js" defer><\/script>/);
    const mine = passkeyRegistration('en', [{ id: 'abc', createdAt: '2026-01-02T03:04:05.000Z', synced: true, transports: [] }], '/id').text;
    assert.match(mine, /data-passkey-register="\/id\/passkeys\/registration">Add a passkey<\/button>/);
    assert.match(mine, /Added 2026-01-02; Last used: never; Synced across your devices/);
    assert.match(mine, /data-passkey-delete="\/id\/passkeys\/abc"/);
  });
});
