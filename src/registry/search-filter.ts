/** Turns registry search criteria into a store filter on the identity records. */
import type { Filter } from '../storage/document-store.port.js';
import { encodePath } from './stored-keys.js';

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

export function criteriaFilter(criteria: readonly Criterion[], options: SearchOptions): Filter {
  // `!=` asks for a different value, so an identity without the attribute does not match (unlike MongoDB's $ne).
  const conditions: Filter[] = criteria.map(({ path, operator, value }) => ({
    [`identity.${encodePath(path)}`]:
      operator === '=' ? value : { [OPERATORS[operator]]: value, ...(operator === '!=' ? { $exists: true } : {}) },
  }));
  if (options.referenceOnly) conditions.push({ isReference: true });
  if (options.gallery !== undefined) conditions.push(galleryFilter(options.gallery));
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
