/** Connects to MongoDB and builds the document store and the GridFS blob bytes on one client. */
import { MongoClient } from 'mongodb';
import type { BlobBytes } from '../blobs/blob-bytes.js';
import type { DocumentStore } from '../document-store.port.js';
import { GridFsBlobStore } from './gridfs-blob-store.js';
import { MongoDocumentStore } from './mongo-document-store.js';

export interface MongoStorageOptions {
  /** Database name; defaults to the one in the URI (the driver's own default is `test`). */
  database?: string;
}

/**
 * Connects and pings, so a wrong URI fails at start-up rather than on the first request. Closing the document store
 * closes the client, and with it the blob store.
 */
export async function createMongoStorage(
  uri: string,
  options: MongoStorageOptions = {},
): Promise<{ documents: DocumentStore; bytes: BlobBytes }> {
  // Dropping `undefined` fields (instead of storing null) matches the embedded store, which writes JSON.
  const client = new MongoClient(uri, { ignoreUndefined: true });
  try {
    await client.connect();
    const db = client.db(options.database);
    await db.command({ ping: 1 });
    return { documents: new MongoDocumentStore(client, db), bytes: new GridFsBlobStore(db) };
  } catch (error) {
    await client.close();
    throw error;
  }
}
