/**
 * The default `DocumentStore`: one SQLite database file (better-sqlite3), in WAL mode. Writes go through one writer
 * connection in group commits (group-commit.ts), each made durable by an fsync of the WAL before it is acknowledged
 * (wal-sync.ts); reads use a second connection, which
 * WAL never makes wait for a writer; a snapshot is a read transaction on a connection of its own. Any number of
 * server processes may open the same file: SQLite's locks serialise their transactions, its constraints keep ids
 * and unique indexes unique, and record versions make read-modify-write safe (`expectedVersion`).
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { assertCollectionName } from '../adapter-conventions.js';
import type {
  Collection,
  DocumentStore,
  Filter,
  FindOptions,
  IndexSpec,
  StoredDocument,
  StoreSnapshot,
  VersionedDocument,
  WriteOp,
} from '../document-store.port.js';
import { matches } from './document-matcher.js';
import { indexPath } from './index-keys.js';
import type { IndexedPath } from './filter-plan.js';
import { GroupCommit } from './group-commit.js';
import { rankedIndexes, startRanking, stopRanking } from './ranks.js';
import { parseRecord, SqliteTables } from './sqlite-tables.js';
import { statement } from './statements.js';
import { SqliteWrites } from './sqlite-writes.js';
import { WalSync } from './wal-sync.js';

/** An index as `collection` asks for it: one field path (or a compound's key for uniqueness). */
interface WantedIndex {
  field: string;
  unique: boolean;
  ranked: boolean;
  retired: boolean;
}

/** How long a transaction waits for another process's write lock before failing. */
const BUSY_TIMEOUT_MS = 10_000;

export class SqliteDocumentStore implements DocumentStore {
  readonly kind = 'embedded';
  readonly #tables = new Map<string, SqliteWrites>();
  readonly #commits: GroupCommit;
  readonly #wal: WalSync;
  #closed = false;

  private constructor(
    readonly file: string,
    private readonly writer: Database.Database,
    private readonly reader: Database.Database,
  ) {
    const wal = new WalSync(`${file}-wal`);
    this.#wal = wal;
    this.#commits = new GroupCommit(writer, () => wal.sync());
  }

  static async open(file: string): Promise<SqliteDocumentStore> {
    const writer = connect(file, false);
    writer.pragma('journal_mode = WAL');
    // Commits write the WAL without syncing it; WalSync fsyncs it off the event loop before the answer.
    writer.pragma('synchronous = NORMAL');
    writer.exec('CREATE TABLE IF NOT EXISTS _indexes (collection TEXT, path TEXT, idx INTEGER, uniq INTEGER, PRIMARY KEY (collection, path))');
    return new SqliteDocumentStore(file, writer, connect(file, true));
  }

  async collection(name: string, indexes: IndexSpec[] = []): Promise<Collection> {
    assertCollectionName(name);
    if (name.endsWith('__keys') || name.endsWith('__ranks')) throw new RangeError(`invalid collection name: ${JSON.stringify(name)}`);
    const writes = this.#writes(name);
    // A compound index serves queries through one multikey index per field; a unique one also gets its compound key.
    const wanted: WantedIndex[] = indexes.flatMap((spec) => {
      const whole = { field: indexPath(spec.fields), unique: spec.unique === true, ranked: spec.ranked === true && spec.fields.length === 1 };
      if (spec.retired) return [{ ...whole, retired: true }];
      return [
        ...(spec.fields.length > 1 ? spec.fields.map((field) => ({ field, unique: false, ranked: false, retired: false })) : []),
        ...(spec.fields.length === 1 || spec.unique ? [{ ...whole, retired: false }] : []),
      ];
    });
    const missing = ({ field, ranked, retired }: WantedIndex) => {
      const known = writes.tables.indexes.get(field);
      return retired ? known !== undefined : known === undefined || (ranked && !known.ranked);
    };
    if (wanted.some(missing)) {
      await this.#commits.submit(() => this.#addIndexes(writes, wanted));
    }
    return new SqliteCollection(writes, this.reader, this.#commits);
  }

  async applyAtomically(ops: WriteOp[]): Promise<void> {
    if (ops.length === 0) return;
    const targets = ops.map((op) => this.#writes(op.collection));
    await this.#commits.submit(() => {
      ops.forEach((op, i) => {
        const writes = targets[i] as SqliteWrites;
        if (op.op === 'insert') writes.insert(op.doc);
        else if (op.op === 'put') writes.put(op.doc, op.expectedVersion);
        else writes.delete(op.id, op.expectedVersion);
      });
    });
  }

  async snapshot(): Promise<StoreSnapshot> {
    const db = connect(this.file, true);
    db.exec('BEGIN');
    // The snapshot starts at the first read, not at BEGIN.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    const tablesOf = (collection: string) => {
      assertCollectionName(collection);
      const exists = statement(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(collection);
      return exists ? (this.#tables.get(collection)?.tables ?? new SqliteTables(collection)) : undefined;
    };
    return {
      get: async (collection, id) => tablesOf(collection)?.get(db, id),
      find: async (collection, filter, options) => tablesOf(collection)?.find(db, filter, options) ?? [],
      close: async () => {
        if (db.open) db.close();
      },
    };
  }

  async ping(): Promise<void> {
    this.reader.prepare('SELECT 1').get();
    await access(path.dirname(this.file), constants.W_OK);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#commits.drain();
    await this.#wal.close();
    this.reader.close();
    this.writer.close();
  }

  /** The query plan of a find on `collection`, for the tests that check the indexes are used. */
  explain(collection: string, filter: Filter): string[] {
    return this.#writes(collection).tables.explain(this.reader, filter);
  }

  #writes(name: string): SqliteWrites {
    assertCollectionName(name);
    let writes = this.#tables.get(name);
    if (writes === undefined) {
      const tables = new SqliteTables(name);
      tables.create(this.writer);
      loadIndexes(this.writer, tables);
      writes = new SqliteWrites(this.writer, tables);
      this.#tables.set(name, writes);
    }
    return writes;
  }

