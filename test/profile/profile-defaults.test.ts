/**
 * Schema defaults of the profile reach the handler: the request validator (ajv `useDefaults`) fills them into the
 * body on create and full update, through the `$ref` from Identity to the profiled BiographicData and into nested
 * objects. PATCH bodies are merge patches, validated only as objects: they get no defaults.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import express, { type Express } from 'express';
import pino from 'pino';
import { requestLogging } from '../../src/http/request-logging.js';
import request from 'supertest';
import { errorMiddleware } from '../../src/http/error-middleware.js';
import { createInterfaceRouter, type RuntimeHandler } from '../../src/http/interface-router.js';
import { listOperations } from '../../src/openapi/documents.js';
import { loadServedDocuments } from '../../src/profile/served-documents.js';
import { EXAMPLE_PROFILE } from './profile-files.js';

const IDENTITY = '/pr/v1/persons/p1/identities/i1?transactionId=t';
const PERSON = { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10', gender: 'F' };
const identity = (biographicData: unknown) => ({ identityType: 'CIVIL', status: 'CLAIMED', galleries: ['civil'], biographicData });

describe('profile defaults', () => {
  const received = new Map<string, unknown>();
  let app: Express;
  before(async () => {
    const [pr] = await loadServedDocuments(['pr'], EXAMPLE_PROFILE);
    assert.ok(pr);
    // Every operation records the body it was handed and answers 204.
    const handlers: Record<string, RuntimeHandler> = {};
    for (const { operationId } of listOperations(pr.document)) {
      handlers[operationId] = async ({ body }) => {
        received.set(operationId, body);
        return { status: 204 };
      };
    }
    app = express();
    app.use(requestLogging(pino({ level: 'silent' })));
    app.use('/pr', createInterfaceRouter({ loaded: pr, handlers, basePath: '/pr', validateResponses: false, bodyLimit: '1mb', jsonLimits: { maxDepth: 32, maxMembers: 1000, maxValues: 10000 } }));
    app.use(errorMiddleware);
  });

  function biographicDataOf(operationId: string): Record<string, unknown> {
    return (received.get(operationId) as { biographicData: Record<string, unknown> }).biographicData;
  }

  it('fills a default the client omitted on create (createIdentityWithId)', async () => {
    const res = await request(app).post(IDENTITY).send(identity(PERSON));
    assert.equal(res.status, 204, JSON.stringify(res.body));
    assert.deepEqual(biographicDataOf('createIdentityWithId'), { ...PERSON, nationality: 'UTO' });
  });

  it('fills defaults inside nested objects the client sent', async () => {
    const res = await request(app).post(IDENTITY).send(identity({ ...PERSON, placeOfBirth: { city: 'London' } }));
    assert.equal(res.status, 204, JSON.stringify(res.body));
    assert.deepEqual(biographicDataOf('createIdentityWithId').placeOfBirth, { city: 'London', country: 'UTO' });
  });

  it('keeps a value the client gave', async () => {
    await request(app).post(IDENTITY).send(identity({ ...PERSON, nationality: 'FRA' })).expect(204);
    assert.equal(biographicDataOf('createIdentityWithId').nationality, 'FRA');
  });

  it('fills a default on full update (updateIdentity, PUT)', async () => {
    const res = await request(app).put(IDENTITY).send(identity(PERSON));
    assert.equal(res.status, 204, JSON.stringify(res.body));
    assert.deepEqual(biographicDataOf('updateIdentity'), { ...PERSON, nationality: 'UTO' });
  });

  it('adds nothing to a merge patch (partialUpdateIdentity, PATCH)', async () => {
    const patch = { biographicData: { lastName: 'King' } };
    await request(app).patch(IDENTITY).send(patch).expect(204);
    assert.deepEqual(received.get('partialUpdateIdentity'), patch);
  });
});
