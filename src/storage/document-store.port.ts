/**
 * The storage port. Domain services see only these interfaces; adapters (embedded, MongoDB) implement them.
 *
 * Records are plain JSON documents keyed by a string `_id` chosen by the caller. Queries use the subset of the
 * MongoDB query language that both adapters understand (see `Filter`). Large binaries never go in records: they go
 * to the `BlobStore` and the record keeps the blob id.
 */

/**
 * A stored record. `_id` is the primary key; everything else is the caller's, except the reserved field `_seq`
 * (adapters use it to keep insertion order and never return it). Records are JSON: field names may not start with
 * `$` or contain `.`, and key order and values round-trip exactly (MongoDB always puts `_id` first).
 */
export type StoredDocument = { _id: string } & Record<string, unknown>;

/** What a typed collection holds: records of one shape (`Collection<T>`), keyed by `_id`. */
export interface StoredRecord {
  _id: string;
}

/** Comparison operators shared by both adapters. */
export type FieldCondition =
  | string
  | number
  | boolean
  | null
  | {
      $eq?: unknown;
      $ne?: unknown;
      $gt?: unknown;
      $gte?: unknown;
      $lt?: unknown;
      $lte?: unknown;
      $in?: unknown[];
      $nin?: unknown[];
      $exists?: boolean;
    };

/**
 * A MongoDB-style filter on dotted field paths, combined with AND (and `$or`/`$and` when needed). A dotted path
 * reaches into nested objects and into every element of arrays of objects. A condition that is `undefined` is
 * ignored.
 */
export type Filter = { [path: string]: FieldCondition | Filter[] | undefined; $or?: Filter[]; $and?: Filter[] };

export interface FindOptions {
  /** Field path → 1 (ascending) or -1 (descending). Ties, and finds without a sort, keep insertion order. */
  sort?: Record<string, 1 | -1>;
  skip?: number;
  limit?: number;
}

/**
 * One write inside an atomic batch. `insert` fails the batch with `DuplicateKeyError` when the id (or a unique
 * index value) exists. `expectedVersion` (from `Collection.getVersioned`) makes a `put` or `delete` fail the batch
 * with `VersionConflictError` unless the record is still at that version: read-modify-write safe across processes.
 */
export type WriteOp =
  | { collection: string; op: 'put'; doc: StoredDocument; expectedVersion?: number }
  | { collection: string; op: 'insert'; doc: StoredDocument }
  | { collection: string; op: 'delete'; id: string; expectedVersion?: number };

/** A record with its version: 1 when inserted, one more at every write. */
export interface VersionedDocument<T extends StoredRecord = StoredDocument> {
  doc: T;
  version: number;
}

/** A consistent read-only view of the whole store as of the moment it was taken; readers and writers go on meanwhile. */
export interface StoreSnapshot {
  get(collection: string, id: string): Promise<StoredDocument | undefined>;
  find(collection: string, filter: Filter, options?: FindOptions): Promise<StoredDocument[]>;
  close(): Promise<void>;
}

export interface IndexSpec {
  /** Field paths of the index, in order. */
  fields: string[];
  unique?: boolean;
  /**
   * A single-field index paged deep by `skip` (a gallery's members): the adapter keeps what makes a page at any
   * offset cost about the same as the first. Other indexes pay nothing for it.
   */
  ranked?: boolean;
  /** An index an earlier version declared and this one no longer wants: removed where it exists, so writes stop paying for it. */
  retired?: boolean;
}

