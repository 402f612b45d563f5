/**
 * The SQL of one collection, on any connection to the database (the writer, the reader, a snapshot). Records live
 * in `"<name>"(seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE, version, doc)`: `seq` is insertion order
 * (an upsert keeps it, AUTOINCREMENT never reuses it), `doc` the record's JSON text as `JSON.stringify` wrote it, so
 * key order and values read back exactly. Index keys live beside it (index-keys.ts).
 */
import type Database from 'better-sqlite3';
import type { Filter, FindOptions, StoredDocument } from '../document-store.port.js';
import { planFilter, type IndexedPath } from './filter-plan.js';

export const quote = (name: string) => `"${name}"`;

/** A record whose JSON cannot be read names itself, and only the read that meets it fails. */
export function parseRecord(collection: string, id: string, text: string): StoredDocument {
  try {
    return JSON.parse(text) as StoredDocument;
  } catch (error) {
    throw new Error(`unreadable record ${JSON.stringify(id)} in collection ${collection}`, { cause: error });
  }
}

export class SqliteTables {
  readonly table: string;
  readonly keys: string;
  /** Indexed path → index number; shared by every connection's view of the collection. */
  readonly indexes = new Map<string, IndexedPath>();

  constructor(readonly name: string) {
    this.table = quote(name);
    this.keys = quote(`${name}__keys`);
  }

  /** Creates the tables when missing (on the writer connection). */
  create(db: Database.Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${this.table} (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, version INTEGER NOT NULL, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS ${this.keys} (
        idx INTEGER NOT NULL, t INTEGER NOT NULL, v NOT NULL, seq INTEGER NOT NULL, u INTEGER NOT NULL,
        PRIMARY KEY (idx, t, v, seq)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS ${quote(`${this.name}__keys_seq`)} ON ${this.keys} (seq, idx);
      CREATE UNIQUE INDEX IF NOT EXISTS ${quote(`${this.name}__keys_unique`)} ON ${this.keys} (idx, t, v) WHERE u = 1;
      CREATE TRIGGER IF NOT EXISTS ${quote(`${this.name}__drop_keys`)} AFTER DELETE ON ${this.table}
        BEGIN DELETE FROM ${this.keys} WHERE seq = old.seq; END;
    `);
  }

  get(db: Database.Database, id: string): StoredDocument | undefined {
    const row = statement(db, `SELECT doc FROM ${this.table} WHERE id = ?`).get(id) as { doc: string } | undefined;
    return row && parseRecord(this.name, id, row.doc);
  }

  find(db: Database.Database, filter: Filter, options: FindOptions = {}): StoredDocument[] {
    const plan = planFilter(this.table, this.keys, this.indexes, filter);
    const order = [...Object.entries(options.sort ?? {}).map(([path, dir]) => `${jsonPath(path)} ${dir === -1 ? 'DESC' : 'ASC'}`), plan.seq];
    // A limit of 0 reads as "no limit", as in MongoDB.
    const sql = `SELECT t.id, t.doc FROM ${plan.from} WHERE ${plan.where} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`;
    const rows = statement(db, sql).all(...plan.params, options.limit || -1, options.skip ?? 0) as { id: string; doc: string }[];
    return rows.map((row) => parseRecord(this.name, row.id, row.doc));
  }

  count(db: Database.Database, filter: Filter = {}): number {
    const plan = planFilter(this.table, this.keys, this.indexes, filter);
    const row = statement(db, `SELECT count(*) AS n FROM ${plan.from} WHERE ${plan.where}`).get(...plan.params) as { n: number };
    return row.n;
  }

  /** The query plan SQLite picks for a find (for tests that check indexes are used). */
  explain(db: Database.Database, filter: Filter): string[] {
    const plan = planFilter(this.table, this.keys, this.indexes, filter);
    const sql = `EXPLAIN QUERY PLAN SELECT t.id, t.doc FROM ${plan.from} WHERE ${plan.where} ORDER BY ${plan.seq} LIMIT 10`;
    return (db.prepare(sql).all(...plan.params) as { detail: string }[]).map((row) => row.detail);
  }
}

/** `json_extract` path for a dotted field path; each member name is quoted. */
function jsonPath(path: string): string {
  if (path.includes('"') || path.includes("'")) throw new RangeError(`unsupported sort path ${JSON.stringify(path)}`);
  return `json_extract(t.doc, '$.${path
    .split('.')
    .map((part) => `"${part}"`)
    .join('.')}')`;
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** Prepared statements are cached per connection: planning the same SQL again costs more than running it. */
export function statement(db: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (cache === undefined) {
    cache = new Map();
    statements.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (prepared === undefined) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}
