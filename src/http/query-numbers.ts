/**
 * Numeric query parameters written as plain decimals. The validator coerces with `Number()`, which reads
 * `1e400` and `Infinity` as Infinity, `0x10` as 16 and a lone space as 0; such values get 400 here instead.
 */
import { InvalidError } from '../shared/domain-errors.js';
import type { OperationEntry } from '../openapi/documents.js';

const INTEGER = /^-?\d{1,15}$/;
const NUMBER = /^-?\d{1,15}(\.\d{1,15})?$/;

export type QueryNumberCheck = (query: Record<string, unknown>) => void;

/** The check for one operation's numeric query parameters; undefined when it has none. */
export function queryNumberCheck(entry: OperationEntry): QueryNumberCheck | undefined {
  const numeric = (entry.operation.parameters ?? [])
    .filter((parameter) => parameter.in === 'query')
    .flatMap((parameter) => {
      const type = parameter.schema?.type;
      return type === 'integer' || type === 'number' ? [{ name: parameter.name, pattern: type === 'integer' ? INTEGER : NUMBER, type }] : [];
    });
  if (numeric.length === 0) return undefined;
  return (query) => {
    for (const { name, pattern, type } of numeric) {
      const value = query[name];
      if (value === undefined) continue;
      const values = Array.isArray(value) ? value : [value];
      const bad = values.find((item) => typeof item !== 'string' || !pattern.test(item));
      if (bad !== undefined) {
        throw new InvalidError(`Query parameter ${name} must be a decimal ${type}, got "${String(bad).slice(0, 40)}"`);
      }
    }
  };
}
