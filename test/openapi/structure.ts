/**
 * Reduces an OpenAPI document to its structure: prose (description, summary, example, examples) is dropped,
 * keys become strings (YAML reads `200:` as a number), and the deviations listed in openapi/DEVIATIONS.md are
 * applied to the official side so that only unintended differences remain.
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

export function structureOf(node: unknown, context = ''): Json {
  if (Array.isArray(node)) return node.map((item) => structureOf(item, context));
  if (node === null || typeof node !== 'object') return node as Json;
  const out: Record<string, Json> = {};
  const inNameMap = NAME_MAPS.has(context);
  for (const [rawKey, value] of Object.entries(node)) {
    if (!inNameMap && PROSE.has(rawKey)) continue;
    const key = fixCallbackExpression(String(rawKey));
    out[key] = structureOf(value, inNameMap ? `${context}:item` : key);
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
