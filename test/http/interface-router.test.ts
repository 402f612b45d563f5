/** The router's own guarantees: responses are checked against the document, errors keep the OSIA Error object. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import express from 'express';
import pino from 'pino';
import { requestLogging } from '../../src/http/request-logging.js';
import request from 'supertest';
import { errorMiddleware } from '../../src/http/error-middleware.js';
import { NotFoundError } from '../../src/shared/domain-errors.js';
import { createInterfaceRouter, type RuntimeHandler } from '../../src/http/interface-router.js';
import { loadDocument } from '../../src/openapi/documents.js';

async function uinApp(generateUIN: RuntimeHandler) {
  const loaded = await loadDocument('uin');
  const app = express();
  app.use(requestLogging(pino({ level: 'silent' })));
  app.use('/uin', createInterfaceRouter({ loaded, handlers: { generateUIN }, basePath: '/uin', validateResponses: true, bodyLimit: '1mb', jsonLimits: { maxDepth: 32, maxMembers: 1000, maxValues: 10000 } }));
  app.use(errorMiddleware);
  return app;
}

describe('interface router', () => {
  it('refuses to send a success response that violates the document (when validating responses)', async () => {
    const app = await uinApp(async () => ({ status: 200, body: 42 }));
    const res = await request(app).post('/uin/v1/uin?transactionId=t').send({});
    assert.equal(res.status, 500);
    assert.match(res.body.message, /response/);
  });

  it('sends a conforming success response as is', async () => {
    const app = await uinApp(async () => ({ status: 200, body: '1234567890' }));
    const res = await request(app).post('/uin/v1/uin?transactionId=t').send({});
    assert.deepEqual([res.status, res.body], [200, '1234567890']);
  });

  it('keeps the OSIA Error object on error statuses the document declares without a body', async () => {
    const app = await uinApp(async () => {
      throw new NotFoundError('nothing here');
    });
    const res = await request(app).post('/uin/v1/uin?transactionId=t').send({});
    assert.deepEqual([res.status, res.body], [404, { code: 404, message: 'nothing here' }]);
  });
});
