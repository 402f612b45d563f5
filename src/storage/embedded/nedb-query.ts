/**
 * Translates a port `Filter` (MongoDB semantics) into an nedb query. nedb's query language is a subset of
 * MongoDB's but differs where it matters to us:
 * - it has no `$eq`: equality is written as a bare value;
 * - `$ne`/`$nin` on an array field match when *some* element differs (MongoDB: when *no* element equals), so they
 *   become `$not` of the equality / `$in`;
 * - equality to `null` (also inside `$in`) matches only explicit nulls (MongoDB: missing fields too).
 * Plain conditions stay top-level keys so that nedb can still answer them from its indexes.
 */
import type { FieldCondition, Filter } from '../document-store.port.js';

type NedbQuery = Record<string, unknown>;

/** Operators nedb evaluates exactly like MongoDB; they are passed through unchanged. */
const SAME_AS_MONGO = new Set(['$gt', '$gte', '$lt', '$lte', '$exists', '$in']);

export function toNedbQuery(filter: Filter): NedbQuery {
  const top: NedbQuery = {};
  const and: NedbQuery[] = [];
  const add = (part: NedbQuery) => {
    const [key, value] = Object.entries(part)[0] ?? [];
    if (key !== undefined && !key.startsWith('$') && !(key in top)) top[key] = value;
    else and.push(part);
  };
  for (const [path, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (path === '$or' || path === '$and') add({ [path]: (condition as Filter[]).map(toNedbQuery) });
    else for (const part of fieldParts(path, condition as FieldCondition)) add(part);
  }
  if (and.length > 0) top.$and = and;
  return top;
}

function fieldParts(path: string, condition: FieldCondition): NedbQuery[] {
  if (condition === null || typeof condition !== 'object') return [equals(path, condition)];
  const parts: NedbQuery[] = [];
  const passThrough: NedbQuery = {};
  for (const [op, value] of Object.entries(condition)) {
    if (value === undefined) continue;
    if (op === '$in' && (value as unknown[]).includes(null)) parts.push(isIn(path, value as unknown[]));
    else if (SAME_AS_MONGO.has(op)) passThrough[op] = value;
    else if (op === '$eq') parts.push(equals(path, value));
    else if (op === '$ne') parts.push({ $not: equals(path, value) });
    else if (op === '$nin') parts.push({ $not: isIn(path, value as unknown[]) });
    else throw new RangeError(`unsupported filter operator ${op}`);
  }
  if (Object.keys(passThrough).length > 0) parts.unshift({ [path]: passThrough });
  return parts;
}

function equals(path: string, value: unknown): NedbQuery {
  if (value !== null) return { [path]: value };
  return { $or: [{ [path]: null }, { [path]: { $exists: false } }] };
}

function isIn(path: string, values: unknown[]): NedbQuery {
  if (!values.includes(null)) return { [path]: { $in: values } };
  return { $or: [{ [path]: { $in: values } }, { [path]: { $exists: false } }] };
}
