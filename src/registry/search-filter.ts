/** Turns search criteria into a store filter on records that keep their content under one field (`identity` …). */
import type { Filter } from '../storage/document-store.port.js';
import { encodePath } from '../storage/stored-keys.js';

export interface Criterion {
  /** Dotted path within the identity, e.g. `biographicData.lastName`. */
  path: string;
  operator: '<' | '>' | '=' | '>=' | '<=' | '!=';
  value: string | number | boolean;
}

export interface SearchOptions {
  referenceOnly?: boolean;
  /** One gallery, or `ALL` for identities in any gallery. */
  gallery?: string;
  offset?: number;
  limit?: number;
}

const OPERATORS = { '<': '$lt', '>': '$gt', '>=': '$gte', '<=': '$lte', '!=': '$ne' } as const;

/**
 * The embedded store answers from the index of the *last* plain equality it finds on an indexed field, so the
 * broad conditions (reference flag, gallery) come first and the first criterion, usually the most selective one
 * (a name), comes last. MongoDB plans its own index use and ignores the order.
 */
export function criteriaFilter(criteria: readonly Criterion[], options: SearchOptions, root = 'identity'): Filter {
  const conditions: Filter[] = [];
  if (options.referenceOnly) conditions.push({ isReference: true });
  if (options.gallery !== undefined) conditions.push(galleryFilter(options.gallery));
  for (const { path, operator, value } of [...criteria].reverse()) {
    // `!=` asks for a different value, so an identity without the attribute does not match (unlike MongoDB's $ne).
    const condition = operator === '=' ? value : { [OPERATORS[operator]]: value, ...(operator === '!=' ? { $exists: true } : {}) };
    conditions.push({ [`${root}.${encodePath(path)}`]: condition });
  }
  // Plain keys where possible, so that the embedded store can answer from its indexes.
  const filter: Filter = {};
  const rest: Filter[] = [];
  for (const condition of conditions) {
    const [key, value] = Object.entries(condition)[0] as [string, Filter[string]];
    if (key in filter) rest.push(condition);
    else filter[key] = value;
  }
  return rest.length > 0 ? { ...filter, $and: rest } : filter;
}

/** Members of one gallery; `ALL` stands for every gallery. */
export function galleryFilter(gallery: string): Filter {
  return { 'identity.galleries': gallery === ALL_GALLERIES ? { $exists: true } : gallery };
}

export const ALL_GALLERIES = 'ALL';
