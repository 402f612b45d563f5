/**
 * A query parameter declared as a free-form object with `style: form, explode: true` (Data Access
 * `queryPersonList?firstName=John&lastName=Doe`) has no fixed property names, so the validator cannot tell its
 * members from undeclared parameters. For such operations this gathers every query key that is not
 * another declared parameter into that object before validation.
 */
import type { Request } from 'express';
import type { OperationEntry, ParameterObject } from '../openapi/documents.js';
import { COMMON_QUERY_PARAMETERS } from './validator-document.js';

function isFreeFormExplodedObject(parameter: ParameterObject & { style?: string; explode?: boolean }): boolean {
  const schema = parameter.schema ?? {};
  return (
    parameter.in === 'query' &&
    schema.type === 'object' &&
    schema.properties === undefined &&
    (parameter.style ?? 'form') === 'form' &&
    parameter.explode !== false
  );
}

/** Regroups the query of a request for the operation, in place. */
export type QueryRegrouping = (req: Request) => void;

/** The regrouping for an operation, or undefined when the operation has no such parameter. */
export function freeFormQuery(entry: OperationEntry): QueryRegrouping | undefined {
  const parameters = entry.operation.parameters ?? [];
  const target = parameters.find(isFreeFormExplodedObject);
  if (!target) return undefined;
  const declared = new Set([...COMMON_QUERY_PARAMETERS, ...parameters.filter((p) => p.in === 'query').map((p) => p.name)]);
  return (req) => {
    const members: Record<string, unknown> = {};
    const query: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(req.query)) {
      if (declared.has(key)) query[key] = value;
      else members[key] = value;
    }
    if (Object.keys(members).length > 0) query[target.name] = members;
    // Express 5 recomputes req.query from the URL on every read; pin the regrouped value.
    Object.defineProperty(req, 'query', { value: query, writable: true, configurable: true, enumerable: true });
  };
}
