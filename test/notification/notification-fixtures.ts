/** A Notification app on a fake clock, allowed to call loopback receivers, and its engine. */
import type { NotificationEngine } from '../../src/notification/notification-engine.js';
import { after, before } from 'node:test';
import request from 'supertest';
import { type FakeClock, fakeClock } from '../support/fake-clock.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { type Receiver, startReceiver } from '../support/receiver.js';

export interface NotificationApp {
  t: TestApp;
  clock: FakeClock;
  engine: NotificationEngine;
}

export async function notificationApp(env: NodeJS.ProcessEnv = {}, dataDir?: string): Promise<NotificationApp> {
  const clock = fakeClock();
  const t = await createTestApp({
    interfaces: ['notification'],
    clock,
    env: { OSIA_NOTIFICATION_ALLOW: '127.0.0.0/8', ...env },
    ...(dataDir ? { dataDir } : {}),
  });
  const engine = t.services.notification;
  if (!engine) throw new Error('the app serves Notification');
  return { t, clock, engine };
}

/** For a describe block: one Notification app and one loopback receiver, opened before and closed after its tests. */
export function notificationSuite(): { n: NotificationApp; receiver: Receiver } {
  const suite = {} as { n: NotificationApp; receiver: Receiver };
  before(async () => {
    suite.n = await notificationApp();
    suite.receiver = await startReceiver();
  });
  after(async () => {
    await suite.receiver.close();
    await suite.n.t.close();
  });
  return suite;
}

const N = '/notification/v1';

/** A confirmed subscription of the receiver to a fresh topic, with the given policy; resolves its uuid. */
export async function confirmedSubscription(s: { n: NotificationApp; receiver: Receiver }, topic: string, policy?: string): Promise<string> {
  const api = () => request(s.n.t.app);
  await api().post(`${N}/topics?name=${topic}`).expect(200);
  const query = { topic, address: `${s.receiver.url}/${topic}`, ...(policy ? { policy } : {}) };
  const sub = (await api().post(`${N}/subscriptions`).query(query).expect(200)).body.uuid as string;
  await s.n.engine.worker.runOnce();
  const [confirmation] = await s.receiver.until(1, sub);
  await api().get(`${N}/subscriptions/confirm?token=${confirmation?.body.token}`).expect(200);
  return sub;
}

/** Publishes a text message on the topic (by name) of the suite's app. */
export const publishText = (n: NotificationApp, topic: string, text: string) =>
  request(n.t.app).post(`${N}/topics/${topic}/publish`).set('Content-Type', 'text/plain').send(text).expect(200);
