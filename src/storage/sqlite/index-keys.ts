/**
 * Multikey indexes on SQLite. A path may reach many values (arrays, arrays of objects), which one expression index
 * on `json_extract` cannot hold, so each collection has a keys table `<name>__keys(idx, t, v, seq, u)` with one row
 * per distinct value an indexed path reaches in a record: `idx` numbers the index, `t` the value's type, `v` the
 * value, `seq` the record's row. Its primary key (idx, t, v, seq) answers equality, `$in` and ranges in insertion
 * order without sorting; a partial unique index over (idx, t, v) where `u = 1` enforces unique IndexSpecs.
 */
import { valuesAt } from './document-matcher.js';

export const NUMBER = 0;
export const STRING = 1;
export const BOOLEAN = 2;
export const NULL = 3;
/** A value reached that is an object or an array: present, not comparable. */
export const OTHER = 4;
/** The values of a compound index's fields together (first value of each, JSON text): for uniqueness only. */
export const COMPOUND = 5;

/** The path under which an index is recorded: the field itself, or the fields' JSON array when compound. */
export function indexPath(fields: readonly string[]): string {
  return fields.length === 1 ? (fields[0] as string) : JSON.stringify(fields);
}

export type Key = [type: number, value: number | string];

/** The key of a scalar operand, or undefined for null, objects and arrays. */
export function keyOf(value: unknown): Key | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? [NUMBER, value] : undefined;
  if (typeof value === 'string') return [STRING, value];
  if (typeof value === 'boolean') return [BOOLEAN, value ? 1 : 0];
  return undefined;
}

/** Distinct keys of every value `path` reaches in `doc`; objects and arrays leave an OTHER marker (for $exists). */
export function keysAt(doc: unknown, path: string): Key[] {
  if (path.startsWith('[')) {
    const fields = JSON.parse(path) as string[];
    return [[COMPOUND, JSON.stringify(fields.map((field) => valuesAt(doc, field)[0] ?? null))]];
  }
  const seen = new Map<string, Key>();
  for (const value of valuesAt(doc, path)) {
    const key: Key = keyOf(value) ?? [value === null ? NULL : OTHER, 0];
    seen.set(`${key[0]}:${key[1]}`, key);
  }
  return [...seen.values()];
}
