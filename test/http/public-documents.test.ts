/**
 * The public endpoints (the CA certificate and CRL, the proof keys) are operations of documents of their own: with
 * authentication on they answer without a token, through the interface router (metrics by operationId, docs).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { tokenFor } from '../support/tokens.js';
import { useTestApp } from '../support/use-test-app.js';

describe('public documents', () => {
  const t = useTestApp({ interfaces: ['cms', 'thirdparty', 'pr'], env: { OSIA_AUTH: 'on' } });

  it('answer without a token, while the OSIA operations beside them still ask for one', async () => {
    const ca = await request(t.app).get('/cms/ca.pem');
    assert.equal(ca.status, 200);
    assert.match(ca.text, /^-----BEGIN CERTIFICATE-----/);
    assert.equal((await request(t.app).get('/cms/crl')).status, 200);
    assert.equal((await request(t.app).get('/thirdparty/jwks.json')).status, 200);
    assert.equal((await request(t.app).get('/cms/v1/credentials/C-1?transactionId=t')).status, 401);
  });

  it('are validated like every operation: an undeclared method on their path is refused', async () => {
    assert.equal((await request(t.app).post('/cms/ca.pem')).status, 401, 'not public: no operation is');
    const token = await tokenFor(t.dataDir, 'census.statistics.read');
    const res = await request(t.app).post('/cms/ca.pem').set('Authorization', `Bearer ${token}`);
    assert.equal(res.status, 405);
    assert.deepEqual(Object.keys(res.body).sort(), ['code', 'message']);
  });

  it('are counted by operationId and published in /openapi and /docs', async () => {
    await request(t.app).get('/thirdparty/jwks.json');
    const metrics = (await request(t.app).get('/metrics')).text;
    assert.match(metrics, /osia_http_requests_total\{interface="thirdparty",operationId="readProofKeys",method="GET",status="200"\}/);
    for (const name of ['pki', 'jwks']) {
      const yaml = await request(t.app).get(`/openapi/${name}.yaml`);
      assert.equal(yaml.status, 200);
      assert.match(yaml.text, /security: \[\]/);
    }
    assert.equal((await request(t.app).get('/openapi/events.yaml')).status, 404, 'no event callbacks without OSIA_EVENTS');
  });
});
