/** The page a list operation was asked for: OSIA's schemas give `offset` and `limit` no minimum, so it is checked here. */
import { InvalidError } from '../shared/domain-errors.js';

export interface Paging {
  offset: number;
  limit: number;
}

/** `offset` 0 or more (0 when absent), `limit` `minLimit` or more (`defaultLimit` when absent); else 400. */
export function paging(offset: number | undefined, limit: number | undefined, defaultLimit: number, minLimit = 0): Paging {
  const checked = { offset: offset ?? 0, limit: limit ?? defaultLimit };
  const minimum = { offset: 0, limit: minLimit };
  for (const name of ['offset', 'limit'] as const) {
    if (checked[name] < minimum[name]) throw new InvalidError(`Query parameter ${name} must be ${minimum[name]} or more (got ${checked[name]})`);
  }
  return checked;
}
