/**
 * The port's `Filter` evaluated on one parsed record, with MongoDB's semantics: a dotted path reaches into nested
 * objects and into every element of arrays of objects; a condition holds when one reached value satisfies it
 * (`$ne`/`$nin` when none equals); equality to null also matches a missing field; ranges compare numbers with
 * numbers and strings with strings only.
 *
 * SQLite's own JSON functions address one element per path (`$.a[0].b`) and cannot express "any element at any
 * level", so the store registers `matches` as a deterministic SQL function and narrows the candidates with its key
 * indexes first (see `filter-plan.ts`).
 */
import type { FieldCondition, Filter } from '../document-store.port.js';

/** Every value a dotted path reaches; an array at the end counts itself and each of its elements. */
export function valuesAt(doc: unknown, path: string): unknown[] {
  const found: unknown[] = [];
  const walk = (value: unknown, parts: readonly string[]): void => {
    if (parts.length === 0) {
      found.push(value);
      if (Array.isArray(value)) found.push(...value);
      return;
    }
    if (Array.isArray(value)) {
      for (const element of value) if (element !== null && typeof element === 'object') walk(element, parts);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const [head, ...rest] = parts as [string, ...string[]];
    if (Object.hasOwn(value, head)) walk((value as Record<string, unknown>)[head], rest);
  };
  walk(doc, path.split('.'));
  return found;
}

export function matches(doc: unknown, filter: Filter): boolean {
  for (const [key, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (key === '$or') {
      if (!(condition as Filter[]).some((part) => matches(doc, part))) return false;
    } else if (key === '$and') {
      if (!(condition as Filter[]).every((part) => matches(doc, part))) return false;
    } else if (!holds(valuesAt(doc, key), condition as FieldCondition)) return false;
  }
  return true;
}

function holds(values: unknown[], condition: FieldCondition): boolean {
  if (condition === null || typeof condition !== 'object') return equalsAny(values, condition);
  for (const [op, operand] of Object.entries(condition)) {
    if (operand === undefined) continue;
    if (!operatorHolds(values, op, operand)) return false;
  }
  return true;
}

function operatorHolds(values: unknown[], op: string, operand: unknown): boolean {
  switch (op) {
    case '$eq':
      return equalsAny(values, operand);
    case '$ne':
      return !equalsAny(values, operand);
    case '$in':
      return (operand as unknown[]).some((candidate) => equalsAny(values, candidate));
    case '$nin':
      return !(operand as unknown[]).some((candidate) => equalsAny(values, candidate));
    case '$exists':
      return (values.length > 0) === operand;
    case '$gt':
      return values.some((value) => compare(value, operand) > 0);
    case '$gte':
      return values.some((value) => compare(value, operand) >= 0);
    case '$lt':
      return values.some((value) => compare(value, operand) < 0);
    case '$lte':
      return values.some((value) => compare(value, operand) <= 0);
    default:
      throw new RangeError(`unsupported filter operator ${op}`);
  }
}

function equalsAny(values: unknown[], expected: unknown): boolean {
  if (expected === null && values.length === 0) return true;
  return values.some((value) => sameValue(value, expected));
}

/** Deep equality of JSON values, key order included (as MongoDB compares embedded documents). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** NaN (never true in a comparison) when the types differ: MongoDB compares within one type only. */
function compare(value: unknown, operand: unknown): number {
  const comparable = typeof value === typeof operand && (typeof value === 'number' || typeof value === 'string');
  if (!comparable) return Number.NaN;
  if (value === operand) return 0;
  return (value as number | string) < (operand as number | string) ? -1 : 1;
}
