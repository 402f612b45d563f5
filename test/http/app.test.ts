/** The cross-cutting HTTP surface: health, readiness, metrics, docs, headers, routing errors, logs. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import request from 'supertest';
import { parse } from 'yaml';
import { openapiDirectory } from '../../src/openapi/documents.js';
import { INTERFACE_NAMES } from '../../src/openapi/interfaces.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';

function assertOsiaError(res: request.Response, status: number, message?: RegExp) {
  assert.equal(res.status, status);
  assert.match(res.headers['content-type'] ?? '', /application\/json/);
  assert.deepEqual(Object.keys(res.body).sort(), ['code', 'message']);
  assert.equal(res.body.code, status);
  if (message) assert.match(res.body.message, message);
  assert.doesNotMatch(JSON.stringify(res.body), /at .*\.(ts|js):\d+/, 'no stack trace');
}

describe('HTTP surface', () => {
  let t: TestApp;
  const logLines: string[] = [];
  before(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(...String(chunk).trim().split('\n'));
        done();
      },
    });
    t = await createTestApp({ env: { OSIA_BODY_LIMIT: '1kb' }, logger: pino({ level: 'info' }, sink) });
  });
  after(() => t.close());

  it('GET /healthz answers while the process runs', async () => {
    const res = await request(t.app).get('/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  it('GET /readyz answers once the store answers', async () => {
    const res = await request(t.app).get('/readyz');
    assert.equal(res.status, 200);
    assert.equal(res.body.store, t.storage.documents.kind);
  });

  it('serves each document raw at /openapi/<name>.yaml', async () => {
    for (const name of INTERFACE_NAMES) {
      const res = await request(t.app).get(`/openapi/${name}.yaml`);
      assert.equal(res.status, 200, name);
      assert.match(res.headers['content-type'] ?? '', /yaml/);
      assert.equal(res.text, await readFile(path.join(openapiDirectory(), `${name}.yaml`), 'utf8'));
      assert.equal(parse(res.text).servers[0].url, `/${name}`);
    }
  });

  it('serves Swagger UI at /docs with one entry per interface and no external assets', async () => {
    const page = await request(t.app).get('/docs/');
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /(src|href)=["']https?:\/\//, 'assets must be local');
    const init = await request(t.app).get('/docs/swagger-ui-init.js');
    assert.equal(init.status, 200);
    for (const name of INTERFACE_NAMES) assert.ok(init.text.includes(`/openapi/${name}.yaml`), name);
    assert.match(init.text, /"validatorUrl": null/, 'no call to the public online validator');
    assert.match(init.text, /"urls.primaryName": "Population Registry"/);
    const bundle = await request(t.app).get('/docs/swagger-ui-bundle.js');
    assert.equal(bundle.status, 200);
    assert.ok(bundle.text.length > 100_000);
  });

  it('sends neither Server nor X-Powered-By, and always a request id', async () => {
    const res = await request(t.app).get('/healthz').set('X-Request-Id', 'trace-42');
    assert.equal(res.headers['x-powered-by'], undefined);
    assert.equal(res.headers.server, undefined);
    assert.equal(res.headers['x-request-id'], 'trace-42');
    const fresh = await request(t.app).get('/healthz').set('X-Request-Id', 'bad id with spaces');
    assert.match(fresh.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route under a prefix with 404 and the Error object', async () => {
    assertOsiaError(await request(t.app).get('/pr/v1/nothing-here?transactionId=t'), 404);
    assertOsiaError(await request(t.app).get('/not-an-interface'), 404, /No route/);
  });

  it('answers a known path with an undeclared method with 405 and the Error object', async () => {
    const res = await request(t.app).patch('/uin/v1/uin?transactionId=t');
    assertOsiaError(res, 405);
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await request(t.app)
      .post('/pr/v1/persons/p1?transactionId=t')
      .set('Content-Type', 'application/json')
      .send('{"status": ');
    assertOsiaError(res, 400, /not valid JSON/);
  });

  it('ignores a body, even malformed, sent to an operation that takes none', async () => {
    const get = await request(t.app).get('/pr/v1/persons/p1?transactionId=t').set('Content-Type', 'application/json').send('{"broken');
    assert.equal(get.status, 404, JSON.stringify(get.body));
    const merge = await request(t.app)
      .post('/pr/v1/persons/p1/merge/p2?transactionId=t')
      .set('Content-Type', 'application/json')
      .send('{"broken');
    assert.equal(merge.status, 404, JSON.stringify(merge.body));
  });

  it('refuses a body over the configured limit with 413', async () => {
    const res = await request(t.app)
      .post('/pr/v1/persons/p1?transactionId=t')
      .send({ status: 'ACTIVE', physicalStatus: 'ALIVE', padding: 'x'.repeat(2048) });
    assertOsiaError(res, 413, /size limit/);
  });

  it('names the offending field when a request violates the spec', async () => {
    const res = await request(t.app).post('/pr/v1/persons/p1?transactionId=t').send({ status: 'ACTIVE' });
    assertOsiaError(res, 400, /physicalStatus/);
  });

  it('accepts integer values where OSIA allows string|integer|number|boolean (DEVIATIONS.md #2)', async () => {
    for (const value of [18, 1.5, 'Ada', true]) {
      const res = await request(t.app)
        .post('/dataaccess/v1/persons/p1/verify')
        .send([{ attributeName: 'age', operator: '>', value }]);
      assert.notEqual(res.status, 400, `value ${value}: ${res.body.message}`);
    }
  });

  it('takes a PATCH body as a JSON merge patch: partial, with nulls, as application/merge-patch+json too', async () => {
    const url = '/pr/v1/persons/p1/identities/i1?transactionId=t';
    const patch = { galleries: ['G1', 'G2'], biographicData: { gender: null, nationality: 'FRA' } };
    for (const type of ['application/json', 'application/merge-patch+json']) {
      const res = await request(t.app).patch(url).set('Content-Type', type).send(JSON.stringify(patch));
      // Past validation: the identity does not exist.
      assert.equal(res.status, 404, `${type}: ${res.body.message}`);
    }
    assertOsiaError(await request(t.app).patch(url).send(['not', 'an', 'object']), 400);
  });

  it('exposes Prometheus metrics per operationId and status, and process metrics', async () => {
    const generated = await request(t.app).post('/uin/v1/uin?transactionId=t').send({});
    const res = await request(t.app).get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /text\/plain/);
    assert.match(
      res.text,
      new RegExp(`osia_http_requests_total\\{interface="uin",operationId="generateUIN",method="POST",status="${generated.status}"\\} 1`),
    );
    assert.match(res.text, /osia_http_request_duration_seconds_bucket\{[^}]*operationId="generateUIN"/);
    assert.match(res.text, /process_cpu_seconds_total/);
    await request(t.app).get('/random-prefix-xyz');
    const again = await request(t.app).get('/metrics');
    assert.doesNotMatch(again.text, /random-prefix-xyz/, 'unknown prefixes do not become label values');
  });

  it('logs request id, operationId, transactionId, status and duration, but no query values', async () => {
    await request(t.app)
      .get('/dataaccess/v1/persons?firstName=Zebulon&transactionId=ignored')
      .set('X-Request-Id', 'log-check-1');
    const line = logLines.map((l) => JSON.parse(l)).find((entry) => entry.req?.id === 'log-check-1' && entry.res);
    assert.ok(line, 'a log line for the request');
    assert.equal(line.operationId, 'queryPersonList');
    assert.equal(typeof line.responseTime, 'number');
    assert.equal(typeof line.res.statusCode, 'number');
    assert.equal(line.req.path, '/dataaccess/v1/persons');
    assert.ok(!logLines.join('\n').includes('Zebulon'), 'query values never reach the logs');
  });

  it('logs a refusal (an unknown ABIS encounter, 404) at info, not as an error', async () => {
    const res = await request(t.app).get('/abis/v1/persons/P1/encounters/E1?transactionId=t').set('X-Request-Id', 'log-check-404');
    assert.equal(res.status, 404);
    const lines = logLines.map((l) => JSON.parse(l)).filter((entry) => entry.req?.id === 'log-check-404');
    assert.ok(lines.length > 0, 'a log line for the request');
    assert.deepEqual([...new Set(lines.map((entry) => entry.level))], [30]);
  });
});

describe('Data Access beside the Population Registry under /pr', () => {
  const t = useTestApp();

  const cases: [string, () => request.Test, string][] = [
    ['GET /pr/v1/persons/{id} with attributeNames', () => request(t.app).get('/pr/v1/persons/p1?attributeNames=firstName'), 'readPersonAttributes'],
    ['GET /pr/v1/persons/{id} without attributeNames', () => request(t.app).get('/pr/v1/persons/p1?transactionId=t'), 'readPerson'],
    ['GET /pr/v1/persons?firstName=…', () => request(t.app).get('/pr/v1/persons?firstName=Ada'), 'queryPersonList'],
    ['POST /pr/v1/persons (findPersons)', () => request(t.app).post('/pr/v1/persons?transactionId=t').send([]), 'findPersons'],
    ['POST /pr/v1/persons/{id}/match', () => request(t.app).post('/pr/v1/persons/p1/match').send({ firstName: 'Ada' }), 'matchPersonAttributes'],
    ['GET /pr/v1/persons/{id}/document', () => request(t.app).get('/pr/v1/persons/p1/document?doctype=birth&format=pdf'), 'readDocument'],
  ];
  for (const [what, call, operationId] of cases) {
    it(`${what} reaches ${operationId}`, async () => {
      const res = await call();
      assert.ok(res.status < 500, JSON.stringify(res.body));
      // The audit trail names the operation that answered.
      const events = await (await t.storage.documents.collection('audit_events')).find({});
      assert.equal(events.at(-1)?.operationId, operationId);
    });
  }
});

describe('OSIA_INTERFACES', () => {
  const t = useTestApp({ interfaces: ['pr'] });

  it('serves only the chosen interfaces', async () => {
    assert.equal((await request(t.app).post('/pr/v1/persons/p1?transactionId=t').send({ status: 'ACTIVE', physicalStatus: 'ALIVE' })).status, 201);
    assertOsiaError(await request(t.app).post('/uin/v1/uin?transactionId=t').send({}), 404);
    assert.equal((await request(t.app).get('/openapi/uin.yaml')).status, 404);
  });
});
