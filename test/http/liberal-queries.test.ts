/**
 * Query strings as deployed OSIA clients send them: reserved characters unescaped, `transactionId` everywhere; and
 * numbers that only look like integers to `Number()` refused.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { ALIVE, claim, createIdentity, createPerson, defineReference } from '../support/registry-fixtures.js';
import { useTestApp } from '../support/use-test-app.js';

describe('query strings of real clients', () => {
  const t = useTestApp();
  before(async () => {
    await createPerson(t, 'Q1', ALIVE);
    await createIdentity(t, 'Q1', 'I1', claim({ firstName: 'Ada', lastName: 'Lovelace' }));
    await defineReference(t, 'Q1', 'I1');
  });

  it('accepts transactionId on Data Access, under /dataaccess and /pr, and records it in the audit trail', async () => {
    for (const prefix of ['/dataaccess', '/pr']) {
      const transactionId = `tx-da${prefix.replace('/', '-')}`;
      const res = await request(t.app).get(`${prefix}/v1/persons/Q1?transactionId=${transactionId}&attributeNames=firstName`);
      assert.deepEqual([res.status, res.body], [200, { firstName: 'Ada' }], res.text);
      const events = await (await t.storage.documents.collection('audit_events')).find({ transactionId });
      assert.equal(events.length, 1, `audit record with ${transactionId}`);
      assert.equal(events[0]?.operationId, 'readPersonAttributes');
    }
    const list = await request(t.app).get('/dataaccess/v1/persons?transactionId=tx-q&lastName=Lovelace');
    assert.deepEqual([list.status, list.body], [200, ['Q1']], 'transactionId is not taken for a search attribute');
    const verify = await request(t.app)
      .post('/dataaccess/v1/persons/Q1/verify?transactionId=tx-v')
      .send([{ attributeName: 'firstName', operator: '=', value: 'Ada' }]);
    assert.deepEqual([verify.status, verify.body], [200, true]);
  });

  it('accepts RFC 3986 reserved characters left unescaped in query values, and reads them as the escaped form', async () => {
    const raw = await request(t.app).get('/pr/v1/persons/Q1?transactionId=http://host:8080/cb,3,10');
    assert.equal(raw.status, 200, raw.text);
    const events = await (await t.storage.documents.collection('audit_events')).find({ transactionId: 'http://host:8080/cb,3,10' });
    assert.equal(events.length, 1, 'the same value as escaped');
    const attributes = await request(t.app).get('/dataaccess/v1/persons/Q1?attributeNames=firstName&attributeNames=lastName&transactionId=a:b/c');
    assert.deepEqual([attributes.status, attributes.body], [200, { firstName: 'Ada', lastName: 'Lovelace' }], attributes.text);
  });

  it('refuses numbers that Number() would read: exponents, Infinity, hexadecimal, blanks', async () => {
    for (const value of ['1e400', 'Infinity', '0x10', '%20', '1.5', '-', '99999999999999999999']) {
      const res = await request(t.app).post(`/pr/v1/persons?transactionId=t&limit=${value}`).send([]);
      assert.equal(res.status, 400, `limit=${value}: ${res.text}`);
      assert.deepEqual(Object.keys(res.body).sort(), ['code', 'message']);
      const offset = await request(t.app).get(`/dataaccess/v1/persons?lastName=Lovelace&offset=${value}`);
      assert.equal(offset.status, 400, `offset=${value}: ${offset.text}`);
    }
    const fine = await request(t.app).post('/pr/v1/persons?transactionId=t&limit=10&offset=0').send([]);
    assert.equal(fine.status, 200);
  });
});
