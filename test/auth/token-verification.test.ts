/** RFC 8725 in practice: which tokens the verifier accepts, from each key source. */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportJWK, SignJWT } from 'jose';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';
import { forgedTokens, tokenFor } from '../support/tokens.js';

const SCOPE = 'uin.generate';

function generate(app: TestApp['app'], token: string) {
  return request(app).post('/uin/v1/uin?transactionId=t').set('Authorization', `Bearer ${token}`).send({});
}

function assertRefused(res: request.Response, message?: RegExp) {
  assert.equal(res.status, 401);
  assert.match(res.headers['www-authenticate'] ?? '', /^Bearer realm="osia", error="invalid_token"/);
  assert.equal(res.body.code, 401);
  if (message) assert.match(res.body.message, message);
}

describe('development key (no issuer configured)', () => {
  const t = useTestApp({ env: { OSIA_AUTH: 'on' } });

  it('accepts a token minted with `npm run token`', async () => {
    assert.notEqual((await generate(t.app, await tokenFor(t.dataDir, SCOPE))).status, 401);
  });

  it('refuses forged tokens: another key, alg none, HMAC confusion, garbage', async () => {
    for (const [flaw, token] of Object.entries(await forgedTokens(SCOPE))) {
      const res = await generate(t.app, token);
      assert.equal(res.status, 401, flaw);
      assertRefused(res);
    }
  });

  it('refuses an expired token, and one for another audience', async () => {
    const { privateKey } = await import('../../src/auth/dev-keys.js').then((m) => m.ensureDevKeys(t.dataDir));
    const now = Math.floor(Date.now() / 1000);
    const base = { scope: SCOPE, iss: 'osia-server-dev', aud: 'osia-server', sub: 'x' };
    const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
    assertRefused(await generate(t.app, await sign({ ...base, exp: now - 120 })), /expired/);
    assertRefused(await generate(t.app, await sign({ ...base, exp: now + 600, aud: 'someone-else' })), /aud/);
    assertRefused(await generate(t.app, await sign({ ...base, exp: now + 600, iss: 'evil' })), /iss/);
    assertRefused(await generate(t.app, await sign(base)), /exp/);
    // Within the clock tolerance (30 s by default), a just-expired token still passes.
    assert.notEqual((await generate(t.app, await sign({ ...base, exp: now - 5 }))).status, 401);
  });

  it('refuses a malformed Authorization header, and asks for a token when there is none', async () => {
    const basic = await request(app()).post('/uin/v1/uin?transactionId=t').set('Authorization', 'Basic dXNlcjpwYXNz');
    assertRefused(basic, /Bearer <JWT>/);
    const none = await request(app()).post('/uin/v1/uin?transactionId=t').send({});
    assert.equal(none.status, 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="osia"');
  });

  const app = () => t.app;
});

describe('configured issuer keys', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (claims: object, kid?: string) =>
    new SignJWT({ scope: SCOPE, sub: 'svc', exp: now() + 600, ...claims })
      .setProtectedHeader({ alg: 'RS256', ...(kid ? { kid } : {}) })
      .sign(privateKey);

  it('OSIA_JWT_PUBLIC_KEY: accepts its tokens, with issuer and audience checked when configured', async () => {
    const probe = await createTestApp();
    const keyFile = path.join(probe.dataDir, 'issuer.pem');
    await writeFile(keyFile, publicKey.export({ type: 'spki', format: 'pem' }));
    const t = await createTestApp({
      env: { OSIA_AUTH: 'on', OSIA_JWT_PUBLIC_KEY: keyFile, OSIA_JWT_ISSUER: 'https://idp.example', OSIA_JWT_AUDIENCE: 'osia' },
    });
    try {
      const good = await sign({ iss: 'https://idp.example', aud: 'osia' });
      assert.notEqual((await generate(t.app, good)).status, 401);
      assertRefused(await generate(t.app, await sign({ iss: 'https://idp.example', aud: 'other' })), /aud/);
      assertRefused(await generate(t.app, await sign({ iss: 'https://elsewhere', aud: 'osia' })), /iss/);
      // The development key is not trusted once an issuer key is configured.
      assertRefused(await generate(t.app, await tokenFor(t.dataDir, SCOPE)));
    } finally {
      await t.close();
      await probe.close();
    }
  });

  describe('OSIA_JWKS_URL', () => {
    const second = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keys: object[] = [];
    let jwksRequests = 0;
    let server: Server;
    let t: TestApp;
    before(async () => {
      keys.push({ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' });
      server = createServer((_req, res) => {
        jwksRequests++;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      t = await createTestApp({
        env: { OSIA_AUTH: 'on', OSIA_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, OSIA_JWKS_COOLDOWN: '0' },
      });
    });
    after(async () => {
      await t.close();
      server.close();
    });

    it('verifies with the published key and caches it', async () => {
      assert.notEqual((await generate(t.app, await sign({}, 'k1'))).status, 401);
      const fetched = jwksRequests;
      assert.notEqual((await generate(t.app, await sign({}, 'k1'))).status, 401);
      assert.equal(jwksRequests, fetched, 'a known kid needs no new fetch');
    });

    it('refetches the key set for an unknown kid (key rotation)', async () => {
      keys.push({ ...(await exportJWK(second.publicKey)), kid: 'k2', alg: 'RS256', use: 'sig' });
      const rotated = await new SignJWT({ scope: SCOPE, sub: 'svc', exp: now() + 600 })
        .setProtectedHeader({ alg: 'RS256', kid: 'k2' })
        .sign(second.privateKey);
      const fetched = jwksRequests;
      assert.notEqual((await generate(t.app, rotated)).status, 401);
      assert.equal(jwksRequests, fetched + 1);
      const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const unknown = await new SignJWT({ scope: SCOPE, sub: 'svc', exp: now() + 600 })
        .setProtectedHeader({ alg: 'RS256', kid: 'k3' })
        .sign(stranger.privateKey);
      assertRefused(await generate(t.app, unknown), /unknown key/);
    });
  });
});
