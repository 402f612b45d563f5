/**
 * The callback's transport against real receivers on loopback: mutual TLS towards an HTTPS subscriber that demands a
 * client certificate, and a subscriber that never answers (OSIA_NOTIFICATION_TIMEOUT), retried per its policy on the
 * fake clock.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { openNotificationRecords } from '../../src/notification/notification-records.js';
import { Store } from '../../src/storage/store.js';
import { createTestPki, type TestPki } from '../support/test-pki.js';
import { type NotificationApp, notificationApp } from './notification-fixtures.js';
import { type Receiver, startReceiver } from '../support/receiver.js';

const N = '/notification/v1';

/** Subscribes `address` to a fresh topic; resolves the subscription's uuid (its confirmation is then due). */
async function subscribe(n: NotificationApp, topic: string, address: string, policy: string): Promise<string> {
  await request(n.t.app).post(`${N}/topics?name=${topic}`).expect(200);
  return (await request(n.t.app).post(`${N}/subscriptions`).query({ topic, address, policy }).expect(200)).body.uuid;
}

/** The attempts made so far of each pending delivery of the subscription. */
const pendingAttempts = async (n: NotificationApp, subscription: string) =>
  (await (await openNotificationRecords(new Store(n.t.storage))).deliveries.find({ subscription, state: 'pending' })).map((delivery) => delivery.attempts);

describe('Notification over mutual TLS', () => {
  let dir: string;
  let pki: TestPki;
  let receiver: Receiver;
  let files: { cert: string; key: string };
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'osia-notif-tls-'));
    pki = await createTestPki(dir);
    files = { cert: path.join(dir, 'client.pem'), key: path.join(dir, 'client-key.pem') };
    await writeFile(files.cert, pki.clientCert);
    await writeFile(files.key, pki.clientKey, { mode: 0o600 });
    receiver = await startReceiver('/hook', { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert, requestCert: true, rejectUnauthorized: true });
  });
  after(async () => {
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('presents the configured client certificate to an https subscriber that demands one', async () => {
    const n = await notificationApp({
      OSIA_NOTIFICATION_CLIENT_CERT: files.cert,
      OSIA_NOTIFICATION_CLIENT_KEY: files.key,
      OSIA_NOTIFICATION_CA: pki.files.caCert,
    });
    try {
      const sub = await subscribe(n, 'mtls', receiver.url, '60,1');
      await n.engine.worker.runOnce();
      const [confirmation] = await receiver.until(1, sub);
      assert.equal(confirmation?.body.type, 'SubscriptionConfirmation');
    } finally {
      await n.t.close();
    }
  });

  it('without a client certificate the handshake is refused: a failed attempt, kept for a retry', async () => {
    const n = await notificationApp({ OSIA_NOTIFICATION_CA: pki.files.caCert });
    try {
      const sub = await subscribe(n, 'no-cert', receiver.url, '60,1');
      await n.engine.worker.runOnce();
      assert.deepEqual(await pendingAttempts(n, sub), [1]);
      assert.equal(receiver.attempts.some((r) => r.headers['subscription-id'] === sub), false);
    } finally {
      await n.t.close();
    }
  });
});

describe('Notification to a subscriber that never answers', () => {
  let receiver: Receiver;
  let n: NotificationApp;
  before(async () => {
    receiver = await startReceiver();
    n = await notificationApp({ OSIA_NOTIFICATION_TIMEOUT: '1' });
  });
  after(async () => {
    await receiver.close();
    await n.t.close();
  });

  it('counts no answer within the timeout as a failed attempt, and tries again when the countdown is over', async () => {
    receiver.silent = true;
    const sub = await subscribe(n, 'hangs', receiver.url, '30,1');
    await n.engine.worker.runOnce();
    assert.equal(receiver.attempts.length, 1, 'the request reached the subscriber');
    assert.deepEqual(await pendingAttempts(n, sub), [1]);
    assert.match((await request(n.t.app).get('/metrics')).text, /osia_notification_retries_total 1/);

    receiver.silent = false;
    n.clock.advance(29);
    await n.engine.worker.runOnce();
    assert.equal(receiver.attempts.length, 1, 'nothing before the countdown is over');
    n.clock.advance(1);
    await n.engine.worker.runOnce();
    const [confirmation] = await receiver.until(1, sub);
    assert.equal(confirmation?.body.type, 'SubscriptionConfirmation');
    assert.deepEqual(await pendingAttempts(n, sub), []);
  });
});
