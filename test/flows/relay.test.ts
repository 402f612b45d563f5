/**
 * The PR's own events: written in the batch of the change (nothing for a change refused), published by the relay
 * after commit, once; an event not yet relayed survives a restart; several relays on one store publish it once.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import request from 'supertest';
import { claim, createIdentity, createPerson, TX } from '../support/registry-fixtures.js';
import { fakeClock } from '../support/fake-clock.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { eventsFile } from './flow-fixtures.js';

const WIRING = `
source: pr.test
components:
  pr:
    engine: local
    publishes: [newPerson, updatePerson, duplicatePerson]
topics:
  newPerson: pr-newPerson
`;

const open = async (dataDir?: string) =>
  createTestApp({ interfaces: ['pr', 'notification'], env: { OSIA_EVENTS: await eventsFile(WIRING) }, ...(dataDir ? { dataDir } : {}) });

/** What the local engine has stored as published: topic name → event JSON texts. */
async function published(t: TestApp): Promise<Record<string, unknown[]>> {
  const topics = (await t.services.notification?.service.listTopics()) ?? [];
  const messages = await (await t.storage.documents.collection('notification-messages')).find({ type: 'Notification' });
  return Object.fromEntries(
    topics.map(({ uuid, name }) => [name, messages.filter((m) => m.topic === uuid).map((m) => JSON.parse(String(m.message)))]),
  );
}

const relay = (t: TestApp) => {
  const job = t.services.flows?.relay;
  assert.ok(job, 'the PR publishes events');
  return job.runOnce();
};

describe('PR event relay', () => {
  it('publishes newPerson, updatePerson and duplicatePerson after the changes commit, each once', async () => {
    const t = await open();
    try {
      await createPerson(t, 'R-1');
      assert.deepEqual(await published(t), {}, 'nothing is published by the request itself, not even a topic');
      await createPerson(t, 'R-2');
      await createIdentity(t, 'R-2', 'I-2', claim({ lastName: 'Okafor' }));
      const duplicate = await request(t.app).post(`/pr/v1/persons/R-1${TX}`).send({ status: 'ACTIVE', physicalStatus: 'ALIVE' });
      assert.equal(duplicate.status, 409);
      assert.equal((await request(t.app).post(`/pr/v1/persons/R-1/merge/R-2${TX}`)).status, 204);
      assert.equal((await request(t.app).delete(`/pr/v1/persons/R-1${TX}`)).status, 204);

      assert.equal(await relay(t), 4, 'deletePerson announces nothing');
      assert.equal(await relay(t), 0, 'a published event is not published again');
      assert.deepEqual(await published(t), {
        'pr-newPerson': [
          { source: 'pr.test', uin: 'R-1' },
          { source: 'pr.test', uin: 'R-2' },
        ],
        updatePerson: [{ source: 'pr.test', uin: 'R-2' }],
        duplicatePerson: [{ source: 'pr.test', uin: 'R-1', duplicates: ['R-2'] }],
      });
    } finally {
      await t.close();
    }
  });

  it('keeps an event written but not relayed across a restart, and publishes it once however many relays run', async () => {
    const first = await open();
    await createPerson(first, 'S-1');
    await first.storage.documents.close();

    const second = await open(first.dataDir);
    const third = await open(first.dataDir);
    try {
      const counts = await Promise.all([relay(second), relay(third), relay(second)]);
      assert.equal(counts.reduce((a, b) => a + b, 0), 1);
      assert.deepEqual(await published(second), { 'pr-newPerson': [{ source: 'pr.test', uin: 'S-1' }] });
      assert.equal(await relay(third), 0);
    } finally {
      await third.storage.documents.close();
      await second.close();
    }
  });

  it('leaves the event in the outbox while the external engine fails, and asks again only once its lease ran out', async () => {
    const calls: string[] = [];
    const engine = http.createServer((req, res) => {
      calls.push(`${req.method} ${req.url}`);
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":503,"message":"down"}');
    });
    engine.listen(0, '127.0.0.1');
    await once(engine, 'listening');
    const url = `http://127.0.0.1:${(engine.address() as AddressInfo).port}/notification`;
    const wiring = `source: pr.test\nrelay: { leaseSeconds: 60 }\ncomponents:\n  pr:\n    engine: { url: "${url}", token: t0k3n }\n    publishes: [newPerson]\n`;
    const clock = fakeClock();
    const t = await createTestApp({ interfaces: ['pr'], env: { OSIA_EVENTS: await eventsFile(wiring) }, clock });
    try {
      await createPerson(t, 'F-1');
      assert.equal(await relay(t), 0);
      assert.deepEqual(calls, ['POST /notification/v1/topics?name=newPerson']);
      assert.equal(await relay(t), 0);
      assert.equal(calls.length, 1, 'a leased event is not tried again at once');
      clock.advance(61);
      assert.equal(await relay(t), 0);
      assert.equal(calls.length, 2);
      assert.equal(await (await t.storage.documents.collection('pr_event_outbox')).count(), 1);
    } finally {
      await t.close();
      engine.close();
    }
  });

  it('without OSIA_EVENTS: no outbox, no relay, no topics', async () => {
    const t = await createTestApp({ interfaces: ['pr', 'notification'] });
    try {
      await createPerson(t, 'N-1');
      assert.equal(t.services.flows, undefined);
      assert.deepEqual(t.jobs.names().filter((name) => name.startsWith('event')), []);
      assert.deepEqual(await t.services.notification?.service.listTopics(), []);
      assert.equal(await (await t.storage.documents.collection('pr_event_outbox')).count(), 0);
    } finally {
      await t.close();
    }
  });
});
