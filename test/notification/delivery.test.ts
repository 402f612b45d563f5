/**
 * The delivery engine against real HTTP receivers on loopback: retries per policy (moved by a fake clock, never by
 * waiting), outage and recovery in publish order, a subscription failed by its policy, concurrent workers on one
 * store delivering each message once.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import request from 'supertest';
import { DeliveryWorker } from '../../src/notification/delivery-worker.js';
import { AddressCheck } from '../../src/shared/address-check.js';
import { HttpDelivery } from '../../src/shared/http-delivery.js';
import { openNotificationRecords } from '../../src/notification/notification-records.js';
import { Store } from '../../src/storage/store.js';
import { projectRoot } from '../../src/openapi/project-root.js';
import { createStorage } from '../../src/storage/create-storage.js';
import { testLogger } from '../support/test-app.js';
import { confirmedSubscription, notificationApp, notificationSuite, publishText } from './notification-fixtures.js';

const N = '/notification/v1';

describe('Notification delivery', () => {
  const s = notificationSuite();
  const api = () => request(s.n.t.app);

  const confirmed = (topic: string, policy?: string) => confirmedSubscription(s, topic, policy);
  const publish = (topic: string, text: string) => publishText(s.n, topic, text);

  it('retries per policy when the clock passes the countdown, with the same message-id, in publish order after an outage', async () => {
    const sub = await confirmed('outage', '60,5');
    s.receiver.status = 503;
    await publish('outage', 'first');
    await publish('outage', 'second');
    await s.n.engine.worker.runOnce();
    await s.n.engine.worker.runOnce();
    s.n.clock.advance(59);
    await s.n.engine.worker.runOnce();
    s.receiver.status = 200;
    await s.n.engine.worker.runOnce();
    assert.equal((await s.receiver.until(1, sub)).length, 1, 'nothing before the countdown is over');
    s.n.clock.advance(1);
    await s.n.engine.worker.runOnce();
    const got = (await s.receiver.until(3, sub)).slice(1);
    assert.deepEqual(got.map((r) => r.body.message), ['first', 'second']);
    const tries = s.receiver.attempts.filter((r) => r.headers['subscription-id'] === sub && r.body.message === 'first');
    assert.equal(tries.length, 2, `one failure and one success; tried ${tries.length} times`);
    assert.equal(new Set(tries.map((r) => r.headers['message-id'])).size, 1);
    const metrics = (await api().get('/metrics')).text;
    assert.match(metrics, /osia_notification_retries_total [1-9]/);
  });

  it('a subscription that exhausts its policy is marked failed, keeps its undelivered messages, and blocks nobody else', async () => {
    const failing = await confirmed('doomed', '10,2');
    const healthy = await confirmed('healthy');
    s.receiver.status = 500;
    await publish('doomed', 'lost?');
    for (let attempt = 0; attempt < 3; attempt++) {
      await s.n.engine.worker.runOnce();
      s.n.clock.advance(10);
    }
    s.receiver.status = 200;
    await publish('doomed', 'after failure');
    await publish('healthy', 'fine');
    await s.n.engine.worker.runOnce();
    assert.deepEqual((await s.receiver.until(2, healthy)).map((r) => r.body.message).slice(1), ['fine']);
    assert.equal((await s.receiver.until(1, failing)).length, 1, 'only the confirmation reached the failed subscriber');
    const listed = (await api().get(`${N}/subscriptions`)).body.find((s: { uuid: string }) => s.uuid === failing);
    assert.equal(listed.active, false);
    const metrics = (await api().get('/metrics')).text;
    assert.match(metrics, /osia_notification_failed_deliveries 1/);
    assert.match(metrics, /osia_notification_outbox_depth 1/);
    assert.match(metrics, /osia_notification_deliveries_total\{outcome="failed"\} 1/);

    // Subscribing again revives it: the failed message first, then the one published since.
    await api().post(`${N}/subscriptions`).query({ topic: 'doomed', address: `${s.receiver.url}/doomed`, policy: '10,2' }).expect(200);
    await s.n.engine.worker.runOnce();
    assert.deepEqual((await s.receiver.until(3, failing)).map((r) => r.body.message).slice(1), ['lost?', 'after failure']);
  });

  it('sends a backlog as runs that stop at the first failure, the rest released and sent after it in order', async () => {
    const sub = await confirmed('backlog', '60,5');
    const sent = Array.from({ length: 70 }, (_, i) => `m${i}`);
    for (const text of sent) await publish('backlog', text);
    let refused = false;
    s.receiver.answer = (message) => {
      if (message.body.message !== 'm55' || refused) return 200;
      refused = true;
      return 503;
    };
    await s.n.engine.worker.runOnce();
    assert.deepEqual((await s.receiver.until(56, sub)).slice(1).map((r) => r.body.message), sent.slice(0, 55));
    const store = await openNotificationRecords(new Store(s.n.t.storage));
    const waiting = await store.deliveries.find({ subscription: sub, state: 'pending' });
    assert.equal(waiting.length, 15);
    assert.ok(waiting.every((d) => d.leaseUntil === 0 && d.leaseOwner === undefined), 'the unsent rest of the run is released');
    s.n.clock.advance(60);
    await s.n.engine.worker.runOnce();
    s.receiver.answer = undefined;
    assert.deepEqual((await s.receiver.until(71, sub)).slice(1).map((r) => r.body.message), sent);
    const tries = s.receiver.attempts.filter((r) => r.headers['subscription-id'] === sub && r.body.type === 'Notification');
    assert.equal(tries.length, 71, 'each message sent once, the refused one twice');
  });

  it('two workers on one store (as two processes would be) deliver each message once', async () => {
    const sub = await confirmed('contended');
    for (let i = 0; i < 20; i++) await publish('contended', `m${i}`);
    const store = await openNotificationRecords(new Store(s.n.t.storage));
    const check = new AddressCheck(['127.0.0.0/8'], 'notifications');
    const options = {
      store,
      senders: { http: new HttpDelivery({ check, timeoutMs: 5000 }) },
      metrics: { published: { inc() {} }, deliveries: { inc() {} }, retries: { inc() {} } } as never,
      logger: testLogger(),
      now: () => s.n.clock().getTime(),
      concurrency: 4,
      leaseMs: 60_000,
      sendTimeoutMs: 5000,
      pollIntervalMs: 1000,
      publicUrl: 'http://localhost',
      confirmUrlMember: false,
    };
    const [a, b] = [new DeliveryWorker(options), new DeliveryWorker(options)];
    while ((await store.deliveries.count({ subscription: sub, state: 'pending' })) > 0) {
      await Promise.all([a.runOnce(), b.runOnce(), s.n.engine.worker.runOnce()]);
      s.n.clock.advance(61);
    }
    const got = (await s.receiver.until(21, sub)).slice(1);
    assert.deepEqual(got.map((r) => r.body.message), Array.from({ length: 20 }, (_, i) => `m${i}`));
    const sent = s.receiver.attempts.filter((r) => r.headers['subscription-id'] === sub && r.body.type === 'Notification');
    assert.equal(sent.length, 20, 'no message was sent twice');
    assert.equal(new Set(sent.map((r) => r.headers['message-id'])).size, 20);
  });

  it('a data directory still holding the former notification-versions collection starts and delivers', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-notif-versions-'));
    const before = await createStorage({ dataDir, mongodbUri: process.env.MONGODB_URI, mongodbDatabase: path.basename(dataDir), clock: s.n.clock });
    const versions = await before.documents.collection('notification-versions', [{ fields: ['key'], unique: true }, { fields: ['record'] }]);
    await versions.insert({ _id: 'v1', key: 'notification-subscriptions:x:1', record: 'notification-subscriptions:x' });
    await before.documents.close();
    const reopened = await notificationApp({}, dataDir);
    try {
      await request(reopened.t.app).post(`${N}/topics?name=upgraded`).expect(200);
      const sub = (await request(reopened.t.app).post(`${N}/subscriptions`).query({ topic: 'upgraded', address: `${s.receiver.url}/up` })).body.uuid;
      await reopened.engine.worker.runOnce();
      assert.equal((await s.receiver.until(1, sub)).length, 1);
    } finally {
      await reopened.t.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('confirmURL is offered when reference compatibility asks for it, without the token its clients add themselves', async () => {
    const compat = await notificationApp({ OSIA_PROFILE: path.join(projectRoot(), 'profiles', 'reference-compatible.yaml') });
    try {
      await request(compat.t.app).post(`${N}/topics?name=ref`).expect(200);
      const sub = (await request(compat.t.app).post(`${N}/subscriptions`).query({ topic: 'ref', address: `${s.receiver.url}/ref` })).body.uuid;
      await compat.engine.worker.runOnce();
      const [confirmation] = await s.receiver.until(1, sub);
      const { confirmURL, subscribeURL, token } = confirmation?.body ?? {};
      assert.equal(`${confirmURL}?token=${token}`, subscribeURL);
      // What a client of the reference implementation does with it: add the token as a query parameter.
      const confirmed = await request(compat.t.app).get(new URL(String(confirmURL)).pathname).query({ token });
      assert.equal(confirmed.status < 300, true, `${confirmed.status} ${confirmed.text}`);
      const listed = await request(compat.t.app).get(`${N}/subscriptions`);
      assert.equal(listed.body.find((subscription: { uuid: string }) => subscription.uuid === sub)?.active, true);
    } finally {
      await compat.t.close();
    }
  });
});
