/**
 * A typed handle on one collection, made by `Store.records(spec)`. Reads give ready records: member names decoded,
 * binaries back in place. Writes give operations, which `Store.commit` applies together, all or nothing.
 */
import {
  type BlobStore,
  type Collection,
  type Filter,
  type FindOptions,
  type StoredDocument,
  type StoredRecord,
  VersionConflictError,
  type VersionedDocument,
} from './document-store.port.js';
import { binarySlots, INLINE_LIMIT, type RecordSpec } from './record-spec.js';
import { decodeKeys, encodeKeys } from './stored-keys.js';

/** A record with the version it was read at: the proof a write at that version needs. */
export interface Versioned<T> {
  readonly record: T;
  readonly version: number;
}

/** One write of a commit. Only handles make them, so every write goes through a spec's encoding. */
export type Operation =
  | { readonly kind: 'insert'; readonly records: Records<StoredRecord>; readonly record: StoredRecord }
  | { readonly kind: 'put'; readonly records: Records<StoredRecord>; readonly record: StoredRecord; readonly read?: Versioned<unknown> }
  | { readonly kind: 'delete'; readonly records: Records<StoredRecord>; readonly id: string; readonly read?: Versioned<unknown> };

/** How a binary that left the record is kept in it; `bytes` marks a Buffer (a string otherwise). */
interface BlobRef {
  blobRef: string;
  bytes?: true;
}

const TEXT = 'text/plain; charset=utf-8';
const BYTES = 'application/octet-stream';

const isBlobRef = (value: unknown): value is BlobRef =>
  typeof value === 'object' && value !== null && typeof (value as BlobRef).blobRef === 'string';

/** The blobs a version of a record named, by their content (strings): what a write of the same content may keep. */
const blobsRead = new WeakMap<Versioned<unknown>, Map<string, string | Buffer>>();

/** The blob ids a read version named, and their content. */
export function blobsOf(read: Versioned<unknown>): ReadonlyMap<string, string | Buffer> {
  return blobsRead.get(read) ?? new Map();
}

/** Blob writes of one commit: ids it may keep (content read in this commit) and ids it wrote. */
export interface BlobLedger {
  /** Content → id of a blob read in this commit; each is kept at most once. */
  keep: Map<string, string>;
  added: string[];
  kept: Set<string>;
}

