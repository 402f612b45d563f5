/**
 * The unit of work: every write of the domain is a set of operations made by typed handles (`records(spec)`), and
 * `commit` applies them all or none. It owns the commit protocol that each aggregate used to rebuild: binaries go to
 * the blob store first and are claimed in the same atomic batch as the records naming them (deleted again when the
 * batch fails), blobs the change made unreachable are released in it and deleted once it has committed (a crash in
 * between leaves them to the blob sweep), and member names are encoded. A blob whose content a written record still
 * holds is kept, not copied (an identity moved to another person, a status change).
 */
import {
  type BlobStore,
  type DocumentStore,
  type Filter,
  type FindOptions,
  type Storage,
  StoreConflictError,
  type StoredRecord,
  type WriteOp,
} from './document-store.port.js';
import { blobsOf, type BlobLedger, type Operation, Records } from './records.js';
import type { RecordSpec } from './record-spec.js';

export type { Operation, Records, Versioned } from './records.js';

/** A consistent read-only view of the whole store as of the moment it was taken; writers go on meanwhile. */
export interface Snapshot {
  find<T extends StoredRecord>(records: Records<T>, filter: Filter, options?: FindOptions): Promise<T[]>;
  close(): Promise<void>;
}

/** How often a change runs again on fresh data when another writer got there first. */
const ATTEMPTS = 8;

export class Store {
  constructor(private readonly storage: Storage) {}

  get kind(): DocumentStore['kind'] {
    return this.storage.documents.kind;
  }

  /** Opens (creating when missing) the collection of `spec`, with its indexes. */
  async records<T extends StoredRecord>(spec: RecordSpec<T>): Promise<Records<T>> {
    return new Records(spec, await this.storage.documents.collection(spec.name, spec.indexes), this.storage.blobs);
  }

  async snapshot(): Promise<Snapshot> {
    const snapshot = await this.storage.documents.snapshot();
    return {
      find: async (records, filter, options) => {
        const docs = await snapshot.find(records.name, filter, options);
        return Promise.all(docs.map((doc) => records.fromStored(doc)));
      },
      close: () => snapshot.close(),
    };
  }

  /**
   * Applies every operation or none. A conflict (a record changed since it was read, an id or unique value taken)
   * fails the whole commit with a `StoreConflictError`; `change` runs the work again on fresh data.
   */
  async commit(operations: readonly Operation[]): Promise<void> {
    if (operations.length === 0) return;
    const { blobs, documents } = this.storage;
    const unreachable = new Set<string>();
    const ledger: BlobLedger = { keep: new Map(), added: [], kept: new Set() };
    for (const operation of operations) {
      if (operation.kind === 'insert' || !operation.read) continue;
      for (const [id, content] of blobsOf(operation.read)) {
        unreachable.add(id);
        if (typeof content === 'string') ledger.keep.set(content, id);
      }
    }
    try {
      const writes: WriteOp[] = [];
      for (const operation of operations) writes.push(await writeOf(operation, ledger));
      for (const id of ledger.kept) unreachable.delete(id);
      await documents.applyAtomically([...writes, ...blobs.claim(ledger.added), ...blobs.release([...unreachable])]);
    } catch (error) {
      await deleteAll(blobs, ledger.added);
      throw error;
    }
    await deleteAll(blobs, unreachable);
  }

  /**
   * The record with `record._id`: the one stored already, or else `record`, inserted. Of several processes inserting
   * at once one wins, and the others answer its record.
   */
  getOrInsert<T extends StoredRecord>(records: Records<T>, record: T): Promise<T> {
    return this.change(async () => {
      const existing = await records.get(record._id);
      if (existing) return existing;
      await this.commit([records.insert(record)]);
      return record;
    });
  }

  /**
   * Runs a change (reads, checks, one `commit`), again on fresh data when its commit met a conflict. After the last
   * attempt the conflict goes up, and the HTTP layer answers 409. The store's versions and constraints, not this
   * process, make the checks hold.
   */
  async change<R>(task: () => Promise<R>, attempts = ATTEMPTS): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await task();
      } catch (error) {
        if (!(error instanceof StoreConflictError) || attempt >= attempts) throw error;
      }
    }
  }
}

async function writeOf(operation: Operation, ledger: BlobLedger): Promise<WriteOp> {
  const collection = operation.records.name;
  const expectedVersion = operation.kind !== 'insert' && operation.read ? { expectedVersion: operation.read.version } : {};
  if (operation.kind === 'delete') return { collection, op: 'delete', id: operation.id, ...expectedVersion };
  const doc = await operation.records.stored(operation.record, ledger);
  return operation.kind === 'insert' ? { collection, op: 'insert', doc } : { collection, op: 'put', doc, ...expectedVersion };
}

async function deleteAll(blobs: BlobStore, ids: Iterable<string>): Promise<void> {
  for (const id of ids) await blobs.delete(id);
}
