/**
 * Deep pages of a ranked index (`IndexSpec.ranked`, a gallery's members) without stepping over the offset. Beside
 * the keys, `<name>__ranks(idx, t, v, block, n)` counts the records having each key value per block of
 * `RANK_BLOCK` consecutive `seq`. A page at offset `skip` sums the counts (a few hundred rows for a million members)
 * to the block holding the `skip`-th member, then steps over fewer than `RANK_BLOCK` keys from that block's first
 * seq. Triggers on the keys table keep the counts in the transaction of every key write, in every process and by
 * every path (insert, update, delete, a record's deletion), so counts and keys never disagree.
 */
import type Database from 'better-sqlite3';
import type { IndexedPath } from './filter-plan.js';
import { quote, statement } from './statements.js';

/** What of a collection's tables (sqlite-tables.ts) the counts need. */
interface Tables {
  name: string;
  /** The keys table, quoted. */
  keys: string;
  indexes: ReadonlyMap<string, IndexedPath>;
}

/** Seqs per counted block: the most keys a deep page steps over, and about 250 count rows per million members. */
export const RANK_BLOCK = 4096;

const ranksOf = (tables: Tables) => quote(`${tables.name}__ranks`);
const triggerOf = (tables: Tables, idx: number, event: 'add' | 'drop') => `${tables.name}__rank_${idx}_${event}`;

/** The indexes of the collection whose counts exist (their triggers are in the database, whoever created them). */
export function rankedIndexes(db: Database.Database, tables: Tables): Set<number> {
  const rows = statement(db, "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?").all(`${tables.name}__keys`) as {
    name: string;
  }[];
  const names = new Set(rows.map(({ name }) => name));
  return new Set([...tables.indexes.values()].filter(({ idx }) => names.has(triggerOf(tables, idx, 'add'))).map(({ idx }) => idx));
}

/** Counts the keys index `idx` already has (a store written before it was ranked), then keeps them counted. */
export function startRanking(db: Database.Database, tables: Tables, idx: number): void {
  const ranks = ranksOf(tables);
  db.exec(`CREATE TABLE IF NOT EXISTS ${ranks} (
    idx INTEGER NOT NULL, t INTEGER NOT NULL, v NOT NULL, block INTEGER NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (idx, t, v, block)) WITHOUT ROWID`);
  statement(db, `DELETE FROM ${ranks} WHERE idx = ?`).run(idx);
  statement(
    db,
    `INSERT INTO ${ranks} (idx, t, v, block, n)
     SELECT idx, t, v, seq / ${RANK_BLOCK}, count(*) FROM ${tables.keys} WHERE idx = ? GROUP BY t, v, seq / ${RANK_BLOCK}`,
  ).run(idx);
  db.exec(`
    CREATE TRIGGER IF NOT EXISTS ${quote(triggerOf(tables, idx, 'add'))} AFTER INSERT ON ${tables.keys} WHEN new.idx = ${idx}
    BEGIN
      INSERT INTO ${ranks} (idx, t, v, block, n) VALUES (new.idx, new.t, new.v, new.seq / ${RANK_BLOCK}, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER IF NOT EXISTS ${quote(triggerOf(tables, idx, 'drop'))} AFTER DELETE ON ${tables.keys} WHEN old.idx = ${idx}
    BEGIN
      UPDATE ${ranks} SET n = n - 1 WHERE idx = old.idx AND t = old.t AND v = old.v AND block = old.seq / ${RANK_BLOCK};
    END;`);
}

/** Stops counting the keys of index `idx` (it is being dropped). */
export function stopRanking(db: Database.Database, tables: Tables, idx: number): void {
  db.exec(`DROP TRIGGER IF EXISTS ${quote(triggerOf(tables, idx, 'add'))}; DROP TRIGGER IF EXISTS ${quote(triggerOf(tables, idx, 'drop'))}`);
  statement(db, `DELETE FROM ${ranksOf(tables)} WHERE idx = ?`).run(idx);
}

/**
 * The seqs of one page of the records having key (idx, t, v), with the parameters of `rankedPageParams`. The block
 * is found in the same statement as the page, so both read one snapshot of the store.
 */
export function rankedPageSql(tables: Tables): string {
  return `WITH blocks AS (
      SELECT block, n, sum(n) OVER (ORDER BY block) AS upto FROM ${ranksOf(tables)} WHERE idx = ? AND t = ? AND v = ?),
    -- min() takes the other columns from its own row (SQLite's bare columns): the first block past the offset.
    start AS (SELECT min(block) * ${RANK_BLOCK} AS seq, upto - n AS before FROM blocks WHERE upto > ?)
    SELECT k.seq FROM ${tables.keys} k WHERE k.idx = ? AND k.t = ? AND k.v = ? AND k.seq >= (SELECT seq FROM start)
    ORDER BY k.seq LIMIT ? OFFSET coalesce(? - (SELECT before FROM start), 0)`;
}

export function rankedPageParams(key: unknown[], skip: number, limit: number): unknown[] {
  return [...key, skip, ...key, limit, skip];
}

/** How many records have key (idx, t, v): parameters idx, t, v. */
export function rankedCountSql(tables: Tables): string {
  return `SELECT coalesce(sum(n), 0) AS n FROM ${ranksOf(tables)} WHERE idx = ? AND t = ? AND v = ?`;
}
