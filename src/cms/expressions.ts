/**
 * OSIA Expressions (`<`, `>`, `=`, `>=`, `<=`, `!=`, combined with AND) for findCredentials (a store filter) and
 * findCredentialProfiles (checked in memory on the small catalogue), with the same meaning in both: `=` compares
 * exactly, `!=` matches only records that have the attribute, the ordering operators compare values of the same
 * type (strings as strings, so ISO dates work). An attribute name that is not searchable matches nothing.
 */
import type { components } from '../../generated/cms.js';
import { encodePath } from '../storage/stored-keys.js';
import type { Filter } from '../storage/document-store.port.js';

export type Expression = components['schemas']['Expression'];
type Value = Expression['value'];

const STORE_OPERATORS = { '<': '$lt', '>': '$gt', '>=': '$gte', '<=': '$lte', '!=': '$ne' } as const;
const MATCH_NOTHING: Filter = { _id: { $in: [] } };

/**
 * The store filter for expressions on records whose searchable attributes are `fields` plus any dotted path inside
 * `others` (free-form, stored key-encoded).
 */
export function storeFilter(expressions: readonly Expression[], fields: ReadonlySet<string>): Filter {
  // Plain keys where possible, so that the embedded store can answer from its indexes (personId, credentialNumber).
  const filter: Filter = {};
  const rest: Filter[] = [];
  for (const { attributeName, operator, value } of expressions) {
    const inOthers = attributeName.startsWith('others.') && attributeName.length > 'others.'.length;
    if (!fields.has(attributeName) && !inOthers) return MATCH_NOTHING;
    const path = inOthers ? encodePath(attributeName) : attributeName;
    const condition =
      operator === '=' ? { $eq: value } : { [STORE_OPERATORS[operator]]: value, ...(operator === '!=' ? { $exists: true } : {}) };
    if (operator === '=' && !(path in filter)) filter[path] = value;
    else rest.push({ [path]: condition });
  }
  return rest.length > 0 ? { ...filter, $and: rest } : filter;
}

function holds(actual: unknown, operator: Expression['operator'], value: Value): boolean {
  if (actual === undefined) return false;
  if (operator === '=') return actual === value;
  if (operator === '!=') return actual !== value;
  if (typeof actual !== typeof value) return false;
  const [a, b] = [actual as Value, value];
  return operator === '<' ? a < b : operator === '>' ? a > b : operator === '<=' ? a <= b : a >= b;
}

/** In-memory check of plain objects; `fields` are the searchable attribute names. */
export function matchesAll(object: object, expressions: readonly Expression[], fields: ReadonlySet<string>): boolean {
  const values = object as Record<string, unknown>;
  return expressions.every(({ attributeName, operator, value }) => fields.has(attributeName) && holds(values[attributeName], operator, value));
}
