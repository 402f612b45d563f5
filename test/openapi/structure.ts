/**
 * Reduces an OpenAPI document to its structure: prose (description, summary, example, examples) is dropped and
 * keys become strings (YAML reads `200:` as a number). `withDeviations` applies the changes listed in
 * openapi/DEVIATIONS.md to the official document, so that only unintended differences remain.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const PROSE = new Set(['description', 'summary', 'example', 'examples']);
/** Maps whose keys are names chosen by the author (a property called "description" is not prose). */
const NAME_MAPS = new Set([
  'properties',
  'paths',
  'schemas',
  'responses',
  'callbacks',
  'content',
  'securitySchemes',
  'headers',
  'encoding',
  'mapping',
]);

/** DEVIATIONS.md #1: ABIS callback expressions `${request.query.callback}` are malformed; we use `{$request…}`. */
function fixCallbackExpression(key: string): string {
  return key.startsWith('${request.') ? `{$${key.slice(2)}` : key;
}

/**
 * DEVIATIONS.md #2: a `oneOf` listing both `integer` and `number` rejects every integer (it matches both
 * branches); we write `anyOf`.
 */
function overlapsIntegerAndNumber(alternatives: unknown): boolean {
  const types = Array.isArray(alternatives) ? alternatives.map((item) => (item as { type?: string }).type) : [];
  return types.includes('integer') && types.includes('number');
}

export function withDeviations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withDeviations);
  if (node === null || typeof node !== 'object') return node;
  const { oneOf, ...rest } = node as Record<string, unknown>;
  const record = overlapsIntegerAndNumber(oneOf) ? { ...rest, anyOf: oneOf } : (node as Record<string, unknown>);
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [fixCallbackExpression(key), withDeviations(value)]),
  );
}

export function structureOf(node: unknown, context = ''): Json {
  if (Array.isArray(node)) return node.map((item) => structureOf(item, context));
  if (node === null || typeof node !== 'object') return node as Json;
  const out: Record<string, Json> = {};
  const inNameMap = NAME_MAPS.has(context);
  for (const [key, value] of Object.entries(node)) {
    if (!inNameMap && PROSE.has(key)) continue;
    out[String(key)] = structureOf(value, inNameMap ? `${context}:item` : key);
  }
  return out;
}

/** Everything but the paths and schemas, which are compared one by one; servers and info prose are ours. */
export function documentFrame(structure: Record<string, Json>): Json {
  const { paths: _paths, components, servers: _servers, info, ...rest } = structure as Record<string, never>;
  const { schemas: _schemas, ...otherComponents } = (components ?? {}) as Record<string, Json>;
  const { version, license } = (info ?? {}) as Record<string, Json>;
  return { ...rest, components: otherComponents, info: { version, license } } as Json;
}

/** Every description/summary string of a document, for the "own words" check. */
export function proseOf(node: unknown, context = '', found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) proseOf(item, context, found);
  } else if (node !== null && typeof node === 'object') {
    const inNameMap = NAME_MAPS.has(context);
    for (const [key, value] of Object.entries(node)) {
      if (!inNameMap && (key === 'description' || key === 'summary') && typeof value === 'string') found.push(value);
      else proseOf(value, inNameMap ? `${context}:item` : key, found);
    }
  }
  return found;
}
