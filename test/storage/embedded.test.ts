/** Runs the storage contracts on the embedded adapter (nedb + files) in temporary directories. */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { createStorage } from '../../src/storage/create-storage.js';
import { blobStoreContract } from './blob-store.contract.js';
import { documentStoreContract, type StorageHarness } from './document-store.contract.js';

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

it('createStorage without a MongoDB URI lays out <dataDir>/db/<collection>.db and <dataDir>/blobs/', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-storage-'));
  try {
    const storage = await createStorage({ dataDir: path.join(dataDir, 'not', 'yet', 'there') });
    assert.equal(storage.documents.kind, 'embedded');
    await storage.documents.collection('people');
    await storage.blobs.put({ contentType: 'text/plain', data: Buffer.from('x') });
    await storage.documents.close();
    const root = path.join(dataDir, 'not', 'yet', 'there');
    assert.deepEqual((await readdir(root)).sort(), ['blobs', 'db']);
    assert.deepEqual((await readdir(path.join(root, 'db'))).sort(), ['_journal.db', 'people.db']);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
