/** SQL helpers shared by the SQLite adapter's files. */
import type Database from 'better-sqlite3';

export const quote = (name: string) => `"${name}"`;

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
