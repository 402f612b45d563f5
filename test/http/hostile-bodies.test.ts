/**
 * Hostile JSON never reaches a handler or the store: every operation that takes JSON answers 400 to bodies nested
 * past the limit (33 levels, and 100 000), too wide, or made of too many values, and never a 5xx. The records
 * written before are all readable after a restart on the same data directory.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { listOperations, loadDocuments } from '../../src/openapi/documents.js';
import { credentialRequest } from '../cms/cms-fixtures.js';
import { claim } from '../support/registry-fixtures.js';
import { validRequest } from '../../src/check/sample-request.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const documents = await loadDocuments();
const TX = '?transactionId=tx-hostile';

/** `depth` levels of objects (or arrays), e.g. depth 2: `{"a":{"a":1}}`. */
function nested(depth: number, open = '{"a":', close = '}'): string {
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}

const JSON_OPERATIONS = documents.flatMap(({ name, document }) =>
  listOperations(document)
    .filter((entry) => Object.keys(entry.operation.requestBody?.content ?? {}).some((type) => type.includes('json')))
    .map((entry) => ({ name, entry, document })),
);

describe('hostile JSON bodies', () => {
  let t: TestApp;
  let credentialId = '';
  const enrolment = { enrollmentType: 'CITIZEN', biographicData: { firstName: 'Chidi', lastName: 'Okafor' } };

  before(async () => {
    t = await createTestApp();
    const created = [
      await request(t.app).post(`/pr/v1/persons/sample-personId${TX}`).send({ status: 'ACTIVE', physicalStatus: 'ALIVE' }),
      await request(t.app).post(`/pr/v1/persons/sample-personId/identities/sample-identityId${TX}`).send(claim({ lastName: 'Okafor' })),
      await request(t.app).post(`/enrollment/v1/enrollments/sample-enrollmentId${TX}`).send(enrolment),
      await request(t.app).post(`/cms/v1/credentialRequests/sample-credentialRequestId${TX}`).send(credentialRequest()),
    ];
    for (const res of created) assert.ok([201, 204].includes(res.status), res.text);
    const read = await request(t.app).get(`/cms/v1/credentialRequests/sample-credentialRequestId${TX}`);
    credentialId = read.body.credentialIds[0];
  });
  after(() => t.close());

  it('covers the operations of every interface that take JSON', () => {
    const interfaces = new Set(JSON_OPERATIONS.map(({ name }) => name));
    for (const name of ['enrollment', 'pr', 'dataaccess', 'uin', 'cms', 'thirdparty', 'abis'] as const) assert.ok(interfaces.has(name), name);
    assert.ok(JSON_OPERATIONS.length >= 30, `${JSON_OPERATIONS.length} operations`);
  });

  const bodies: Record<string, () => string> = {
    'nested 33 levels deep': () => nested(33),
    'nested 100 000 levels deep': () => nested(100_000),
    'of arrays nested 100 000 levels deep': () => nested(100_000, '[', ']'),
    'with an array of 10 001 members': () => `{"a":[${new Array(10_001).fill(0).join(',')}]}`,
    'of 100 001 values in small objects': () => `[${new Array(20_001).fill('{"a":1,"b":2,"c":3,"d":4}').join(',')}]`,
  };

  for (const { name, entry, document } of JSON_OPERATIONS) {
    it(`${name} ${entry.operationId}: 400 for every hostile body, never 5xx`, async () => {
      const sample = validRequest(entry, document, `/${name}`);
      const url = sample.url.replace('sample-credentialId', credentialId);
      const type = entry.method === 'patch' ? 'application/merge-patch+json' : 'application/json';
      for (const [how, body] of Object.entries(bodies)) {
        const res = await request(t.app)[entry.method](url).set(sample.headers).set('Content-Type', type).send(body());
        assert.equal(res.status, 400, `${how}: ${res.status} ${res.text.slice(0, 200)}`);
        assert.deepEqual(Object.keys(res.body).sort(), ['code', 'message']);
        assert.match(res.body.message, /deeper than 32 levels|more than 10000 members|more than 100000 values/, how);
      }
    });
  }

  it('takes free-form data nested up to the limit (32 levels from the body itself)', async () => {
    // Body (1) → biographicData (2) → 30 more levels.
    const deep = JSON.parse(nested(30));
    const res = await request(t.app).post(`/pr/v1/persons/sample-personId/identities/DEEP${TX}`).send(claim({ deep }));
    assert.equal(res.status, 201, res.text);
    const read = await request(t.app).get(`/pr/v1/persons/sample-personId/identities/DEEP${TX}`);
    assert.deepEqual(read.body.biographicData.deep, deep);
  });

  it('leaves every earlier record readable after a restart on the same data directory', async () => {
    await t.storage.documents.close();
    const reopened = await createTestApp({ dataDir: t.dataDir });
    t = reopened;
    const reads = {
      person: await request(t.app).get(`/pr/v1/persons/sample-personId${TX}`),
      identity: await request(t.app).get(`/pr/v1/persons/sample-personId/identities/sample-identityId${TX}`),
      identities: await request(t.app).get(`/pr/v1/persons/sample-personId/identities${TX}`),
      enrolment: await request(t.app).get(`/enrollment/v1/enrollments/sample-enrollmentId${TX}`),
      credentialRequest: await request(t.app).get(`/cms/v1/credentialRequests/sample-credentialRequestId${TX}`),
      credential: await request(t.app).get(`/cms/v1/credentials/${credentialId}${TX}`),
      findCredentials: await request(t.app).post(`/cms/v1/credentials${TX}`).send([]),
      findPersons: await request(t.app).post(`/pr/v1/persons${TX}`).send([]),
    };
    for (const [what, res] of Object.entries(reads)) assert.equal(res.status, 200, `${what}: ${res.text.slice(0, 200)}`);
    assert.equal(reads.identities.body.length, 2);
    assert.equal(reads.enrolment.body.biographicData.lastName, 'Okafor');
    assert.equal(reads.credential.body.status, 'ACTIVE');
  });
});
