/**
 * A 202 is durable: a server process accepts an ABIS call with a callback and is killed with SIGKILL while its POST
 * to the callback hangs unanswered; a new process on the same data directory delivers the result once the dead
 * process's lease has passed, and readTaskStatus there says COMPLETED.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exitOf, spawnTs, waitForLine } from '../support/child-process.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { waitFor } from '../support/wait-for.js';

const A = '/abis/v1';

async function startServer(dataDir: string) {
  const child = spawnTs('src/main.ts', [], {
    PORT: '0',
    OSIA_HOST: '127.0.0.1',
    OSIA_DATA_DIR: dataDir,
    OSIA_AUTH: 'off',
    OSIA_INTERFACES: 'abis',
    OSIA_ABIS_CALLBACK_ALLOW: '127.0.0.0/8',
    OSIA_ABIS_POLL_INTERVAL: '50',
    // The POST's lease is twice its timeout: 4 s after the dead process claimed it, the result is free again.
    OSIA_ABIS_CALLBACK_TIMEOUT: '2',
    OSIA_LOG_LEVEL: 'info',
  });
  const listening = JSON.parse(await waitForLine(child, (line) => line.includes('listening'))) as { port: number };
  // Keep reading its log: a full pipe would block the server.
  child.stdout?.resume();
  child.stderr?.resume();
  return { child, base: `http://127.0.0.1:${listening.port}${A}` };
}

const taskIdOf = (url: string) => new URL(url, 'http://receiver').searchParams.get('taskId');

describe('ABIS tasks across kill -9', () => {
  let dataDir: string;
  let receiver: Receiver;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-abis-kill-'));
    receiver = await startReceiver('/abis-client');
  });
  after(async () => {
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a task accepted (202) by a process killed before its callback was answered is delivered by the next process', async () => {
    const first = await startServer(dataDir);
    receiver.silent = true;
    const callback = encodeURIComponent(`${receiver.url}?client=kill`);
    const res = await fetch(`${first.base}/galleries?transactionId=tx-kill&callback=${callback}`);
    assert.equal(res.status, 202);
    const { taskId } = (await res.json()) as { taskId: string };
    await waitFor('the first POST to the callback', async () => receiver.attempts.some((r) => taskIdOf(r.url) === taskId));
    first.child.kill('SIGKILL');
    assert.equal((await exitOf(first.child)).signal, 'SIGKILL');

    receiver.silent = false;
    receiver.status = 204;
    const second = await startServer(dataDir);
    try {
      const delivered = await waitFor('the result delivered by the second process', async () =>
        receiver.received.find((r) => taskIdOf(r.url) === taskId),
      );
      const query = new URL(delivered.url, 'http://receiver').searchParams;
      assert.deepEqual([query.get('client'), query.get('transactionId')], ['kill', 'tx-kill']);
      assert.equal(delivered.headers['content-type'], 'application/json');
      assert.deepEqual(delivered.body, [], 'readGalleries of an empty ABIS');
      // The callback answered before the process recorded it.
      const status = async () => (await fetch(`${second.base}/tasks/${taskId}/status?transactionId=tx-kill`)).json();
      await waitFor('readTaskStatus COMPLETED', async () => (await status()) === 'COMPLETED');
    } finally {
      second.child.kill('SIGTERM');
      await exitOf(second.child);
    }
  });
});
