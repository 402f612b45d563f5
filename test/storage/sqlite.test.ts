/** Runs the storage contracts on the embedded adapter (SQLite + files) in temporary directories, plus its own checks. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import Database from 'better-sqlite3';
import { createStorage } from '../../src/storage/create-storage.js';
import type { SqliteDocumentStore } from '../../src/storage/sqlite/sqlite-document-store.js';
import { blobStoreContract } from './blob-store.contract.js';
import { documentStoreContract, type StorageHarness } from './document-store.contract.js';
import { unitOfWorkContract } from './unit-of-work.contract.js';

function embeddedHarness(): StorageHarness {
  let dataDir: string | undefined;
  return {
    open: async () => {
      dataDir ??= await mkdtemp(path.join(os.tmpdir(), 'osia-storage-'));
      return createStorage({ dataDir });
    },
    cleanup: async () => {
      if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

documentStoreContract('embedded', embeddedHarness());
blobStoreContract('embedded', embeddedHarness());
unitOfWorkContract('embedded', embeddedHarness());

it('createStorage without a MongoDB URI lays out <dataDir>/osia.sqlite (with its WAL) and <dataDir>/blobs/', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-storage-'));
  try {
    const storage = await createStorage({ dataDir: path.join(dataDir, 'not', 'yet', 'there') });
    assert.equal(storage.documents.kind, 'embedded');
    await storage.documents.collection('people');
    await storage.blobs.put({ contentType: 'text/plain', data: Buffer.from('x') });
    await storage.documents.close();
    const root = path.join(dataDir, 'not', 'yet', 'there');
    assert.deepEqual((await readdir(root)).sort(), ['blobs', 'osia.sqlite']);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

it('refuses, in one line naming the directory, a data directory written by the NeDB version', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-storage-'));
  try {
    await mkdir(path.join(dataDir, 'db'));
    await writeFile(path.join(dataDir, 'db', 'pr_persons.db'), '{"_id":"p1"}\n');
    await assert.rejects(createStorage({ dataDir }), (error: Error) => {
      assert.match(error.message, /NeDB datafiles/);
      assert.ok(error.message.includes(path.join(dataDir, 'db')));
      assert.ok(!error.message.includes('\n'));
      return true;
    });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

it('opens a store holding an unreadable record, and names the record (collection + id) when it is read', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-storage-'));
  try {
    const first = await createStorage({ dataDir });
    const people = await first.documents.collection('people', [{ fields: ['name'] }]);
    await people.insert({ _id: 'good', name: 'a' });
    await people.insert({ _id: 'bad', name: 'b' });
    await first.documents.close();
    const raw = new Database(path.join(dataDir, 'osia.sqlite'));
    raw.prepare("UPDATE people SET doc = '{not json' WHERE id = 'bad'").run();
    raw.close();

    const second = await createStorage({ dataDir });
    try {
      const reopened = await second.documents.collection('people', [{ fields: ['name'] }]);
      assert.deepEqual(await reopened.get('good'), { _id: 'good', name: 'a' });
      await assert.rejects(reopened.get('bad'), /unreadable record "bad" in collection people/);
      await assert.rejects(reopened.find({}), /unreadable record "bad" in collection people/);
    } finally {
      await second.documents.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

it('finds records by their _id (equal or $in) through the id column, not by matching every record', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-storage-'));
  const storage = await createStorage({ dataDir });
  try {
    const store = storage.documents as SqliteDocumentStore;
    const events = await store.collection('events', [{ fields: ['kind'] }]);
    await events.insertMany([{ _id: 'e1', kind: 'a' }, { _id: 'e2', kind: 'b' }]);
    for (const filter of [{ _id: 'e2' }, { _id: { $in: ['e2', 'e1'] } }]) {
      const plan = store.explain('events', filter).join('\n');
      assert.match(plan, /SEARCH t USING INDEX/, plan);
    }
    assert.deepEqual(await events.find({ _id: 'e2' }), [{ _id: 'e2', kind: 'b' }]);
    assert.equal(await events.count({ _id: 'e2', kind: 'a' }), 0);
  } finally {
    await storage.documents.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
