import { NotImplementedError } from '../errors/http-errors.js';

/** The handler of an operation that a later milestone implements: it answers 501 with the OSIA Error object. */
export function notImplemented(operationId: string): () => Promise<never> {
  return async () => {
    throw new NotImplementedError(operationId);
  };
}
