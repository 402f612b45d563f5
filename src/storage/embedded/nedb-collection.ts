/**
 * A `Collection` on one nedb datafile. Public methods hold the store's lock shared, so they never interleave with
 * an atomic batch; `stored` and `store` are the unlocked primitives a batch (which holds the lock exclusively)
 * builds on, with `withSequence`.
 *
 * nedb deep-copies documents on the way in and out, so callers can mutate what they pass or get; `withoutSeq` then
 * strips the hidden sequence number. Stored lines are `JSON.stringify` output, so key order, strings and numbers
 * read back exactly as JavaScript wrote them.
 */
import { type SequenceClock, type SequencedDocument, sortWithSeq, withoutSeq } from '../adapter-conventions.js';
import {
  type Collection,
  DuplicateKeyError,
  type Filter,
  type FindOptions,
  type IndexSpec,
  type StoredDocument,
} from '../document-store.port.js';
import { isUniqueViolation, type NedbDatastore } from './nedb-datastore.js';
import { toNedbQuery } from './nedb-query.js';
import type { ReadWriteLock } from './read-write-lock.js';

export class NedbCollection implements Collection {
  constructor(
    readonly name: string,
    readonly datastore: NedbDatastore,
    private readonly lock: ReadWriteLock,
    private readonly clock: SequenceClock,
  ) {}

  insert(doc: StoredDocument): Promise<void> {
    return this.lock.shared(async () => {
      await this.#unique(doc._id, () => this.datastore.insertAsync(this.withSequence(doc)));
    });
  }

  /** nedb inserts an array with one append, and none of it when one document breaks a unique index. */
  insertMany(docs: StoredDocument[]): Promise<void> {
    return this.lock.shared(async () => {
      if (docs.length === 0) return;
      await this.#unique(docs[0]?._id ?? '', () => this.datastore.insertAsync(docs.map((doc) => this.withSequence(doc))));
    });
  }

  /**
   * Reads the existing sequence number, then upserts. Two concurrent puts creating the same new id may both pick a
   * fresh number; the later write wins, which only decides where that record sorts.
   */
  put(doc: StoredDocument): Promise<void> {
    return this.lock.shared(async () => {
      const existing = await this.stored(doc._id);
      await this.store(doc._id, this.withSequence(doc, existing));
    });
  }

  replace(doc: StoredDocument): Promise<boolean> {
    return this.lock.shared(async () => {
      const existing = await this.stored(doc._id);
      if (existing === undefined) return false;
      const update = () => this.datastore.updateAsync({ _id: doc._id }, this.withSequence(doc, existing), {});
      const { numAffected } = await this.#unique(doc._id, update);
      return numAffected > 0;
    });
  }

  get(id: string): Promise<StoredDocument | undefined> {
    return this.lock.shared(async () => {
      const doc = await this.stored(id);
      return doc && withoutSeq(doc);
    });
  }

  find(filter: Filter, options: FindOptions = {}): Promise<StoredDocument[]> {
    return this.lock.shared(async () => {
      let cursor = this.datastore.findAsync(toNedbQuery(filter)).sort(sortWithSeq(options.sort));
      if (options.skip !== undefined) cursor = cursor.skip(options.skip);
      if (options.limit !== undefined) cursor = cursor.limit(options.limit);
      return (await cursor).map(withoutSeq);
    });
  }

  count(filter: Filter = {}): Promise<number> {
    return this.lock.shared(async () => await this.datastore.countAsync(toNedbQuery(filter)));
  }

  delete(id: string): Promise<boolean> {
    return this.lock.shared(async () => (await this.datastore.removeAsync({ _id: id }, {})) > 0);
  }

  deleteMany(filter: Filter): Promise<number> {
    return this.lock.shared(() => this.datastore.removeAsync(toNedbQuery(filter), { multi: true }));
  }

  /** nedb names a compound index by its sorted field names, so asking again for the same index is a no-op. */
  ensureIndex(spec: IndexSpec): Promise<void> {
    const fieldName = spec.fields.length === 1 ? (spec.fields[0] ?? '') : spec.fields;
    return this.datastore.ensureIndexAsync({ fieldName, unique: spec.unique === true });
  }

  /** The stored document, `_seq` included (unlocked). */
  async stored(id: string): Promise<SequencedDocument | undefined> {
    const [doc] = await this.datastore.findAsync({ _id: id });
    return doc as SequencedDocument | undefined;
  }

  /** Makes record `id` exactly `doc`, or absent when `doc` is null (unlocked, idempotent). */
  async store(id: string, doc: SequencedDocument | null): Promise<void> {
    if (doc === null) await this.datastore.removeAsync({ _id: id }, {});
    else await this.#unique(id, () => this.datastore.updateAsync({ _id: id }, doc, { upsert: true }));
  }

  /** The caller's document with the sequence number it keeps (when it exists) or a fresh one. */
  withSequence(doc: StoredDocument, existing?: SequencedDocument): SequencedDocument {
    return { ...doc, _seq: existing?._seq ?? this.clock.next() };
  }

  async #unique<T>(id: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      throw isUniqueViolation(error) ? new DuplicateKeyError(this.name, id) : error;
    }
  }
}
