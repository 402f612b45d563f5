/** Connects to MongoDB and builds the document store and the GridFS blob store on one client. */
import { MongoClient } from 'mongodb';
import type { Storage } from '../document-store.port.js';
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
export async function createMongoStorage(uri: string, options: MongoStorageOptions = {}): Promise<Storage> {
  // Dropping `undefined` fields (instead of storing null) matches the embedded store, which writes JSON.
  const client = new MongoClient(uri, { ignoreUndefined: true });
  try {
    await client.connect();
    const db = client.db(options.database);
    await db.command({ ping: 1 });
    return { documents: new MongoDocumentStore(client, db), blobs: new GridFsBlobStore(db) };
  } catch (error) {
    await client.close();
    throw error;
  }
}
