/**
 * The retention sweep on the fake clock: delivered deliveries and the messages nobody needs go once older than the
 * retention age; pending and failed deliveries and their messages stay (a revived subscription still gets its
 * failed message). Two sweeps at once (as two processes would run them) delete each record once, without error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { RetentionSweep } from '../../src/notification/retention-sweep.js';
import { openNotificationRecords } from '../../src/notification/notification-records.js';
import { Store } from '../../src/storage/store.js';
import { confirmedSubscription, notificationSuite, publishText } from './notification-fixtures.js';

const N = '/notification/v1';
const WEEK = 7 * 86_400;

describe('Notification retention', () => {
  const s = notificationSuite();
  const api = () => request(s.n.t.app);

  it('deletes what was delivered and what nobody needs once older than the retention age, and keeps the rest', async () => {
    const store = await openNotificationRecords(new Store(s.n.t.storage));
    const healthy = await confirmedSubscription(s, 'healthy', '60,-1');
    const doomed = await confirmedSubscription(s, 'doomed', '60,0');
    const down = await confirmedSubscription(s, 'down', '60,-1');
    await api().post(`${N}/topics?name=unheard`).expect(200);
    s.receiver.answer = (message) => (message.headers['subscription-id'] === healthy ? 200 : 503);
    await publishText(s.n, 'healthy', 'delivered');
    await publishText(s.n, 'doomed', 'failed');
    await publishText(s.n, 'down', 'pending');
    await publishText(s.n, 'unheard', 'nobody listens');
    await s.n.engine.worker.runOnce();
    assert.deepEqual((await s.receiver.until(2, healthy)).map((r) => r.body.message).slice(1), ['delivered']);

    const sweep = new RetentionSweep({ store, now: () => s.n.clock().getTime(), retentionMs: WEEK * 1000 });
    const counts = async () => [await store.deliveries.count(), await store.messages.count()];
    s.n.clock.advance(WEEK - 1);
    await sweep.sweep();
    // 3 confirmations delivered, 3 notifications owed; 7 messages, one of them owed to nobody.
    assert.deepEqual(await counts(), [6, 7], 'nothing is old enough yet');

    s.n.clock.advance(2);
    await Promise.all([sweep.sweep(), sweep.sweep()]);
    assert.deepEqual((await store.deliveries.find({})).map((d) => d.state).sort(), ['failed', 'pending']);
    assert.deepEqual((await store.messages.find({})).map((m) => m.message).sort(), ['failed', 'pending']);

    // The failed message is still there for the subscription revived by subscribing again.
    s.receiver.answer = undefined;
    await api().post(`${N}/subscriptions`).query({ topic: 'doomed', address: `${s.receiver.url}/doomed`, policy: '60,0' }).expect(200);
    s.n.clock.advance(60);
    await s.n.engine.worker.runOnce();
    assert.deepEqual((await s.receiver.until(2, doomed)).map((r) => r.body.message).slice(1), ['failed']);
    assert.deepEqual((await s.receiver.until(2, down)).map((r) => r.body.message).slice(1), ['pending']);
  });
});