/** The records of one collection, as adapters give them; domain code reads and writes through `Records<T>` (records.ts). */
export interface Collection<T extends StoredRecord = StoredDocument> {
  /**
   * Inserts a new record; rejects with `DuplicateKeyError` when `_id` (or a unique index) already exists. `put`,
   * `replace` and `applyAtomically` reject with it too when they would break a unique index.
   */
  insert(doc: T): Promise<void>;
  /**
   * Inserts several new records in one storage round trip (append-only logs written in bulk). Meant for fresh ids:
   * on `DuplicateKeyError` the embedded store inserts none, MongoDB those before the duplicate.
   */
  insertMany(docs: T[]): Promise<void>;
  /** Replaces the record with the same `_id`, creating it when absent (an existing record keeps its place). */
  put(doc: T): Promise<void>;
  /** Replaces an existing record; resolves false when there is none. */
  replace(doc: T): Promise<boolean>;
  get(id: string): Promise<T | undefined>;
  /** The record and its version, for a later `put`/`delete` with `expectedVersion`. */
  getVersioned(id: string): Promise<VersionedDocument<T> | undefined>;
  find(filter: Filter, options?: FindOptions): Promise<T[]>;
  /** `find`, each record with its version. */
  findVersioned(filter: Filter, options?: FindOptions): Promise<VersionedDocument<T>[]>;
  count(filter?: Filter): Promise<number>;
  /** Deletes one record; resolves false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Deletes every matching record; resolves how many went. */
  deleteMany(filter: Filter): Promise<number>;
}

export interface DocumentStore {
  readonly kind: 'embedded' | 'mongodb';
  /**
   * Opens (and creates when missing) a collection, with the indexes it needs. Idempotent. Names match
   * `[A-Za-z][A-Za-z0-9_-]*`.
   */
  collection(name: string, indexes?: IndexSpec[]): Promise<Collection>;
  /**
   * Applies every op or none: readers never observe a partial batch, and a crash mid-way leaves either the old
   * or the new state once the store reopens.
   */
  applyAtomically(ops: WriteOp[]): Promise<void>;
  snapshot(): Promise<StoreSnapshot>;
  /** Resolves when the store answers; rejects otherwise (used by `/readyz`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A binary payload with its media type. */
export interface Blob {
  contentType: string;
  data: Buffer;
}

/**
 * Binaries, kept in step with the records naming them. A new blob starts *unclaimed*; the atomic batch that commits
 * the first record naming it carries `claim`, and the batch that drops its last reference carries `release`. The
 * sweep deletes blobs left unclaimed past a grace period: those of a write that failed, or of a process that died
 * between `put` and its commit. So no blob is orphaned for good, and none is missing behind a committed record.
 */
export interface BlobStore {
  /** Stores the bytes durably and returns a new opaque id. */
  put(blob: Blob): Promise<string>;
  /** `get` and `delete` reject ids that are not of the store's own format (never a path or a query). */
  get(id: string): Promise<Blob | undefined>;
  /** Deletes at once a blob whose write failed, or one a committed batch released. */
  delete(id: string): Promise<boolean>;
  /** Ops claiming new blobs; the batch fails with `VersionConflictError` when one was already swept. */
  claim(ids: readonly string[]): WriteOp[];
  /** Ops releasing blobs no record names any more; `delete` them once the batch has committed. */
  release(ids: readonly string[]): WriteOp[];
  /** Deletes up to `limit` blobs unclaimed since before `before`; resolves how many went. */
  sweep(before: Date, limit?: number): Promise<number>;
}

export interface Storage {
  documents: DocumentStore;
  blobs: BlobStore;
}

/**
 * A write refused because another writer got there first: `Store.change` runs the change again on fresh data, and
 * the HTTP layer answers 409 when it still fails.
 */
export class StoreConflictError extends Error {
  constructor(
    readonly collection: string,
    readonly id: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Raised by `insert` when the key (or a unique index value) already exists. */
export class DuplicateKeyError extends StoreConflictError {
  constructor(collection: string, id: string) {
    super(collection, id, `duplicate key ${id} in ${collection}`);
  }
}

/** Raised by a batch whose `expectedVersion` no longer holds: another writer changed the record meanwhile. */
export class VersionConflictError extends StoreConflictError {
  constructor(collection: string, id: string) {
    super(collection, id, `record ${id} in ${collection} changed concurrently`);
  }
}
