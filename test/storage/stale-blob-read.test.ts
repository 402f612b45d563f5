/**
 * A writer deletes the blobs its commit released once the commit is done. A reader that read the record before that
 * commit and its blobs after it finds a blob gone: that is a version conflict (the record changed since it was
 * read), which `Store.change` answers by reading again, not an internal error.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { createStorage } from '../../src/storage/create-storage.js';
import { type Storage, StoreConflictError } from '../../src/storage/document-store.port.js';
import type { RecordSpec } from '../../src/storage/record-spec.js';
import { Store } from '../../src/storage/store.js';

interface Keyed {
  _id: string;
  key: Buffer;
}

const KEYS: RecordSpec<Keyed> = { name: 'stale_blob_keys', binaries: ['key'] };

let dir: string;
let storage: Storage;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'osia-stale-blob-'));
  storage = await createStorage({ dataDir: dir });
});
after(async () => {
  await storage.documents.close();
  await rm(dir, { recursive: true, force: true });
});

it('a blob deleted by a commit between reading a record and reading its blob is a conflict; a change reads again', async () => {
  const writer = new Store(storage);
  const keys = await writer.records(KEYS);
  await writer.commit([keys.insert({ _id: 'k', key: Buffer.from('first') })]);
  let overtaken = false;
  // A reader whose first blob read comes just after another writer replaced the record (and deleted its old blob).
  const overtakenReader = new Store({
    documents: storage.documents,
    blobs: {
      put: (blob) => storage.blobs.put(blob),
      delete: (id) => storage.blobs.delete(id),
      claim: (ids) => storage.blobs.claim(ids),
      release: (ids) => storage.blobs.release(ids),
      sweep: (before, limit) => storage.blobs.sweep(before, limit),
      get: async (id) => {
        if (!overtaken) {
          overtaken = true;
          const read = await keys.getVersioned('k');
          assert.ok(read);
          await writer.commit([keys.put({ _id: 'k', key: Buffer.from('second') }, read)]);
        }
        return storage.blobs.get(id);
      },
    },
  });
  const stale = await overtakenReader.records(KEYS);
  await assert.rejects(stale.get('k'), StoreConflictError);
  overtaken = false;
  const read = await overtakenReader.change(() => stale.get('k'));
  assert.equal(read?.key.toString(), 'second');
});
