/** Shared pieces of the event-flow tests: wiring files, the callback addresses, and notificationCB calls. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { TestApp } from '../support/test-app.js';

/** Writes an OSIA_EVENTS file in a fresh temporary directory and returns its path. */
export async function eventsFile(yaml: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'osia-events-')), 'events.yaml');
  await writeFile(file, yaml);
  return file;
}

/** Subscribes the configured reactions on the local engine and returns the callback path of each, by `component.event`. */
export async function subscribedCallbacks(t: TestApp): Promise<Map<string, string>> {
  const flows = t.services.flows;
  assert.ok(flows?.subscriptions, 'the app has event subscriptions');
  assert.equal(await flows.subscriptions.subscribeAll(), true);
  const subscriptions = (await t.services.notification?.service.listSubscriptions()) ?? [];
  const paths = new Map<string, string>();
  for (const { address } of subscriptions) {
    const { pathname } = new URL(address);
    const [, , , component, event] = pathname.split('/');
    paths.set(`${component}.${event}`, pathname);
  }
  return paths;
}

export interface Delivery {
  type?: 'Notification' | 'SubscriptionConfirmation';
  messageId?: string;
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
}

/** POSTs a notificationCB call as the engine makes it: `message` is the published text (the event JSON). */
export function deliver(t: TestApp, callback: string, message: string, delivery: Delivery = {}) {
  const type = delivery.type ?? 'Notification';
  const messageId = delivery.messageId ?? randomUUID();
  const body = { type, messageId, topic: 'topic-1', message, timestamp: '2026-01-01T00:00:00.000Z', ...delivery.body };
  return request(t.app)
    .post(callback)
    .set({ 'message-type': type, 'message-id': messageId, 'topic-id': 'topic-1', 'subscription-id': 'sub-1', ...delivery.headers })
    .send(body);
}

export const event = (body: Record<string, unknown>) => JSON.stringify({ source: 'cr.example', ...body });
