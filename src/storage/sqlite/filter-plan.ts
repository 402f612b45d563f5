/**
 * Turns a port `Filter` into SQL over one collection's tables (`t` the records, `k` the keys, see index-keys.ts).
 *
 * An `_id` equality or `$in` is a lookup of the records' unique `id` column. Top-level conditions on indexed paths
 * that the keys express exactly become SQL: the last equality drives the query (a join from the keys' primary key, so
 * rows come in insertion order and paging never sorts), the others are `EXISTS` probes on the same primary key. Each
 * probe ends in `LIMIT 1`: SQLite 3.53 turns a plain `EXISTS` whose subquery matches several key rows of one record
 * into a join that repeats the record (seen with OFFSET). Everything else (`$or`, `$ne`, unindexed paths…) is left to
 * the `matches(doc, filter)` SQL function (document-matcher.ts), evaluated only on the rows the keys let through.
 */
import type { FieldCondition, Filter } from '../document-store.port.js';
import { keyOf, type Key } from './index-keys.js';

export interface IndexedPath {
  idx: number;
  unique: boolean;
  /** Its keys are counted by blocks of seq (ranks.ts): any page of one value costs about the same. */
  ranked: boolean;
}

export interface FilterPlan {
  /** `FROM …` clause; the records are `t`. */
  from: string;
  where: string;
  params: unknown[];
  /** The column giving insertion order (`k.seq` when driven by a key join). */
  seq: string;
  /** Set when one key equality is the whole filter: the matching seqs can be paged on the keys alone. */
  keysOnly?: { where: string; params: unknown[]; ranked: boolean };
}

type Equality = { idx: number; key: Key; ranked: boolean };
type Translated = { sql: string; params: unknown[]; eq?: Equality };

const RANGE: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };
/** Longer `$in` lists go to the matcher: SQLite takes at most 32,766 parameters per statement. */
const MAX_IN = 10_000;

export function planFilter(table: string, keys: string, indexes: ReadonlyMap<string, IndexedPath>, filter: Filter): FilterPlan {
  const where: string[] = [];
  const params: unknown[] = [];
  const residual: Filter = {};
  let driver: Equality | undefined;
  for (const [path, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    const ids = path === '_id' ? idsOf(condition) : undefined;
    if (ids) {
      // The record's key has its own unique column: lookups, never a scan of every record through the matcher.
      where.push(`t.id IN (${ids.map(() => '?').join(', ')})`);
      params.push(...ids);
      continue;
    }
    const index = path.startsWith('$') ? undefined : indexes.get(path);
    const translated = index && translate(keys, index, condition as FieldCondition);
    if (!translated) {
      residual[path] = condition;
      continue;
    }
    if (translated.eq) {
      if (driver) pushProbe(where, params, keys, driver);
      driver = translated.eq;
    } else {
      where.push(translated.sql);
      params.push(...translated.params);
    }
  }
  if (Object.keys(residual).length > 0) {
    where.push('matches(t.doc, ?)');
    params.push(JSON.stringify(residual));
  }
  if (driver) {
    const keyParams = [driver.idx, ...driver.key];
    return {
      from: `${keys} k JOIN ${table} t ON t.seq = k.seq`,
      where: ['k.idx = ? AND k.t = ? AND k.v = ?', ...where].join(' AND '),
      params: [...keyParams, ...params],
      seq: 'k.seq',
      ...(where.length === 0 ? { keysOnly: { where: 'k.idx = ? AND k.t = ? AND k.v = ?', params: keyParams, ranked: driver.ranked } } : {}),
    };
  }
  return { from: `${table} t`, where: where.length > 0 ? where.join(' AND ') : '1', params, seq: 't.seq' };
}

/** The ids an `_id` condition names when it is an equality or an `$in` of strings only (else the matcher decides). */
function idsOf(condition: unknown): string[] | undefined {
  if (typeof condition === 'string') return [condition];
  const within = (condition as { $in?: unknown } | null)?.$in;
  const only = condition !== null && typeof condition === 'object' && Object.keys(condition).length === 1;
  if (!only || !Array.isArray(within) || within.length === 0 || within.length > MAX_IN) return undefined;
  return within.every((id) => typeof id === 'string') ? within : undefined;
}

function pushProbe(where: string[], params: unknown[], keys: string, probe: Equality): void {
  where.push(`EXISTS (SELECT 1 FROM ${keys} WHERE idx = ? AND t = ? AND v = ? AND seq = t.seq LIMIT 1)`);
  params.push(probe.idx, ...probe.key);
}

/** The exact SQL for a condition on an indexed path, or undefined when only the matcher can decide. */
function translate(keys: string, index: IndexedPath, condition: FieldCondition): Translated | undefined {
  const { idx } = index;
  if (condition === null || typeof condition !== 'object') {
    const key = keyOf(condition);
    return key && { sql: '', params: [], eq: { idx, key, ranked: index.ranked } };
  }
  const ops = Object.entries(condition).filter(([, operand]) => operand !== undefined);
  if (ops.length === 1 && ops[0]?.[0] === '$eq') return translate(keys, index, ops[0][1] as FieldCondition);
  if (ops.length === 1 && ops[0]?.[0] === '$exists') {
    const sql = `EXISTS (SELECT 1 FROM ${keys} WHERE seq = t.seq AND idx = ? LIMIT 1)`;
    return { sql: ops[0][1] ? sql : `NOT ${sql}`, params: [idx] };
  }
  if (ops.length === 1 && ops[0]?.[0] === '$in') {
    const candidates = (ops[0][1] as unknown[]).map(keyOf);
    if (candidates.length === 0 || candidates.length > MAX_IN || candidates.some((key) => key === undefined)) return undefined;
    // One `v IN (…)` per key type (usually one): a list, not an OR per value, whose depth SQLite limits to 1,000.
    const byType = new Map<number, unknown[]>();
    for (const [type, value] of candidates as Key[]) byType.set(type, [...(byType.get(type) ?? []), value]);
    const lists = [...byType].map(([, values]) => `(t = ? AND v IN (${values.map(() => '?').join(', ')}))`);
    return {
      // The keys drive: each value is a search of their primary key, never a scan of the records.
      sql: `t.seq IN (SELECT seq FROM ${keys} WHERE idx = ? AND (${lists.join(' OR ')}))`,
      params: [idx, ...[...byType].flatMap(([type, values]) => [type, ...values])],
    };
  }
  if (ops.length > 0 && ops.every(([op]) => op in RANGE)) {
    const bounds = ops.map(([op, operand]) => ({ op: RANGE[op] as string, key: keyOf(operand) }));
    const type = bounds[0]?.key?.[0];
    if (bounds.some(({ key }) => key === undefined || key[0] !== type || typeof key[1] !== typeof bounds[0]?.key?.[1])) {
      return undefined;
    }
    if (typeof condition[ops[0]?.[0] as '$gt'] === 'boolean') return undefined;
    const sql = bounds.map(({ op }) => `v ${op} ?`).join(' AND ');
    return {
      sql: `t.seq IN (SELECT seq FROM ${keys} WHERE idx = ? AND t = ? AND ${sql})`,
      params: [idx, type, ...bounds.map(({ key }) => key?.[1])],
    };
  }
  return undefined;
}
