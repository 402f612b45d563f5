/**
 * The SQL of one collection, on any connection to the database (the writer, the reader, a snapshot). Records live
 * in `"<name>"(seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE, version, doc)`: `seq` is insertion order
 * (an upsert keeps it, AUTOINCREMENT never reuses it), `doc` the record's JSON text as `JSON.stringify` wrote it, so
 * key order and values read back exactly. Index keys live beside it (index-keys.ts).
 */
import type Database from 'better-sqlite3';
import type { Filter, FindOptions, StoredDocument, VersionedDocument } from '../document-store.port.js';
import { planFilter, type IndexedPath } from './filter-plan.js';
import { rankedCountSql, rankedPageParams, rankedPageSql } from './ranks.js';
import { quote, statement } from './statements.js';

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
    return this.findVersioned(db, filter, options).map(({ doc }) => doc);
  }

  findVersioned(db: Database.Database, filter: Filter, options: FindOptions = {}): VersionedDocument[] {
    const { sql, params } = this.#findSql(filter, options);
    const rows = statement(db, sql).all(...params) as { id: string; doc: string; version: number }[];
    return rows.map((row) => ({ doc: parseRecord(this.name, row.id, row.doc), version: row.version }));
  }

  /**
   * When one key equality is the whole filter, the page is cut on the keys' primary key alone and only its records
   * are read: an offset deep into a gallery of a million members steps over index entries, not over records.
   */
  #findSql(filter: Filter, options: FindOptions): { sql: string; params: unknown[] } {
    const plan = planFilter(this.table, this.keys, this.indexes, filter);
    // A limit of 0 reads as "no limit", as in MongoDB.
    const paging = [options.limit || -1, options.skip ?? 0];
    if (plan.keysOnly && options.sort === undefined) {
      // A deep page of a ranked index starts from the counted block holding its first record (ranks.ts).
      const skip = options.skip ?? 0;
      const ranked = plan.keysOnly.ranked && skip > 0;
      const page = ranked
        ? rankedPageSql(this)
        : `SELECT k.seq FROM ${this.keys} k WHERE ${plan.keysOnly.where} ORDER BY k.seq LIMIT ? OFFSET ?`;
      const sql = `SELECT t.id, t.doc, t.version FROM (${page}) p JOIN ${this.table} t ON t.seq = p.seq ORDER BY p.seq`;
      const params = ranked ? rankedPageParams(plan.keysOnly.params, skip, options.limit || -1) : [...plan.keysOnly.params, ...paging];
      return { sql, params };
    }
    const order = [...Object.entries(options.sort ?? {}).map(([path, dir]) => `${jsonPath(path)} ${dir === -1 ? 'DESC' : 'ASC'}`), plan.seq];
    const sql = `SELECT t.id, t.doc, t.version FROM ${plan.from} WHERE ${plan.where} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`;
    return { sql, params: [...plan.params, ...paging] };
  }

  count(db: Database.Database, filter: Filter = {}): number {
    const plan = planFilter(this.table, this.keys, this.indexes, filter);
    const row = (
      plan.keysOnly?.ranked
        ? statement(db, rankedCountSql(this)).get(...plan.keysOnly.params)
        : statement(db, `SELECT count(*) AS n FROM ${plan.from} WHERE ${plan.where}`).get(...plan.params)
    ) as { n: number };
    return row.n;
  }

  /** The query plan SQLite picks for a find of one page (for tests that check indexes are used). */
  explain(db: Database.Database, filter: Filter): string[] {
    const { sql, params } = this.#findSql(filter, { skip: 10, limit: 10 });
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail);
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
