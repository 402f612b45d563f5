/** The embedded store keeps every record it acknowledged, even when its process is killed with SIGKILL. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { it } from 'node:test';
import { createStorage } from '../../src/storage/create-storage.js';
import { exitOf, spawnTs } from '../support/child-process.js';

it('records acknowledged before kill -9 are there after reopening', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-kill-'));
  try {
    const child = spawnTs('test/support/write-until-killed.ts', [dataDir]);
    const acknowledged: string[] = [];
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    for await (const line of lines) {
      if (line.startsWith('person-')) acknowledged.push(line);
      if (acknowledged.length === 300) {
        child.kill('SIGKILL');
        break;
      }
    }
    assert.equal((await exitOf(child)).signal, 'SIGKILL');
    const storage = await createStorage({ dataDir });
    try {
      const persons = await storage.documents.collection('persons');
      for (const id of acknowledged) assert.ok(await persons.get(id), `${id} was acknowledged but is missing`);
      assert.ok((await persons.count()) >= acknowledged.length);
    } finally {
      await storage.documents.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
