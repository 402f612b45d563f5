/**
 * A check the request validator cannot make: OSIA does not mark the PR request bodies `required`, yet a create or
 * a full update means nothing without one.
 */
import { InvalidError } from '../shared/domain-errors.js';

export function requiredBody<T>(body: T | undefined, operationId: string, schemaName: string): T {
  if (body === undefined || body === null) throw new InvalidError(`${operationId} needs a request body (${schemaName})`);
  return body;
}