export class Records<T extends StoredRecord> {
  constructor(
    readonly spec: RecordSpec<T>,
    readonly collection: Collection,
    private readonly blobs: BlobStore,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  async get(id: string): Promise<T | undefined> {
    const doc = await this.collection.get(id);
    return doc && this.fromStored(doc);
  }

  async getVersioned(id: string): Promise<Versioned<T> | undefined> {
    const found = await this.collection.getVersioned(id);
    return found && this.#versioned(found);
  }

  async find(filter: Filter, options?: FindOptions): Promise<T[]> {
    const docs = await this.collection.find(filter, options);
    return Promise.all(docs.map((doc) => this.fromStored(doc)));
  }

  async findVersioned(filter: Filter, options?: FindOptions): Promise<Versioned<T>[]> {
    return Promise.all((await this.collection.findVersioned(filter, options)).map((found) => this.#versioned(found)));
  }

  /** Only the members named (top level), without reading any binary: for lists and searches. */
  async select<K extends keyof T & string>(filter: Filter, fields: readonly K[], options?: FindOptions): Promise<Pick<T, K>[]> {
    const docs = await this.collection.find(filter, options);
    return Promise.all(
      docs.map(async (doc) => {
        const picked = Object.fromEntries(fields.filter((field) => field in doc).map((field) => [field, doc[field]]));
        return (await this.#ready(picked, doc._id)).record as Pick<T, K>;
      }),
    );
  }

  count(filter?: Filter): Promise<number> {
    return this.collection.count(filter);
  }

  /** A new record: the commit fails with a conflict when its id (or a unique value) is taken. */
  insert(record: T): Operation {
    return { kind: 'insert', records: this, record };
  }

  /**
   * Writes `record` in place of the version read (a conflict if it changed meanwhile); without `read`, creates or
   * replaces whatever is there (records without binaries only: their old blobs would be unknown).
   */
  put(record: T, read?: Versioned<T>): Operation {
    this.#checkRead(read);
    return { kind: 'put', records: this, record, ...(read ? { read } : {}) };
  }

  /** Deletes the version read (a conflict if it changed meanwhile), or by id whatever is there. */
  delete(target: Versioned<T> | string): Operation {
    if (typeof target === 'string') {
      this.#checkRead(undefined);
      return { kind: 'delete', records: this, id: target };
    }
    return { kind: 'delete', records: this, id: target.record._id, read: target };
  }

  /**
   * The document to store for `record`: binaries out (a content read in this commit keeps its blob, anything else
   * goes to a new blob, recorded in `ledger.added`), member names encoded.
   */
  async stored(record: T, ledger: BlobLedger): Promise<StoredDocument> {
    const { binaries = [], encodedKeys } = this.spec;
    // The caller's record is copied only when binaries are moved out of it; otherwise it is stored as it is.
    const copy = (binaries.length > 0 ? structuredClone(record) : record) as StoredDocument;
    for (const [holder, member] of binarySlots(copy, binaries)) {
      const value = holder[member];
      // structuredClone turned a Buffer into a plain Uint8Array.
      const bytes = value instanceof Uint8Array;
      if (!bytes && (typeof value !== 'string' || value.length <= INLINE_LIMIT)) continue;
      const kept = bytes ? undefined : ledger.keep.get(value as string);
      if (kept !== undefined) {
        ledger.keep.delete(value as string);
        ledger.kept.add(kept);
      }
      const blobRef =
        kept ??
        (await this.blobs.put({ contentType: bytes ? BYTES : TEXT, data: bytes ? Buffer.from(value as Uint8Array) : Buffer.from(value as string, 'utf8') }));
      if (kept === undefined) ledger.added.push(blobRef);
      holder[member] = bytes ? { blobRef, bytes: true } : { blobRef };
    }
    return (encodedKeys ? encodeKeys(copy) : copy) as StoredDocument;
  }

  /** The record a stored document holds (read elsewhere, e.g. from a snapshot). */
  async fromStored(doc: StoredDocument): Promise<T> {
    return (await this.#ready(doc)).record;
  }

  async #versioned(found: VersionedDocument): Promise<Versioned<T>> {
    const { record, blobs } = await this.#ready(found.doc);
    const versioned = { record, version: found.version };
    blobsRead.set(versioned, blobs);
    return versioned;
  }

  /** The record as the domain sees it, and the blobs it named. */
  async #ready(doc: Record<string, unknown>, id = String(doc._id)): Promise<{ record: T; blobs: Map<string, string | Buffer> }> {
    const { binaries = [], encodedKeys, formerBlobIds = {} } = this.spec;
    // The adapter parsed the document for this read alone: it is ours to fill in.
    const record = encodedKeys ? decodeKeys(doc) : doc;
    for (const [former, member] of Object.entries(formerBlobIds)) {
      const blobRef = record[former];
      if (typeof blobRef !== 'string') continue;
      delete record[former];
      record[member] = { blobRef, bytes: true } satisfies BlobRef;
    }
    const blobs = new Map<string, string | Buffer>();
    for (const [holder, member] of binarySlots(record, binaries)) {
      const ref = holder[member];
      if (!isBlobRef(ref)) continue;
      const blob = await this.blobs.get(ref.blobRef);
      // A writer deletes the blobs it released once its commit is done: this record was replaced since it was read.
      if (!blob) throw new VersionConflictError(this.spec.name, id);
      const value = ref.bytes ? blob.data : blob.data.toString('utf8');
      blobs.set(ref.blobRef, value);
      holder[member] = value;
    }
    return { record: record as T, blobs };
  }

  /** Records with binaries are replaced and deleted only at a version read: its blobs must be released. */
  #checkRead(read: Versioned<T> | undefined): void {
    if (read === undefined && (this.spec.binaries?.length ?? 0) > 0) {
      throw new Error(`${this.spec.name}: records with binaries are replaced or deleted at the version read`);
    }
  }

}
