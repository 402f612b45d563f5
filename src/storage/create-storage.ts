/**
 * Chooses the storage adapter: MongoDB when a URI is configured, otherwise the embedded store under `dataDir`
 * (`<dataDir>/db/*.db` for records, `<dataDir>/blobs/` for binaries). Domain code imports only this factory and
 * the port.
 */
import path from 'node:path';
import { FileBlobStore } from './blobs/file-blob-store.js';
import type { Storage } from './document-store.port.js';
import { EmbeddedDocumentStore } from './embedded/embedded-document-store.js';
import { createMongoStorage } from './mongo/create-mongo-storage.js';

export interface StorageOptions {
  dataDir: string;
  mongodbUri?: string;
  /** Database name for MongoDB; defaults to the one in the URI. */
  mongodbDatabase?: string;
}

export async function createStorage(options: StorageOptions): Promise<Storage> {
  if (options.mongodbUri) return createMongoStorage(options.mongodbUri, { database: options.mongodbDatabase });
  const documents = await EmbeddedDocumentStore.open(path.join(options.dataDir, 'db'));
  try {
    return { documents, blobs: await FileBlobStore.open(path.join(options.dataDir, 'blobs')) };
  } catch (error) {
    await documents.close();
    throw error;
  }
}
