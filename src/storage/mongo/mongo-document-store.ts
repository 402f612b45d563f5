/**
 * `DocumentStore` on MongoDB. Atomic batches are multi-document transactions, which MongoDB only offers on a
 * replica set (or a sharded cluster): the project's docker-compose therefore starts MongoDB as a single-node replica
 * set. Once a transaction commits, all of its writes become visible to other readers at once, so no reader observes
 * a partial batch.
 */
import { type ClientSession, type Db, type MongoClient, MongoServerError } from 'mongodb';
import { assertCollectionName, SEQ_FIELD, SequenceClock } from '../adapter-conventions.js';
import {
  type Collection,
  type DocumentStore,
  DuplicateKeyError,
  type IndexSpec,
  type StoreSnapshot,
  VersionConflictError,
  type WriteOp,
} from '../document-store.port.js';
import { sortWithSeq, withoutSeq } from '../adapter-conventions.js';
import { atVersion, isDuplicateKey, MongoCollection, type RawCollection, replaceKeepingSeq, sequenced, toDriverFilter } from './mongo-collection.js';

/** Server error "IllegalOperation": what a standalone server answers to a transaction. */
const ILLEGAL_OPERATION = 20;

export class MongoDocumentStore implements DocumentStore {
  readonly kind = 'mongodb';
  readonly #clock = new SequenceClock();

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /** Creates the indexes (idempotent on the server) and lets the sequence clock catch up with stored records. */
  async collection(name: string, indexes: IndexSpec[] = []): Promise<Collection> {
    const raw = this.#raw(name);
    await raw.createIndex({ [SEQ_FIELD]: 1 });
    for (const spec of indexes) {
      const keys = Object.fromEntries(spec.fields.map((field) => [field, 1 as const]));
      if (spec.retired) await dropIndexIfAny(raw, keys);
      else await raw.createIndex(keys, { unique: spec.unique === true });
    }
    const [last] = await raw.find({}, { projection: { [SEQ_FIELD]: 1 } }).sort({ [SEQ_FIELD]: -1 }).limit(1).toArray();
    this.#clock.observe(last?.[SEQ_FIELD]);
    return new MongoCollection(name, raw, this.#clock);
  }

  async applyAtomically(ops: WriteOp[]): Promise<void> {
    if (ops.length === 0) return;
    // Numbered once, outside the transaction, so a retried transaction writes the same numbers.
    const writes = ops.map((op) => ({ op, raw: this.#raw(op.collection), seq: this.#clock.next() }));
    const session = this.client.startSession();
    let current: WriteOp | undefined;
    try {
      await session.withTransaction(
        async () => {
          for (const { op, raw, seq } of writes) {
            current = op;
            await write(raw, op, seq, session);
          }
        },
        { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } },
      );
    } catch (error) {
      throw explainBatchError(error, current);
    } finally {
      await session.endSession();
    }
  }

  /** A snapshot session: every read in it sees the data as of the session's first read. */
  async snapshot(): Promise<StoreSnapshot> {
    const session = this.client.startSession({ snapshot: true });
    return {
      get: async (collection, id) => {
        const doc = await this.#raw(collection).findOne({ _id: id }, { session });
        return doc === null ? undefined : withoutSeq(doc);
      },
      find: async (collection, filter, options = {}) => {
        let cursor = this.#raw(collection).find(toDriverFilter(filter), { session }).sort(sortWithSeq(options.sort));
        if (options.skip !== undefined) cursor = cursor.skip(options.skip);
        if (options.limit !== undefined) cursor = cursor.limit(options.limit);
        return (await cursor.toArray()).map(withoutSeq);
      },
      close: () => session.endSession(),
    };
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  close(): Promise<void> {
    return this.client.close();
  }

  #raw(name: string): RawCollection {
    assertCollectionName(name);
    return this.db.collection(name);
  }
}

/** An `insert` of an existing id fails with the server's duplicate-key error, which aborts the transaction. */
async function write(raw: RawCollection, op: WriteOp, seq: number, session: ClientSession): Promise<void> {
  if (op.op === 'insert') await raw.insertOne(sequenced(op.doc, seq), { session });
  else if (op.op === 'put') await replaceKeepingSeq(raw, op.doc, { seq, upsert: true, session, expectedVersion: op.expectedVersion });
  else {
    const { deletedCount } = await raw.deleteOne(atVersion(op.id, op.expectedVersion), { session });
    if (deletedCount === 0 && op.expectedVersion !== undefined) throw new VersionConflictError(op.collection, op.id);
  }
}

function explainBatchError(error: unknown, op: WriteOp | undefined): unknown {
  if (isDuplicateKey(error) && op !== undefined) {
    return new DuplicateKeyError(op.collection, op.op === 'delete' ? op.id : op.doc._id);
  }
  if (error instanceof MongoServerError && error.code === ILLEGAL_OPERATION) {
    return new Error(
      'MongoDB refused a transaction: atomic batches need a replica set (a standalone server cannot run ' +
        'transactions). Run mongod with --replSet and rs.initiate() it, as docker-compose does, and connect to it.',
      { cause: error },
    );
  }
  return error;
}

/** Drops the index on exactly these keys when the collection has one (untested: no MongoDB server where it was written). */
async function dropIndexIfAny(raw: RawCollection, keys: Record<string, 1>): Promise<void> {
  const wanted = JSON.stringify(keys);
  for (const index of await raw.listIndexes().toArray()) {
    if (JSON.stringify(index.key) === wanted) await raw.dropIndex(String(index.name));
  }
}
