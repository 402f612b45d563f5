/**
 * What the gateway forwards, read from our copy of abis.yaml rather than written out again: each operation's method
 * and path template, and the answers the vendor may give: the synchronous success (200 with its schema, or 204) and,
 * for a call with a callback, the payload the vendor's callback brings.
 */
import { listOperations, type OpenApiDocument, type OperationObject, type SchemaObject } from '../openapi/documents.js';
import type { AbisCall, AbisOperationId } from './abis-engine.port.js';

export interface ForwardedOperation {
  operationId: AbisOperationId;
  method: string;
  /** The path template below the ABIS base URL (`/v1/persons/{personId}/encounters`). */
  path: string;
  operation: OperationObject;
  /** The synchronous success: 204 for the six operations without a payload, else 200. */
  successStatus: 200 | 204;
  /** The JSON schema of the callback's success payload (the string "OK" for the 204 operations). */
  callbackSchema: SchemaObject | undefined;
}

type Callbacks = Record<string, Record<string, { post?: { requestBody?: { content?: Record<string, { schema?: SchemaObject }> } } }>>;

function callbackSchemaOf(operation: OperationObject): SchemaObject | undefined {
  const callbacks = (operation as { callbacks?: Callbacks }).callbacks ?? {};
  const [expression] = Object.values(callbacks);
  const [item] = Object.values(expression ?? {});
  return item?.post?.requestBody?.content?.['application/json']?.schema;
}

/** Every operation that takes a `callback`: the twenty the engine runs (the two task operations take none). */
export function forwardedOperations(document: OpenApiDocument): Map<string, ForwardedOperation> {
  const forwarded = listOperations(document)
    .filter(({ operation }) => (operation.parameters ?? []).some((parameter) => parameter.in === 'query' && parameter.name === 'callback'))
    .map(({ operationId, method, path, operation }): [string, ForwardedOperation] => [
      operationId,
      {
        operationId: operationId as AbisOperationId,
        method: method.toUpperCase(),
        path,
        operation,
        successStatus: operation.responses['200'] ? 200 : 204,
        callbackSchema: callbackSchemaOf(operation),
      },
    ]);
  return new Map(forwarded);
}

/** The path and query of the call at the vendor: transactionId first, then the other parameters as validated. */
export function targetOf(forwarded: ForwardedOperation, call: AbisCall, callback?: string): string {
  const path = forwarded.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(call.path[name] ?? ''));
  const query = new URLSearchParams({ transactionId: call.transactionId });
  for (const [name, value] of Object.entries(call.query)) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== undefined && item !== null) query.append(name, String(item));
  }
  if (callback !== undefined) query.set('callback', callback);
  return `${path}?${query}`;
}
