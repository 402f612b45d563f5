/**
 * Builds a request that satisfies an operation's OpenAPI description (openapi-sampler fills schemas), and a
 * variant that violates it, so that every operation can be walked generically.
 */
import { sample } from 'openapi-sampler';
import type { OpenApiDocument, OperationEntry, ParameterObject, SchemaObject } from '../openapi/documents.js';

export interface SampleRequest {
  method: OperationEntry['method'];
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** openapi-sampler knows no `format: byte`; an example on those schemas makes it produce valid base64. */
function withByteExamples<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withByteExamples) as T;
  if (node === null || typeof node !== 'object') return node;
  const copy = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withByteExamples(v)]));
  return (copy.format === 'byte' ? { ...copy, example: 'c2FtcGxl' } : copy) as T;
}

const prepared = new WeakMap<OpenApiDocument, OpenApiDocument>();

function sampleValue(schema: SchemaObject | undefined, document: OpenApiDocument): unknown {
  const spec = prepared.get(document) ?? withByteExamples(document);
  prepared.set(document, spec);
  return sample(withByteExamples(schema ?? { type: 'string' }) as never, { skipReadOnly: true, quiet: true }, spec);
}

function queryPairs(parameter: ParameterObject, value: unknown): [string, string][] {
  if (Array.isArray(value)) return value.map((item) => [parameter.name, String(item)]);
  if (value !== null && typeof value === 'object') {
    // A free-form exploded object (Data Access `attributes`): each property is its own query parameter.
    const entries = Object.entries(value);
    return (entries.length > 0 ? entries : [['firstName', 'Ada']]).map(([k, v]) => [k, String(v)]);
  }
  return [[parameter.name, String(value)]];
}

/** `pathValue` names the value of each path parameter (`sample-<name>` by default). */
export function validRequest(
  entry: OperationEntry,
  document: OpenApiDocument,
  prefix: string,
  pathValue = (name: string) => `sample-${name}`,
): SampleRequest {
  const parameters = entry.operation.parameters ?? [];
  const apiPath = entry.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(pathValue(name)));
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const parameter of parameters.filter((p) => p.required)) {
    const value = sampleValue(parameter.schema, document);
    if (parameter.in === 'query') for (const [k, v] of queryPairs(parameter, value)) query.append(k, v);
    if (parameter.in === 'header') headers[parameter.name] = String(value);
  }
  const request: SampleRequest = { method: entry.method, url: `${prefix}${apiPath}?${query}`, headers };
  const content = entry.operation.requestBody?.content;
  if (content) {
    const [mediaType, media] = Object.entries(content)[0] as [string, { schema?: SchemaObject }];
    if (mediaType.includes('json')) {
      request.headers['Content-Type'] = 'application/json';
      request.body = sampleValue(media.schema, document);
    } else if (mediaType.includes('text')) {
      request.headers['Content-Type'] = mediaType;
      request.body = 'sample text';
    } else {
      request.headers['Content-Type'] = mediaType.replace('*', 'octet-stream').replace('image/octet-stream', 'image/png');
      request.body = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    }
  }
  return request;
}

/**
 * Breaks the request: drops a required query parameter, else sends a body of the wrong type, else a non-integer
 * where an integer is expected, else an undeclared parameter.
 */
export function invalidRequest(entry: OperationEntry, valid: SampleRequest): { request: SampleRequest; how: string } {
  const [base, search = ''] = valid.url.split('?') as [string, string?];
  const query = new URLSearchParams(search);
  const required = (entry.operation.parameters ?? []).find((p) => p.required && p.in === 'query');
  if (required && query.has(required.name)) {
    query.delete(required.name);
    return { request: { ...valid, url: `${base}?${query}` }, how: `without required ${required.name}` };
  }
  if (valid.body !== undefined && valid.headers['Content-Type'] === 'application/json') {
    const wrong = Array.isArray(valid.body) ? { not: 'an array' } : ['not', 'an object'];
    return { request: { ...valid, body: typeof valid.body === 'string' ? 42 : wrong }, how: 'with a body of the wrong type' };
  }
  const integer = (entry.operation.parameters ?? []).find((p) => p.in === 'query' && p.schema?.type === 'integer');
  if (integer) {
    query.set(integer.name, 'not-a-number');
    return { request: { ...valid, url: `${base}?${query}` }, how: `with a non-integer ${integer.name}` };
  }
  query.append('undeclaredParameter', 'x');
  return { request: { ...valid, url: `${base}?${query}` }, how: 'with an undeclared query parameter' };
}
