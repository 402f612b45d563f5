/**
 * The patched express-openapi-validator (patches/, applied by `npm ci` through patch-package; ADR 0130) is the one
 * loaded: the request validators of every operation are compiled before the first request needs them, and once the
 * document is loaded a request goes through the validator's middlewares without a promise hop between them; a route
 * the app matched already (ADR 0131) is taken as is, not looked up again.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, describe, it } from 'node:test';
import express from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import request from 'supertest';

const require = createRequire(import.meta.url);
const { RequestValidator } = require('express-openapi-validator/dist/middlewares/openapi.request.validator.js') as {
  RequestValidator: { prototype: { buildMiddleware: (...args: unknown[]) => unknown } };
};

const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const apiSpec = {
  openapi: '3.0.3',
  info: { title: 'things', version: '1' },
  paths: {
    '/v1/things/{id}': {
      get: { operationId: 'readThing', parameters: [id], responses: { 200: { description: 'the thing' } } },
      put: {
        operationId: 'updateThing',
        parameters: [id],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
        responses: { 204: { description: 'updated' } },
      },
    },
  },
};

describe('the patched validator', () => {
  const original = RequestValidator.prototype.buildMiddleware;
  const compiled: string[] = [];
  RequestValidator.prototype.buildMiddleware = function (this: unknown, ...args: unknown[]) {
    compiled.push(String(args[3]));
    return original.apply(this, args);
  };
  after(() => {
    RequestValidator.prototype.buildMiddleware = original;
  });

  it('has compiled the validators of operations never called yet, for each declared media type', async () => {
    const app = express();
    app.use(express.json());
    app.use(OpenApiValidator.middleware({ apiSpec: apiSpec as never, validateRequests: true, validateResponses: false }));
    app.get('/v1/things/:id', (_req, res) => {
      res.json({});
    });
    assert.equal((await request(app).get('/v1/things/t1')).status, 200);
    assert.ok(compiled.includes('PUT-/v1/things/:id-application/json'), `compiled: ${compiled.join(', ')}`);
    assert.ok(compiled.includes('GET-/v1/things/:id-not_provided'));
    const before = compiled.length;
    assert.equal((await request(app).put('/v1/things/t1').send({})).status, 404, 'no handler: the validator let it through');
    assert.equal(compiled.length, before, 'nothing compiled on the first PUT');
  });

  it('runs its middlewares in the request’s own turn once the document is loaded', async () => {
    const app = express();
    let inCallerTurn = false;
    app.use((_req, _res, next) => {
      inCallerTurn = true;
      next();
      inCallerTurn = false;
    });
    app.use(OpenApiValidator.middleware({ apiSpec: apiSpec as never, validateRequests: true, validateResponses: false }));
    app.get('/v1/things/:id', (_req, res) => {
      res.json({ sameTurn: inCallerTurn });
    });
    await request(app).get('/v1/things/first');
    const res = await request(app).get('/v1/things/t1');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { sameTurn: true });
  });

  it('takes the route the app matched instead of looking it up again, and still refuses an undecodable value', async () => {
    const app = express();
    let values = ['matched%20here'];
    app.use((req, _res, next) => {
      Object.assign(req, { [Symbol.for('express-openapi-validator.route')]: { path: '/v1/things/{id}', values } });
      next();
    });
    app.use(OpenApiValidator.middleware({ apiSpec: apiSpec as never, validateRequests: true, validateResponses: false }));
    app.use((req, res) => {
      const { pathParams, openApiRoute } = (req as express.Request & { openapi: { pathParams: object; openApiRoute: string } }).openapi;
      res.json({ params: pathParams, route: openApiRoute });
    });
    const res = await request(app).get('/v1/things/t1');
    assert.deepEqual(res.body, { params: { id: 'matched here' }, route: '/v1/things/{id}' });
    values = ['%E0%A4%A'];
    assert.equal((await request(app).get('/v1/things/t1')).status, 400);
  });
});
