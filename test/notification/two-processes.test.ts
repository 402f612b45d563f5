/**
 * Two server processes on one data directory, both delivering, both publishing: every message reaches each
 * subscriber, in publish order, and no attempt is sent twice. The loopback receivers fail the first attempt of every
 * message, so each message-id must arrive exactly twice: once refused, once accepted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ServerProcesses, startServers } from '../support/server-processes.js';
import { type Receiver, type Received, startReceiver } from '../support/receiver.js';

const N = '/notification/v1';
const MESSAGES = 40;

/** Refuses the first attempt of each message, accepts the next ones. */
function failFirstAttempt(receiver: Receiver): void {
  const seen = new Set<unknown>();
  receiver.answer = (message: Received) => {
    const id = message.headers['message-id'];
    if (seen.has(id)) return 200;
    seen.add(id);
    return 503;
  };
}

describe('two server processes delivering from one store', () => {
  let processes: ServerProcesses;
  let receivers: Receiver[];
  before(async () => {
    processes = await startServers(2, {
      OSIA_INTERFACES: 'notification',
      OSIA_NOTIFICATION_ALLOW: '127.0.0.0/8',
      OSIA_NOTIFICATION_POLL_INTERVAL: '20',
      OSIA_LOG_LEVEL: 'info',
    });
    receivers = [await startReceiver(), await startReceiver()];
  });
  after(async () => {
    await processes.stop();
    for (const receiver of receivers) await receiver.close();
  });

  const post = async (url: string, body?: string) => {
    const res = await fetch(url, { method: 'POST', ...(body ? { body, headers: { 'content-type': 'text/plain' } } : {}) });
    assert.equal(res.status, 200, `${url}: ${res.status}`);
    return res.headers.get('content-type')?.includes('json') ? ((await res.json()) as { uuid: string }) : undefined;
  };
  const pending = async (base: string) => {
    const metrics = await (await fetch(`${base}/metrics`)).text();
    return Number(/^osia_notification_outbox_depth (\d+)/m.exec(metrics)?.[1]);
  };

  it('never sends the same attempt twice, and keeps publish order per subscription', async () => {
    const [a = '', b = ''] = processes.bases;
    await post(`${a}${N}/topics?name=death`);
    const subscriptions: string[] = [];
    for (const receiver of receivers) {
      const query = new URLSearchParams({ topic: 'death', address: receiver.url, policy: '0,-1' });
      const sub = await post(`${b}${N}/subscriptions?${query}`);
      const [confirmation] = await receiver.until(1, sub?.uuid ?? '');
      assert.equal((await fetch(`${a}${N}/subscriptions/confirm?token=${confirmation?.body.token}`)).status, 200);
      subscriptions.push(sub?.uuid ?? '');
      failFirstAttempt(receiver);
    }
    const sent = Array.from({ length: MESSAGES }, (_, i) => `m${i}`);
    // One after the other (publish order is the order of the 200s), alternating between the processes.
    for (const [i, text] of sent.entries()) await post(`${i % 2 === 0 ? a : b}${N}/topics/death/publish`, text);

    for (const [i, receiver] of receivers.entries()) {
      const got = (await receiver.until(MESSAGES + 1, subscriptions[i] ?? '')).slice(1);
      assert.deepEqual(got.map((r) => r.body.message), sent);
    }
    // Nothing pending is left, so nothing can be sent any more: the counts below are final.
    while ((await pending(a)) > 0);
    for (const receiver of receivers) {
      const perMessage = new Map<unknown, number>();
      for (const attempt of receiver.attempts) {
        if (attempt.body.type !== 'Notification') continue;
        perMessage.set(attempt.headers['message-id'], (perMessage.get(attempt.headers['message-id']) ?? 0) + 1);
      }
      assert.equal(perMessage.size, MESSAGES);
      assert.deepEqual([...new Set(perMessage.values())], [2], 'each message refused once and accepted once');
    }
  });
});
