/**
 * Durability of the embedded (SQLite) store against `kill -9`: every write acknowledged before the kill is there after a
 * restart, and a batch interrupted by the kill is either wholly there or wholly absent.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { it } from 'node:test';
import { createStorage } from '../../src/storage/create-storage.js';

const ACKNOWLEDGED_BEFORE_KILL = 300;
const ROUNDS = 3;

it('keeps every acknowledged write, and batches whole, across several kill -9 rounds on one store', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'osia-kill-'));
  try {
    for (let round = 0; round < ROUNDS; round++) await killRound(dir, `round${round}-`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

async function killRound(dir: string, prefix: string): Promise<void> {
  {
    const writer = path.join(import.meta.dirname, 'fixtures', 'write-until-killed.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, prefix], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acknowledged: string[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      acknowledged.push(line);
      if (acknowledged.length === ACKNOWLEDGED_BEFORE_KILL) child.kill('SIGKILL');
    }
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    assert.equal(child.signalCode, 'SIGKILL');

    const { documents } = await createStorage({ dataDir: dir });
    const ids = async (name: string) => (await (await documents.collection(name)).find({})).map((doc) => doc._id);
    const [singles, left, right] = [await ids('singles'), await ids('left'), await ids('right')];
    await documents.close();
    const stored = new Set([...singles, ...left]);
    assert.deepEqual(
      acknowledged.filter((id) => !stored.has(id)),
      [],
    );
    assert.deepEqual(left, right, 'each batch is in both collections or in neither');
  }
}
