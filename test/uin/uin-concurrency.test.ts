/** Uniqueness comes from the store's key, so it holds for requests in flight at the same time. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ISSUED_UINS } from '../../src/uin/uin-registry.js';
import * as verhoeff from '../../src/uin/verhoeff.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const REQUESTS = 500;

describe('generateUIN under concurrent requests', () => {
  let t: TestApp;
  let server: Server;
  before(async () => {
    t = await createTestApp({ interfaces: ['uin'] });
    server = createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it(`issues ${REQUESTS} distinct UINs to ${REQUESTS} simultaneous requests and records each once`, async () => {
    const responses = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) =>
        request(server).post('/uin/v1/uin').query({ transactionId: `tx-${i}` }).send({ firstName: 'Ada' }),
      ),
    );
    assert.deepEqual(
      responses.filter((res) => res.status !== 200).map((res) => res.status),
      [],
    );
    const uins = responses.map((res) => res.body as string);
    assert.equal(new Set(uins).size, REQUESTS);
    assert.ok(uins.every((uin) => verhoeff.validate(uin)));

    const issued = await t.storage.documents.collection(ISSUED_UINS);
    assert.equal(await issued.count(), REQUESTS);
    const records = await issued.find({});
    assert.deepEqual(new Set(records.map((record) => record._id)), new Set(uins));
    const byUin = new Map(records.map((record) => [record._id, record.transactionId]));
    assert.deepEqual(
      responses.map((res) => byUin.get(res.body)),
      responses.map((_, i) => `tx-${i}`),
      'each UIN recorded with the transaction that asked for it',
    );
  });
});
