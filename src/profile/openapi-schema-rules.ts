/**
 * What makes a profile value an OpenAPI 3.0 Schema Object, beyond what ajv checks: only OpenAPI 3.0 keywords (a
 * JSON Schema keyword such as `const` or `examples` would be enforced by ajv yet make the document invalid), a single
 * `type` among the six OpenAPI types, `items` with every array, and `$ref` only to a component of the same document.
 */
import type { SchemaObject } from '../openapi/documents.js';
import { isMapping } from './profile-file.js';

const KEYWORDS = new Set([
  ...['title', 'description', 'type', 'format', 'enum', 'default', 'nullable', 'readOnly', 'writeOnly', 'deprecated'],
  ...['multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength'],
  ...['pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'required'],
  ...['properties', 'additionalProperties', 'items', 'allOf', 'oneOf', 'anyOf', 'not'],
  ...['discriminator', 'xml', 'externalDocs', 'example', '$ref'],
]);
const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const LOCAL_REF = /^#\/components\/schemas\/([^/]+)$/;

/** The name of the component a `$ref` points to, or undefined when it points anywhere else. */
function localComponent(ref: string): string | undefined {
  return LOCAL_REF.exec(ref)?.[1];
}

/** A property name as a JSON pointer token (RFC 6901). */
const pointerToken = (name: string) => name.replaceAll('~', '~0').replaceAll('/', '~1');

/** Each sub-schema of a schema, with its JSON pointer relative to the parent. */
function children(schema: SchemaObject): [string, unknown][] {
  const found: [string, unknown][] = [];
  for (const keyword of ['items', 'not', 'additionalProperties']) {
    if (isMapping(schema[keyword])) found.push([`/${keyword}`, schema[keyword]]);
  }
  for (const keyword of ['allOf', 'oneOf', 'anyOf']) {
    const list = schema[keyword];
    if (Array.isArray(list)) found.push(...list.map((item, index): [string, unknown] => [`/${keyword}/${index}`, item]));
  }
  if (isMapping(schema.properties)) {
    for (const [name, value] of Object.entries(schema.properties)) found.push([`/properties/${pointerToken(name)}`, value]);
  }
  return found;
}

function ownProblem(schema: SchemaObject): string | undefined {
  const unknown = Object.keys(schema).find((keyword) => !KEYWORDS.has(keyword) && !keyword.startsWith('x-'));
  if (unknown) return `"${unknown}" is not an OpenAPI 3.0 schema keyword`;
  if (schema.type !== undefined && !TYPES.includes(schema.type as string)) {
    return `type must be one of ${TYPES.join(', ')} (use nullable: true for null), got ${JSON.stringify(schema.type)}`;
  }
  if (schema.type === 'array' && schema.items === undefined) return 'an array schema needs items';
  if (schema.items !== undefined && !isMapping(schema.items)) return 'items must be one schema object (no tuples in OpenAPI 3.0)';
  if (schema.$ref !== undefined) {
    if (typeof schema.$ref !== 'string' || !localComponent(schema.$ref)) {
      return `$ref ${JSON.stringify(schema.$ref)} must point to a component of the same document (#/components/schemas/<Name>), not elsewhere`;
    }
  }
  return undefined;
}

/** The first violation, prefixed with the JSON pointer of the sub-schema at fault ('' when the schema is fine). */
export function schemaProblem(schema: unknown, pointer = ''): string {
  if (!isMapping(schema)) return `${pointer || '/'}: must be a schema object (a mapping)`;
  const own = ownProblem(schema);
  if (own) return `${pointer || '/'}: ${own}`;
  for (const [relative, child] of children(schema)) {
    const problem = schemaProblem(child, pointer + relative);
    if (problem) return problem;
  }
  return '';
}

export interface SchemaFacts {
  /** Each `default`, with the JSON pointer of the sub-schema declaring it. */
  defaults: { pointer: string; value: unknown }[];
  /** The components named by `$ref`s. */
  refs: string[];
}

export function schemaFacts(schema: SchemaObject, pointer = ''): SchemaFacts {
  const facts: SchemaFacts = {
    defaults: 'default' in schema ? [{ pointer, value: schema.default }] : [],
    refs: typeof schema.$ref === 'string' ? [localComponent(schema.$ref) ?? schema.$ref] : [],
  };
  for (const [relative, child] of children(schema)) {
    const inner = schemaFacts(child as SchemaObject, pointer + relative);
    facts.defaults.push(...inner.defaults);
    facts.refs.push(...inner.refs);
  }
  return facts;
}
