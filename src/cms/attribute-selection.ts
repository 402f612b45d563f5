/**
 * The `attributes` query parameter of the CMS reads and finds names top-level attributes the CMS knows; the answer
 * keeps them and the schema's required ones (`selectAttributes`), so that every answer remains valid.
 */
import { InvalidError } from '../shared/domain-errors.js';

export function checkAttributes(attributes: readonly string[] | undefined, known: readonly string[]): void {
  const unknown = (attributes ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new InvalidError(`attributes: unknown attribute ${unknown.join(', ')} (known: ${known.join(', ')})`);
  }
}
