import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import express from 'express';
import pino from 'pino';
import { requestLogging } from '../../src/http/request-logging.js';
import request from 'supertest';
import { errorMiddleware, notFoundMiddleware } from '../../src/http/error-middleware.js';
import { ConflictError, NotFoundError } from '../../src/shared/domain-errors.js';

function appThrowing(err: unknown) {
  const app = express();
  app.use(requestLogging(pino({ level: 'silent' })));
  app.get('/boom', () => {
    throw err;
  });
  app.use(notFoundMiddleware);
  app.use(errorMiddleware);
  return app;
}

describe('error middleware', () => {
  it('renders domain errors as the OSIA Error object with their status', async () => {
    const res = await request(appThrowing(new ConflictError('person p1 already exists'))).get('/boom');
    assert.equal(res.status, 409);
    assert.deepEqual(res.body, { code: 409, message: 'person p1 already exists' });
    const notFound = await request(appThrowing(new NotFoundError('no person p2'))).get('/boom');
    assert.deepEqual([notFound.status, notFound.body], [404, { code: 404, message: 'no person p2' }]);
  });

  it('hides the details of unexpected errors', async () => {
    const res = await request(appThrowing(new Error('connection to db-7 refused at pool.ts:42'))).get('/boom');
    assert.equal(res.status, 500);
    assert.deepEqual(res.body, { code: 500, message: 'Internal server error' });
  });

  it('treats non-Error throws as internal errors', async () => {
    const res = await request(appThrowing('a string')).get('/boom');
    assert.deepEqual([res.status, res.body], [500, { code: 500, message: 'Internal server error' }]);
  });

  it('answers unmatched routes with 404', async () => {
    const res = await request(appThrowing(null)).get('/elsewhere');
    assert.deepEqual([res.status, res.body], [404, { code: 404, message: 'No route for GET /elsewhere' }]);
  });
});
