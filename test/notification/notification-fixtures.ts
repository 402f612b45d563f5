/** A Notification app on a fake clock, allowed to call loopback receivers, and its engine. */
import type { NotificationEngine } from '../../src/notification/notification-engine.js';
import { after, before } from 'node:test';
import { type FakeClock, fakeClock } from '../support/fake-clock.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { type Receiver, startReceiver } from './receiver.js';

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
