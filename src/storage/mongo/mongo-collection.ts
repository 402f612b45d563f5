/**
 * A `Collection` on a MongoDB collection. Filters are passed through as they are (the port's `Filter` is MongoDB's
 * query language); documents carry the hidden `_seq` like the embedded store, written with update pipelines so that
 * replacing a record keeps its number.
 */
import { type ClientSession, type Collection as DriverCollection, type Filter as DriverFilter, MongoServerError } from 'mongodb';
import { type SequenceClock, SEQ_FIELD, sortWithSeq, VERSION_FIELD, withoutSeq } from '../adapter-conventions.js';
import {
  type Collection,
  DuplicateKeyError,
  type Filter,
  type FindOptions,
  type StoredDocument,
  type VersionedDocument,
  VersionConflictError,
} from '../document-store.port.js';

/** `_id` is the caller's string, so the driver's ObjectId default does not apply. */
export type RawCollection = DriverCollection<StoredDocument>;

/**
 * Writes `doc` in place of record `doc._id` (creating it when `upsert`), keeping the existing `_seq` or else taking
 * `seq`, and counting the version up. `$literal` stops the server from reading the caller's values as expressions
 * (a string such as "$x"). With `expectedVersion`, only a record still at that version is written.
 */
export async function replaceKeepingSeq(
  raw: RawCollection,
  doc: StoredDocument,
  options: { seq: number; upsert: boolean; session?: ClientSession; expectedVersion?: number },
): Promise<boolean> {
  const seq = { $ifNull: [`$${SEQ_FIELD}`, options.seq] };
  const version = { $add: [{ $ifNull: [`$${VERSION_FIELD}`, 0] }, 1] };
  const pipeline = [{ $replaceWith: { $mergeObjects: [{ $literal: doc }, { [SEQ_FIELD]: seq, [VERSION_FIELD]: version }] } }];
  const filter = atVersion(doc._id, options.expectedVersion);
  const upsert = options.upsert && options.expectedVersion === undefined;
  const result = await raw.updateOne(filter, pipeline, { upsert, session: options.session });
  const written = result.matchedCount + result.upsertedCount > 0;
  if (!written && options.expectedVersion !== undefined) throw new VersionConflictError(raw.collectionName, doc._id);
  return written;
}

/** Record `id`, only at `expectedVersion` when given; records written before versions existed count as version 1. */
export function atVersion(id: string, expectedVersion: number | undefined): DriverFilter<StoredDocument> {
  if (expectedVersion === undefined) return { _id: id };
  if (expectedVersion !== 1) return { _id: id, [VERSION_FIELD]: expectedVersion };
  return { _id: id, $or: [{ [VERSION_FIELD]: 1 }, { [VERSION_FIELD]: { $exists: false } }] };
}

/** A new record: version 1, a fresh sequence number. */
export function sequenced(doc: StoredDocument, seq: number): StoredDocument {
  return { ...doc, [SEQ_FIELD]: seq, [VERSION_FIELD]: 1 };
}

/** MongoDB reports a duplicate `_id` or unique-index violation as server error 11000. */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

export class MongoCollection implements Collection {
  constructor(
    readonly name: string,
    private readonly raw: RawCollection,
    private readonly clock: SequenceClock,
  ) {}

  async insert(doc: StoredDocument): Promise<void> {
    await this.#unique(doc._id, () => this.raw.insertOne(sequenced(doc, this.clock.next())));
  }

  async insertMany(docs: StoredDocument[]): Promise<void> {
    if (docs.length === 0) return;
    const fresh = docs.map((doc) => sequenced(doc, this.clock.next()));
    await this.#unique(docs[0]?._id ?? '', () => this.raw.insertMany(fresh, { ordered: true }));
  }

  async put(doc: StoredDocument): Promise<void> {
    await this.#unique(doc._id, () => replaceKeepingSeq(this.raw, doc, { seq: this.clock.next(), upsert: true }));
  }

  replace(doc: StoredDocument): Promise<boolean> {
    return this.#unique(doc._id, () => replaceKeepingSeq(this.raw, doc, { seq: this.clock.next(), upsert: false }));
  }

  async get(id: string): Promise<StoredDocument | undefined> {
    const doc = await this.raw.findOne({ _id: id });
    return doc === null ? undefined : withoutSeq(doc);
  }

  async getVersioned(id: string): Promise<VersionedDocument | undefined> {
    const doc = await this.raw.findOne({ _id: id });
    if (doc === null) return undefined;
    return { doc: withoutSeq(doc), version: Number(doc[VERSION_FIELD] ?? 1) };
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<StoredDocument[]> {
    return (await this.#found(filter, options)).map(withoutSeq);
  }

  async findVersioned(filter: Filter, options: FindOptions = {}): Promise<VersionedDocument[]> {
    return (await this.#found(filter, options)).map((doc) => ({ doc: withoutSeq(doc), version: Number(doc[VERSION_FIELD] ?? 1) }));
  }

  #found(filter: Filter, options: FindOptions): Promise<StoredDocument[]> {
    let cursor = this.raw.find(toDriverFilter(filter)).sort(sortWithSeq(options.sort));
    if (options.skip !== undefined) cursor = cursor.skip(options.skip);
    if (options.limit !== undefined) cursor = cursor.limit(options.limit);
    return cursor.toArray();
  }

  count(filter: Filter = {}): Promise<number> {
    return this.raw.countDocuments(toDriverFilter(filter));
  }

  async delete(id: string): Promise<boolean> {
    return (await this.raw.deleteOne({ _id: id })).deletedCount > 0;
  }

  async deleteMany(filter: Filter): Promise<number> {
    return (await this.raw.deleteMany(toDriverFilter(filter))).deletedCount;
  }

  async #unique<T>(id: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      throw isDuplicateKey(error) ? new DuplicateKeyError(this.name, id) : error;
    }
  }
}

/** The port's filter is MongoDB's query language; only the static types differ. */
export function toDriverFilter(filter: Filter): DriverFilter<StoredDocument> {
  return filter as DriverFilter<StoredDocument>;
}
