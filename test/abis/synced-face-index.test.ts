/**
 * The 1:N index of the built-in ABIS on a real store, with made-up vectors (no face model): two indexes on one
 * store follow each other's writes through the change log, concurrent writers get consecutive numbers, and an
 * index left behind past the retained entries reloads the whole store.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type AbisRecords, changeId, FACE_DIMENSIONS, facesBlob, openAbisRecords, SEQUENCE_ID } from '../../src/biometrics/abis-records.js';
import { SyncedFaceIndex } from '../../src/biometrics/synced-face-index.js';
import { createStorage } from '../../src/storage/create-storage.js';
import type { Storage } from '../../src/storage/document-store.port.js';
import { Store } from '../../src/storage/store.js';

const RETAINED = 3;

describe('synced face index', () => {
  let dataDir: string;
  let storage: Storage;
  let store: Store;
  let records: AbisRecords;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-abis-index-'));
    storage = await createStorage({ dataDir, mongodbUri: process.env.MONGODB_URI, mongodbDatabase: path.basename(dataDir) });
    store = new Store(storage);
    records = await openAbisRecords(store);
  });
  after(async () => {
    await storage.documents.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A vector all of whose values are `value`: vectors of different values are far apart. */
  const vector = (value: number) => new Float32Array(FACE_DIMENSIONS).fill(value);
  const open = () => SyncedFaceIndex.open(store, records, RETAINED);
  /** Stores (or replaces) the template record of `personId` with one face, through `writer`'s change log. */
  const write = (writer: SyncedFaceIndex, personId: string, value: number) =>
    store.change(async () => {
      const key = `${personId}/E`;
      const read = await records.templates.getVersioned(key);
      const record = { _id: key, personId, encounterId: 'E', active: true, galleries: ['G'], attributes: {}, faces: facesBlob([vector(value)]), slots: [{ item: 0, quality: 90 }] };
      await store.commit([read ? records.templates.put(record, read) : records.templates.insert(record), ...(await writer.logged([key]))]);
    });
  const remove = (writer: SyncedFaceIndex, personId: string) =>
    store.change(async () => {
      const read = await records.templates.getVersioned(`${personId}/E`);
      assert.ok(read);
      await store.commit([records.templates.delete(read), ...(await writer.logged([read.record._id]))]);
    });
  const nearest = async (reader: SyncedFaceIndex, value: number) => {
    await reader.catchUp();
    return reader.index.search(vector(value), () => true, 0.9, 10).map((hit) => hit.entry.personId);
  };

  it('loads what is stored, and follows the other index\'s writes and deletions', async () => {
    const one = await open();
    await write(one, 'P1', 0.01);
    const two = await open();
    assert.deepEqual(await nearest(two, 0.01), ['P1']);
    await write(two, 'P2', 0.05);
    assert.deepEqual(await nearest(one, 0.05), ['P2']);
    await write(two, 'P2', 0.09);
    assert.deepEqual(await nearest(one, 0.05), [], 'the replaced face is out');
    assert.deepEqual(await nearest(one, 0.09), ['P2']);
    await remove(one, 'P1');
    assert.deepEqual(await nearest(two, 0.01), []);
    assert.equal(two.index.size, 1);
  });

  it('gives concurrent writers consecutive numbers, and keeps only the last entries', async () => {
    const writer = await open();
    const before = (await records.sequence.get(SEQUENCE_ID))?.seq ?? 0;
    await Promise.all(Array.from({ length: 6 }, (_, i) => write(writer, `C${i}`, 0.2 + i * 0.04)));
    const seq = (await records.sequence.get(SEQUENCE_ID))?.seq;
    assert.equal(seq, before + 6);
    const kept = (await records.changes.find({})).map((change) => change.seq).sort((a, b) => a - b);
    assert.deepEqual(kept, [before + 4, before + 5, before + 6]);
  });

  it('an index behind past the retained entries reloads the store', async () => {
    const behind = await open();
    const writer = await open();
    for (let i = 0; i < RETAINED + 2; i++) await write(writer, `L${i}`, 0.5 + i * 0.04);
    assert.equal(await records.changes.get(changeId(1)), undefined);
    assert.deepEqual(await nearest(behind, 0.5 + 0.04 * (RETAINED + 1)), [`L${RETAINED + 1}`]);
    const fresh = await open();
    assert.equal(behind.index.size, fresh.index.size);
  });
});
