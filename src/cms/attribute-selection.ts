/**
 * The `attributes` query parameter of the CMS reads and finds: the answer keeps the named attributes only. The
 * schema's required attributes are always kept, so that every answer remains a valid object of its schema.
 */
import { BadRequestError } from '../errors/http-errors.js';

export function checkAttributes(attributes: readonly string[] | undefined, known: readonly string[]): void {
  const unknown = (attributes ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new BadRequestError(`attributes: unknown attribute ${unknown.join(', ')} (known: ${known.join(', ')})`);
  }
}

/** `view` limited to `attributes` plus `required`; unchanged when `attributes` is absent. */
export function selectAttributes<T extends object>(view: T, attributes: readonly string[] | undefined, required: readonly string[]): T {
  if (attributes === undefined) return view;
  const kept = new Set([...required, ...attributes]);
  return Object.fromEntries(Object.entries(view).filter(([name]) => kept.has(name))) as T;
}
