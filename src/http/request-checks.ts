/**
 * Checks the request validator cannot make: OSIA does not mark the PR request bodies `required`, yet a create or
 * a full update means nothing without one; and `offset`/`limit` have no minimum in the schema.
 */
import { BadRequestError } from '../errors/http-errors.js';

export function requiredBody<T>(body: T | undefined, operationId: string, schemaName: string): T {
  if (body === undefined || body === null) throw new BadRequestError(`${operationId} needs a request body (${schemaName})`);
  return body;
}

export interface Paging {
  offset: number;
  limit: number;
}

export function paging(offset: number | undefined, limit: number | undefined, defaultLimit: number): Paging {
  const checked = { offset: offset ?? 0, limit: limit ?? defaultLimit };
  for (const [name, value] of Object.entries(checked)) {
    if (value < 0) throw new BadRequestError(`Query parameter ${name} must be 0 or more (got ${value})`);
  }
  return checked;
}
