/**
 * The writes of one collection, run on the writer connection inside a transaction (see group-commit.ts). Each one
 * keeps the record's index keys in step; constraint failures become the port's errors.
 */
import type Database from 'better-sqlite3';
import { DuplicateKeyError, type Filter, type StoredDocument, VersionConflictError } from '../document-store.port.js';
import { keysAt } from './index-keys.js';
import type { SqliteTables } from './sqlite-tables.js';
import { statement } from './statements.js';

export class SqliteWrites {
  constructor(
    private readonly db: Database.Database,
    readonly tables: SqliteTables,
  ) {}

  insert(doc: StoredDocument): void {
    const { seq } = this.#unique(doc._id, () =>
      statement(this.db, `INSERT INTO ${this.tables.table} (id, version, doc) VALUES (?, 1, ?) RETURNING seq`).get(
        doc._id,
        serialize(doc),
      ),
    ) as { seq: number };
    this.#index(seq, doc, false);
  }

  /** Creates or replaces (keeping the record's place); with `expectedVersion`, only a record still at that version. */
  put(doc: StoredDocument, expectedVersion?: number): void {
    const { table } = this.tables;
    const row =
      expectedVersion === undefined
        ? statement(
            this.db,
            `INSERT INTO ${table} (id, version, doc) VALUES (?, 1, ?)
             ON CONFLICT (id) DO UPDATE SET version = version + 1, doc = excluded.doc RETURNING seq`,
          ).get(doc._id, serialize(doc))
        : statement(this.db, `UPDATE ${table} SET version = version + 1, doc = ? WHERE id = ? AND version = ? RETURNING seq`).get(
            serialize(doc),
            doc._id,
            expectedVersion,
          );
    if (row === undefined) throw new VersionConflictError(this.tables.name, doc._id);
    this.#index((row as { seq: number }).seq, doc, true);
  }

  replace(doc: StoredDocument): boolean {
    const row = statement(this.db, `UPDATE ${this.tables.table} SET version = version + 1, doc = ? WHERE id = ? RETURNING seq`).get(
      serialize(doc),
      doc._id,
    ) as { seq: number } | undefined;
    if (row !== undefined) this.#index(row.seq, doc, true);
    return row !== undefined;
  }

  delete(id: string, expectedVersion?: number): boolean {
    const { table, name } = this.tables;
    const result =
      expectedVersion === undefined
        ? statement(this.db, `DELETE FROM ${table} WHERE id = ?`).run(id)
        : statement(this.db, `DELETE FROM ${table} WHERE id = ? AND version = ?`).run(id, expectedVersion);
    if (result.changes === 0 && expectedVersion !== undefined) throw new VersionConflictError(name, id);
    return result.changes > 0;
  }

  /** Decided inside the transaction, so a record written meanwhile by another process is judged too. */
  deleteMany(filter: Filter): number {
    const ids = this.tables.find(this.db, filter).map((doc) => doc._id);
    for (const id of ids) this.delete(id);
    return ids.length;
  }

  /** Writes the keys of every indexed path (after dropping the old ones when the record existed). */
  #index(seq: number, doc: StoredDocument, replacing: boolean): void {
    const { keys, indexes } = this.tables;
    if (indexes.size === 0) return;
    if (replacing) statement(this.db, `DELETE FROM ${keys} WHERE seq = ?`).run(seq);
    const add = statement(this.db, `INSERT INTO ${keys} (idx, t, v, seq, u) VALUES (?, ?, ?, ?, ?)`);
    for (const [path, { idx, unique }] of indexes) {
      for (const [type, value] of keysAt(doc, path)) {
        this.#unique(doc._id, () => add.run(idx, type, value, seq, unique ? 1 : 0));
      }
    }
  }

  /** Backfills the keys of a new index over the records already there. */
  backfill(path: string): void {
    const index = this.tables.indexes.get(path);
    if (index === undefined) return;
    const add = statement(this.db, `INSERT INTO ${this.tables.keys} (idx, t, v, seq, u) VALUES (?, ?, ?, ?, ?)`);
    for (const row of statement(this.db, `SELECT seq, id, doc FROM ${this.tables.table}`).iterate() as Iterable<{
      seq: number;
      id: string;
      doc: string;
    }>) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(row.doc);
      } catch {
        continue; // an unreadable record is reported when read, not at start-up
      }
      for (const [type, value] of keysAt(parsed, path)) {
        this.#unique(row.id, () => add.run(index.idx, type, value, row.seq, index.unique ? 1 : 0));
      }
    }
  }

  #unique<T>(id: string, write: () => T): T {
    try {
      return write();
    } catch (error) {
      throw isConstraint(error) ? new DuplicateKeyError(this.tables.name, id) : error;
    }
  }
}

function isConstraint(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** A record too deep or cyclic for JSON is refused before anything is written. */
function serialize(doc: StoredDocument): string {
  return JSON.stringify(doc);
}
