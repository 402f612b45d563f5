/**
 * Every write operation of the PR commits exactly one change-log entry and, in the same commit, the outbox record of
 * each event it announces. The table must name every write operation of pr.yaml: a new one without a row fails.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { PR_OUTBOX } from '../../src/flows/pr-outbox.js';
import { listOperations, loadDocument } from '../../src/openapi/documents.js';
import { eventsFile } from '../flows/flow-fixtures.js';
import { ALIVE, claim, TX } from '../support/registry-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const WIRING = `
source: pr.test
components:
  pr:
    engine: local
    publishes: [newPerson, updatePerson, duplicatePerson]
`;

type Event = [type: string, body: Record<string, unknown>];
interface Row {
  call: (t: TestApp) => request.Test;
  events: Event[];
}

const update = (uin: string): Event => ['updatePerson', { source: 'pr.test', uin }];

/** In order: each row runs on what the rows before it made. */
const WRITES: Record<string, Row> = {
  createPerson: { call: (t) => request(t.app).post(`/pr/v1/persons/W1${TX}`).send(ALIVE), events: [['newPerson', { source: 'pr.test', uin: 'W1' }]] },
  updatePerson: { call: (t) => request(t.app).put(`/pr/v1/persons/W1${TX}`).send(ALIVE), events: [update('W1')] },
  createIdentityWithId: { call: (t) => request(t.app).post(`/pr/v1/persons/W1/identities/A${TX}`).send(claim()), events: [update('W1')] },
  createIdentity: { call: (t) => request(t.app).post(`/pr/v1/persons/W1/identities${TX}`).send(claim()), events: [update('W1')] },
  updateIdentity: { call: (t) => request(t.app).put(`/pr/v1/persons/W1/identities/A${TX}`).send(claim({ lastName: 'X' })), events: [update('W1')] },
  partialUpdateIdentity: { call: (t) => request(t.app).patch(`/pr/v1/persons/W1/identities/A${TX}`).send({ identityType: 'Y' }), events: [update('W1')] },
  setIdentityStatus: { call: (t) => request(t.app).put(`/pr/v1/persons/W1/identities/A/status${TX}&status=VALID`), events: [update('W1')] },
  defineReference: { call: (t) => request(t.app).put(`/pr/v1/persons/W1/identities/A/reference${TX}`), events: [update('W1')] },
  moveIdentity: {
    call: (t) => request(t.app).post(`/pr/v1/persons/W2/move/W1/identities/A${TX}`),
    events: [update('W2'), update('W1')],
  },
  mergePerson: {
    call: (t) => request(t.app).post(`/pr/v1/persons/W2/merge/W1${TX}`),
    events: [['duplicatePerson', { source: 'pr.test', uin: 'W2', duplicates: ['W1'] }]],
  },
  deleteIdentity: { call: (t) => request(t.app).delete(`/pr/v1/persons/W2/identities/A${TX}`), events: [update('W2')] },
  deletePerson: { call: (t) => request(t.app).delete(`/pr/v1/persons/W2${TX}`), events: [] },
};

describe('every PR write path records its change and its events', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ interfaces: ['pr', 'notification'], env: { OSIA_EVENTS: await eventsFile(WIRING) } });
    await request(t.app).post(`/pr/v1/persons/W2${TX}`).send(ALIVE).expect(201);
  });
  after(() => t.close());

  const records = async (collection: string) => (await t.storage.documents.collection(collection)).find({});

  it('the table names every write operation of the PR document', async () => {
    const { document } = await loadDocument('pr');
    const writes = listOperations(document).filter((entry) => entry.method !== 'get' && entry.operationId !== 'findPersons');
    assert.deepEqual(writes.map((entry) => entry.operationId).sort(), Object.keys(WRITES).sort());
  });

  for (const [operationId, { call, events }] of Object.entries(WRITES)) {
    it(`${operationId}: one change-log entry and ${events.length} outbox record(s), in one commit`, async () => {
      const [changesBefore, outboxBefore] = [await records('pr_changes'), await records(PR_OUTBOX.name)];
      const res = await call(t);
      assert.ok(res.status < 300, `${operationId}: ${res.status} ${res.text}`);
      const changes = (await records('pr_changes')).slice(changesBefore.length);
      assert.deepEqual(changes.map((entry) => [entry.operationId, entry.transactionId]), [[operationId, 'tx-test']]);
      const outbox = (await records(PR_OUTBOX.name)).slice(outboxBefore.length);
      assert.deepEqual(outbox.map((record) => [record.type, JSON.parse(String(record.message))]), events);
    });
  }
});
