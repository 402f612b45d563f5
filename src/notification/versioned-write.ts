/**
 * Compare-and-set through the store, for records that several server processes may change (deliveries being
 * claimed, subscriptions being confirmed or failed). Each change from version v to v+1 writes, in the same atomic
 * batch, a version record keyed `<collection>:<id>:<v+1>` under a unique index: of two processes that read version
 * v, only the first batch goes through, the other is refused whole with DuplicateKeyError. No in-process lock.
 */
import { randomUUID } from 'node:crypto';
import { DuplicateKeyError, type StoredDocument, type WriteOp } from '../storage/document-store.port.js';
import { COLLECTIONS, type NotificationCollections } from './notification-records.js';

type Versioned = StoredDocument & { version: number };

/** The ops that write `next` as version `current.version + 1` of the record; add them to a batch. */
export function versionedPut(collection: string, current: Versioned, next: Versioned): WriteOp[] {
  const version = current.version + 1;
  return [
    {
      collection: COLLECTIONS.versions,
      op: 'put',
      doc: { _id: randomUUID(), key: `${collection}:${current._id}:${version}`, record: `${collection}:${current._id}` },
    },
    { collection, op: 'put', doc: { ...next, version } },
  ];
}

/** The ops that delete a versioned record's version records (when the record itself goes). */
export async function versionDeletes(store: NotificationCollections, collection: string, id: string): Promise<WriteOp[]> {
  const versions = await store.versions.find({ record: `${collection}:${id}` });
  return versions.map((doc) => ({ collection: COLLECTIONS.versions, op: 'delete', id: doc._id }));
}

/** Applies the batch; resolves false when another writer changed the record first. */
export async function applyIfUnchanged(store: NotificationCollections, ops: WriteOp[]): Promise<boolean> {
  try {
    await store.documents.applyAtomically(ops);
    return true;
  } catch (err) {
    if (err instanceof DuplicateKeyError && err.collection === COLLECTIONS.versions) return false;
    throw err;
  }
}
