/**
 * Nothing acknowledged is lost: a server process with pending deliveries (its subscriber down) is killed with
 * SIGKILL, a new process on the same data directory delivers every published message once the subscriber is back.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exitOf, spawnTs, waitForLine } from '../support/child-process.js';
import { type Receiver, startReceiver } from '../support/receiver.js';

const N = '/notification/v1';

async function startServer(dataDir: string) {
  const child = spawnTs('src/main.ts', [], {
    PORT: '0',
    OSIA_HOST: '127.0.0.1',
    OSIA_DATA_DIR: dataDir,
    OSIA_AUTH: 'off',
    OSIA_INTERFACES: 'notification',
    OSIA_NOTIFICATION_ALLOW: '127.0.0.0/8',
    OSIA_NOTIFICATION_POLL_INTERVAL: '50',
    OSIA_NOTIFICATION_LEASE: '1',
    OSIA_LOG_LEVEL: 'info',
  });
  const listening = JSON.parse(await waitForLine(child, (line) => line.includes('listening'))) as { port: number };
  return { child, base: `http://127.0.0.1:${listening.port}${N}` };
}

describe('Notification across kill -9', () => {
  let dataDir: string;
  let receiver: Receiver;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-notif-kill-'));
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('pending deliveries resume after a restart, in publish order', async () => {
    const first = await startServer(dataDir);
    const post = (url: string, body?: string) =>
      fetch(url, { method: 'POST', ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}) });
    assert.equal((await post(`${first.base}/topics?name=death`)).status, 200);
    const sub = (await (await post(`${first.base}/subscriptions?topic=death&policy=${encodeURIComponent("1,-1")}&address=${encodeURIComponent(receiver.url)}`)).json()) as { uuid: string };
    const [confirmation] = await receiver.until(1, sub.uuid);
    assert.equal((await fetch(`${first.base}/subscriptions/confirm?token=${confirmation?.body.token}`)).status, 200);

    receiver.status = 503;
    const sent = Array.from({ length: 10 }, (_, i) => JSON.stringify({ source: 'CR', uin: String(i) }));
    for (const body of sent) assert.equal((await post(`${first.base}/topics/death/publish`, body)).status, 200);
    first.child.kill('SIGKILL');
    assert.equal((await exitOf(first.child)).signal, 'SIGKILL');

    receiver.status = 200;
    const second = await startServer(dataDir);
    try {
      const got = (await receiver.until(11, sub.uuid)).slice(1);
      assert.deepEqual(got.map((r) => r.body.message), sent);
    } finally {
      second.child.kill('SIGTERM');
      await exitOf(second.child);
    }
  });
});
