/** Every PR change leaves one change-log entry with its transactionId; concurrent creates of one id: one wins. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { ALIVE, claim } from '../support/registry-fixtures.js';
import { SENTINEL_NAMES } from '../support/sentinels.js';
import { useTestApp } from '../support/use-test-app.js';

describe('PR change log', () => {
  const t = useTestApp({ interfaces: ['pr'] });

  const changes = async () => (await t.storage.documents.collection('pr_changes')).find({});

  it('records each change once, with its transactionId, operation and ids, and no personal data', async () => {
    const calls: [string, () => request.Test][] = [
      ['createPerson', () => request(t.app).post('/pr/v1/persons/P1?transactionId=t-1').send(ALIVE)],
      ['createPerson', () => request(t.app).post('/pr/v1/persons/P2?transactionId=t-2').send(ALIVE)],
      ['updatePerson', () => request(t.app).put('/pr/v1/persons/P1?transactionId=t-3').send(ALIVE)],
      ['createIdentityWithId', () => request(t.app).post('/pr/v1/persons/P1/identities/I1?transactionId=t-4').send(claim(SENTINEL_NAMES))],
      ['createIdentity', () => request(t.app).post('/pr/v1/persons/P2/identities?transactionId=t-5').send(claim())],
      ['updateIdentity', () => request(t.app).put('/pr/v1/persons/P1/identities/I1?transactionId=t-6').send(claim(SENTINEL_NAMES))],
      ['partialUpdateIdentity', () => request(t.app).patch('/pr/v1/persons/P1/identities/I1?transactionId=t-7').send({ identityType: 'X' })],
      ['setIdentityStatus', () => request(t.app).put('/pr/v1/persons/P1/identities/I1/status?transactionId=t-8&status=VALID')],
      ['defineReference', () => request(t.app).put('/pr/v1/persons/P1/identities/I1/reference?transactionId=t-9')],
      ['moveIdentity', () => request(t.app).post('/pr/v1/persons/P2/move/P1/identities/I1?transactionId=t-10')],
      ['mergePerson', () => request(t.app).post('/pr/v1/persons/P1/merge/P2?transactionId=t-11')],
      ['deleteIdentity', () => request(t.app).delete('/pr/v1/persons/P1/identities/I1?transactionId=t-12')],
      ['deletePerson', () => request(t.app).delete('/pr/v1/persons/P1?transactionId=t-13')],
    ];
    for (const [operationId, call] of calls) {
      const res = await call();
      assert.ok(res.status < 300, `${operationId}: ${res.status} ${res.text}`);
    }
    const log = await changes();
    assert.deepEqual(
      log.map((entry) => [entry.operationId, entry.transactionId]),
      calls.map(([operationId], i) => [operationId, `t-${i + 1}`]),
    );
    const byTx = new Map(log.map((entry) => [entry.transactionId, entry]));
    assert.deepEqual(
      { ...byTx.get('t-10'), _id: undefined, time: undefined },
      { _id: undefined, time: undefined, transactionId: 't-10', operationId: 'moveIdentity', personId: 'P2', sourcePersonId: 'P1', identityId: 'I1' },
    );
    const merged = byTx.get('t-11')?.identityIds;
    assert.ok(Array.isArray(merged) && merged.length === 2 && merged[1] === 'I1', `the merge names the identities it moved: ${merged}`);
    assert.match(String(byTx.get('t-1')?.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const text = JSON.stringify(log);
    for (const value of Object.values(SENTINEL_NAMES)) assert.ok(!text.includes(value), `${value} is not in the log`);
  });

  it('refused and no-op calls leave no entry', async () => {
    const before = (await changes()).length;
    await request(t.app).post('/pr/v1/persons/R?transactionId=t-r').send(ALIVE);
    await request(t.app).post('/pr/v1/persons/R/identities/I?transactionId=t-r').send(claim());
    assert.equal((await request(t.app).post('/pr/v1/persons/R?transactionId=t-dup').send(ALIVE)).status, 409);
    assert.equal((await request(t.app).put('/pr/v1/persons/R/identities/I/status?transactionId=t-same&status=CLAIMED')).status, 204);
    assert.equal((await request(t.app).put('/pr/v1/persons/R/identities/I/status?transactionId=t-bad&status=RETIRED')).status, 400);
    const log = await changes();
    assert.equal(log.length, before + 2);
    assert.ok(!log.some((entry) => ['t-dup', 't-same', 't-bad'].includes(String(entry.transactionId))));
  });

  it('of two concurrent creates of the same id, one answers 201 and the other 409', async () => {
    const person = await Promise.all([1, 2].map(() => request(t.app).post('/pr/v1/persons/RACE?transactionId=t-race').send(ALIVE)));
    assert.deepEqual(person.map((res) => res.status).sort(), [201, 409]);
    const identity = await Promise.all(
      [1, 2].map(() => request(t.app).post('/pr/v1/persons/RACE/identities/SAME?transactionId=t-race').send(claim())),
    );
    assert.deepEqual(identity.map((res) => res.status).sort(), [201, 409]);
    assert.equal((await request(t.app).get('/pr/v1/persons/RACE/identities?transactionId=t')).body.length, 1);
  });

  it('an identity created while its person is being deleted is refused, never left behind', async () => {
    await request(t.app).post('/pr/v1/persons/GONE?transactionId=t').send(ALIVE);
    const [deleted, created] = await Promise.all([
      request(t.app).delete('/pr/v1/persons/GONE?transactionId=t'),
      request(t.app).post('/pr/v1/persons/GONE/identities/LATE?transactionId=t').send(claim()),
    ]);
    assert.equal(deleted.status, 204);
    // Whichever came first, the identity did not outlive its person.
    assert.ok([201, 404].includes(created.status), created.text);
    const identities = await (await t.storage.documents.collection('pr_identities')).find({ personId: 'GONE' });
    assert.deepEqual(identities, []);
  });
});
