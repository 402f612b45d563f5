/**
 * Walks all 81 operations through the real app: a request that satisfies the spec reaches its handler (501 while
 * unimplemented, never 400 or another 5xx), and one that violates it is refused with 400 and the OSIA Error object.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { listOperations, loadDocuments } from '../../src/openapi/documents.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { invalidRequest, type SampleRequest, validRequest } from '../../src/check/sample-request.js';

const documents = await loadDocuments();

function send(app: TestApp['app'], sample: SampleRequest) {
  const call = request(app)[sample.method](sample.url).set(sample.headers);
  return sample.body === undefined ? call : call.send(sample.body as object);
}

function assertOsiaError(body: unknown, status: number) {
  assert.deepEqual(Object.keys(body as object).sort(), ['code', 'message']);
  const { code, message } = body as { code: unknown; message: unknown };
  assert.equal(code, status);
  assert.equal(typeof message, 'string');
}

/**
 * Generated samples name things that must exist beyond the path ids: a credential request names a profile of the
 * catalogue (the shipped one), and its sampled validity dates lie in the past.
 */
function withKnownIds(operationId: string, sample: SampleRequest): SampleRequest {
  if (operationId !== 'createCredentialRequest' && operationId !== 'updateCredentialRequest') return sample;
  const body = structuredClone(sample.body) as { requestData: Record<string, unknown> };
  const { validFromDate: _from, validToDate: _to, ...requestData } = body.requestData;
  return { ...sample, body: { ...body, requestData: { ...requestData, credentialProfileId: 'RESIDENCE_PERMIT' } } };
}

/**
 * Operations whose documented answer to a sample that names nothing is 400 (subscribe: unknown topic; confirm: bad
 * token; the ABIS: the sample's FACE image is the string "string", no image, and its status is no status).
 */
const SAMPLE_ID_ANSWERS_400 = new Set([
  'subscribe',
  'confirm',
  'createEncounterNoIds',
  'createEncounterNoId',
  'createEncounter',
  'updateEncounterStatus',
  'verifyFromBio',
]);

describe('every OSIA operation is routed and validated', () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await createTestApp();
  });
  after(() => testApp.close());

  it('serves 81 operations', () => {
    assert.equal(documents.flatMap(({ document }) => listOperations(document)).length, 81);
  });

  for (const { name, document } of documents) {
    for (const entry of listOperations(document)) {
      const valid = withKnownIds(entry.operationId, validRequest(entry, document, `/${name}`));
      it(`${name} ${entry.operationId}: a valid request passes validation and is answered`, async () => {
        const res = await send(testApp.app, valid);
        const what = `${valid.method} ${valid.url}: ${res.status} ${JSON.stringify(res.body)}`;
        if (SAMPLE_ID_ANSWERS_400.has(entry.operationId)) assert.doesNotMatch(String(res.body.message), /^\/(query|path|body)/, what);
        else assert.notEqual(res.status, 400, what);
        if (res.status === 501) assert.match(res.body.message, new RegExp(`^${entry.operationId} is not implemented`));
        // Sample ids name nothing stored, so implemented operations may answer 404; never a server failure.
        else assert.ok(res.status < 500, what);
        if (res.status >= 400) assertOsiaError(res.body, res.status);
      });
      const { request: invalid, how } = invalidRequest(entry, valid);
      it(`${name} ${entry.operationId}: a request ${how} answers 400`, async () => {
        const res = await send(testApp.app, invalid);
        assert.equal(res.status, 400, `${invalid.method} ${invalid.url}: ${JSON.stringify(res.body)}`);
        assertOsiaError(res.body, 400);
      });
    }
  }
});