  /**
   * Numbers new indexes and fills their keys, and counts the keys of newly ranked ones (ranks.ts); indexes another
   * process declared are kept in step too.
   */
  #addIndexes(writes: SqliteWrites, wanted: WantedIndex[]): void {
    const { tables } = writes;
    loadIndexes(this.writer, tables);
    for (const { field, unique, ranked, retired } of wanted) {
      const known = tables.indexes.get(field);
      if (retired) {
        if (known !== undefined) this.#drop(tables, field, known);
        continue;
      }
      if (known !== undefined) {
        if (ranked && !known.ranked) this.#rank(tables, known);
        continue;
      }
      const { next } = statement(this.writer, 'SELECT coalesce(max(idx), -1) + 1 AS next FROM _indexes WHERE collection = ?').get(
        tables.name,
      ) as { next: number };
      statement(this.writer, 'INSERT INTO _indexes (collection, path, idx, uniq) VALUES (?, ?, ?, ?)').run(
        tables.name,
        field,
        next,
        unique ? 1 : 0,
      );
      const index = { idx: next, unique, ranked: false };
      tables.indexes.set(field, index);
      writes.backfill(field);
      if (ranked) this.#rank(tables, index);
    }
  }

  /** Its keys go; a process that loaded it before keeps writing keys for it until it reopens (they cost, never answer). */
  #drop(tables: SqliteTables, field: string, index: IndexedPath): void {
    if (index.ranked) stopRanking(this.writer, tables, index.idx);
    statement(this.writer, `DELETE FROM ${tables.keys} WHERE idx = ?`).run(index.idx);
    statement(this.writer, 'DELETE FROM _indexes WHERE collection = ? AND path = ?').run(tables.name, field);
    tables.indexes.delete(field);
  }

  #rank(tables: SqliteTables, index: IndexedPath): void {
    startRanking(this.writer, tables, index.idx);
    index.ranked = true;
  }
}

function loadIndexes(db: Database.Database, tables: SqliteTables): void {
  const rows = statement(db, 'SELECT path, idx, uniq FROM _indexes WHERE collection = ?').all(tables.name) as {
    path: string;
    idx: number;
    uniq: number;
  }[];
  for (const row of rows) tables.indexes.set(row.path, { idx: row.idx, unique: row.uniq === 1, ranked: false });
  const ranked = rankedIndexes(db, tables);
  for (const index of tables.indexes.values()) index.ranked = ranked.has(index.idx);
}

function connect(file: string, readonly: boolean): Database.Database {
  const db = new Database(file, { fileMustExist: readonly });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('cache_size = -65536');
  // Parsed filters are cached by their JSON text: the same filter is asked of every candidate row.
  const parsed = new Map<string, Filter>();
  db.function('matches', { deterministic: true }, (doc, filter) => {
    const text = String(filter);
    let compiled = parsed.get(text);
    if (compiled === undefined) {
      if (parsed.size > 1000) parsed.clear();
      compiled = JSON.parse(text) as Filter;
      parsed.set(text, compiled);
    }
    return matches(JSON.parse(String(doc)), compiled) ? 1 : 0;
  });
  return db;
}

class SqliteCollection implements Collection {
  constructor(
    private readonly writes: SqliteWrites,
    private readonly reader: Database.Database,
    private readonly commits: GroupCommit,
  ) {}

  insert(doc: StoredDocument): Promise<void> {
    return this.commits.submit(() => this.writes.insert(doc));
  }

  insertMany(docs: StoredDocument[]): Promise<void> {
    return this.commits.submit(() => {
      for (const doc of docs) this.writes.insert(doc);
    });
  }

  put(doc: StoredDocument): Promise<void> {
    return this.commits.submit(() => this.writes.put(doc));
  }

  replace(doc: StoredDocument): Promise<boolean> {
    return this.commits.submit(() => this.writes.replace(doc));
  }

  async get(id: string): Promise<StoredDocument | undefined> {
    return this.writes.tables.get(this.reader, id);
  }

  async getVersioned(id: string): Promise<VersionedDocument | undefined> {
    const { table, name } = this.writes.tables;
    const row = statement(this.reader, `SELECT doc, version FROM ${table} WHERE id = ?`).get(id) as
      | { doc: string; version: number }
      | undefined;
    return row && { doc: parseRecord(name, id, row.doc), version: row.version };
  }

  async find(filter: Filter, options?: FindOptions): Promise<StoredDocument[]> {
    return this.writes.tables.find(this.reader, filter, options);
  }

  async findVersioned(filter: Filter, options?: FindOptions): Promise<VersionedDocument[]> {
    return this.writes.tables.findVersioned(this.reader, filter, options);
  }

  async count(filter?: Filter): Promise<number> {
    return this.writes.tables.count(this.reader, filter);
  }

  delete(id: string): Promise<boolean> {
    return this.commits.submit(() => this.writes.delete(id));
  }

  deleteMany(filter: Filter): Promise<number> {
    return this.commits.submit(() => this.writes.deleteMany(filter));
  }
}
