/**
 * Runs the storage contracts on the MongoDB adapter when MONGODB_URI points at a server (a replica set, for
 * transactions); otherwise reports them as skipped. Each contract uses a database of its own, dropped at the end.
 */
import os from 'node:os';
import { it } from 'node:test';
import { MongoClient } from 'mongodb';
import { createStorage } from '../../src/storage/create-storage.js';
import { blobStoreContract } from './blob-store.contract.js';
import { documentStoreContract, type StorageHarness } from './document-store.contract.js';
import { unitOfWorkContract } from './unit-of-work.contract.js';

function mongoHarness(uri: string, database: string): StorageHarness {
  return {
    open: () => createStorage({ dataDir: os.tmpdir(), mongodbUri: uri, mongodbDatabase: database }),
    cleanup: async () => {
      const client = new MongoClient(uri);
      try {
        await client.db(database).dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

const uri = process.env.MONGODB_URI;
if (uri) {
  documentStoreContract('mongodb', mongoHarness(uri, `osia_storage_test_${process.pid}_documents`));
  blobStoreContract('mongodb', mongoHarness(uri, `osia_storage_test_${process.pid}_blobs`));
  unitOfWorkContract('mongodb', mongoHarness(uri, `osia_storage_test_${process.pid}_uow`));
} else {
  it('MongoDB storage contracts', { skip: 'MONGODB_URI is not set' }, () => undefined);
}
