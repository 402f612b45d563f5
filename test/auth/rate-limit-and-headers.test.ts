/** Per-client rate limiting and security headers. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { useTestApp } from '../support/use-test-app.js';
import { tokenFor } from '../support/tokens.js';

describe('rate limiting (OSIA_RATE_LIMIT)', () => {
  const t = useTestApp({ env: { OSIA_AUTH: 'on', OSIA_RATE_LIMIT: '3' } });

  const call = (token: string) =>
    request(t.app).post('/uin/v1/uin?transactionId=t').set('Authorization', `Bearer ${token}`).send({});

  it('answers 429 with the Error object once a client exceeds its budget, other clients unaffected', async () => {
    const greedy = await tokenFor(t.dataDir, 'uin.generate', 'user-1', 'greedy-client');
    const modest = await tokenFor(t.dataDir, 'uin.generate', 'user-2', 'modest-client');
    for (let i = 0; i < 3; i++) assert.notEqual((await call(greedy)).status, 429);
    const refused = await call(greedy);
    assert.equal(refused.status, 429);
    assert.deepEqual(refused.body, { code: 429, message: 'Rate limit of 3 requests per minute exceeded; retry later' });
    assert.ok(refused.headers.ratelimit, 'standard RateLimit header');
    assert.notEqual((await call(modest)).status, 429);
  });
});

describe('security headers', () => {
  const t = useTestApp();

  it('gives Swagger UI a Content Security Policy it can run under, with the usual hardening headers', async () => {
    for (const path of ['/docs/', '/openapi/pr.yaml']) {
      const res = await request(t.app).get(path);
      const csp = res.headers['content-security-policy'] ?? '';
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, `${path}: no inline or remote scripts`);
      assert.match(csp, /style-src 'self' 'unsafe-inline'/, path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
    }
  });

  it('gives API answers a deny-all policy and forbids caching personal data', async () => {
    for (const path of ['/healthz', '/pr/v1/persons/p1?transactionId=t', '/pr/v1/nowhere']) {
      const res = await request(t.app).get(path);
      assert.equal(res.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'", path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.headers['x-powered-by'], undefined);
    }
  });
});
