/**
 * Chooses the storage adapter: MongoDB when a URI is configured, otherwise the embedded SQLite store under
 * `dataDir` (`<dataDir>/osia.sqlite` for records, `<dataDir>/blobs/` for binaries). Domain code imports only this
 * factory and the port.
 */
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { ClaimedBlobStore } from './blobs/claimed-blob-store.js';
import { FileBlobStore } from './blobs/file-blob-store.js';
import type { BlobBytes } from './blobs/blob-bytes.js';
import type { DocumentStore, Storage } from './document-store.port.js';
import { createMongoStorage } from './mongo/create-mongo-storage.js';
import { SqliteDocumentStore } from './sqlite/sqlite-document-store.js';
import { systemClock } from '../shared/clock.js';

export interface StorageOptions {
  dataDir: string;
  mongodbUri?: string;
  /** Database name for MongoDB; defaults to the one in the URI. */
  mongodbDatabase?: string;
  /** Dates the blob ledger's entries (the sweep compares them with its own clock). */
  clock?: () => Date;
}

export const DATABASE_FILE = 'osia.sqlite';

export async function createStorage(options: StorageOptions): Promise<Storage> {
  const { documents, bytes } = await openAdapter(options);
  try {
    return { documents, blobs: await ClaimedBlobStore.open(documents, bytes, options.clock ?? systemClock) };
  } catch (error) {
    await documents.close();
    throw error;
  }
}

async function openAdapter(options: StorageOptions): Promise<{ documents: DocumentStore; bytes: BlobBytes }> {
  if (options.mongodbUri) return createMongoStorage(options.mongodbUri, { database: options.mongodbDatabase });
  await refuseNedbData(options.dataDir);
  await mkdir(options.dataDir, { recursive: true });
  const documents = await SqliteDocumentStore.open(path.join(options.dataDir, DATABASE_FILE));
  try {
    return { documents, bytes: await FileBlobStore.open(path.join(options.dataDir, 'blobs')) };
  } catch (error) {
    await documents.close();
    throw error;
  }
}

/** Data written by the former NeDB store (`<dataDir>/db/*.db`) is not migrated: starting on it would hide it. */
async function refuseNedbData(dataDir: string): Promise<void> {
  const dir = path.join(dataDir, 'db');
  const files = await readdir(dir).catch(() => [] as string[]);
  if (files.some((file) => file.endsWith('.db'))) {
    throw new Error(
      `${dir} holds NeDB datafiles from an earlier version of osia-server; this version stores data in SQLite and does not migrate them: move them away or use another data directory`,
    );
  }
}
