/**
 * Compare-and-set through the store's own record versions (ADR 0102), for records that several server processes
 * change: deliveries being claimed and settled, subscriptions being confirmed, failed or revived. A record is read
 * with its version and written back at it; of two processes that read the same version, the store lets the first
 * batch through and refuses the other whole. No in-process lock.
 */
import { type StoredDocument, VersionConflictError, type VersionedDocument, type WriteOp } from '../storage/document-store.port.js';
import type { NotificationCollections } from './notification-records.js';

/** The op writing `next` in place of `current`, only while the record is still at the version read. */
export function putAt<T extends StoredDocument>(collection: string, current: VersionedDocument<T>, next: T): WriteOp {
  return { collection, op: 'put', doc: next, expectedVersion: current.version };
}

/** The version a record has after one write at `current`: the store counts one up per write. */
export function written<T extends StoredDocument>(current: VersionedDocument<T>, doc: T): VersionedDocument<T> {
  return { doc, version: current.version + 1 };
}

/** Applies the batch; resolves false when another writer changed (or deleted) one of its records first. */
export async function applyIfUnchanged(store: NotificationCollections, ops: WriteOp[]): Promise<boolean> {
  try {
    await store.documents.applyAtomically(ops);
    return true;
  } catch (err) {
    if (err instanceof VersionConflictError) return false;
    throw err;
  }
}
