/**
 * Compiles the profiled components of one document with ajv, as the request validator will: `$ref`s resolve against
 * the document's components, the schema must satisfy the JSON Schema meta-schema, and each `default` must be valid
 * against the schema declaring it (otherwise it would be written into every record).
 */
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { LoadedDocument, SchemaObject } from '../openapi/documents.js';
import { schemaFacts } from './openapi-schema-rules.js';

const describe = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`).join('; ');

export function compileProblem(
  loaded: LoadedDocument,
  components: Record<string, SchemaObject>,
): { key: string; reason: string } | undefined {
  const schemas = { ...loaded.document.components?.schemas, ...components };
  // Unknown formats are allowed, as OpenAPI allows them: they document the value without constraining it.
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats.default(ajv);
  ajv.addSchema({ components: { schemas } }, 'doc');
  for (const [name, schema] of Object.entries(components)) {
    const key = `${name} (in ${loaded.name})`;
    const { defaults, refs } = schemaFacts(schema);
    const missing = refs.find((ref) => schemas[ref] === undefined);
    if (missing) return { key, reason: `$ref to component ${missing}, which ${loaded.name} does not have` };
    if (!ajv.validateSchema(schema)) return { key, reason: `invalid schema: ${describe(ajv.errors)}` };
    try {
      ajv.compile({ $ref: `doc#/components/schemas/${name}` });
      for (const { pointer, value } of defaults) {
        const fragment = pointer.split('/').map(encodeURIComponent).join('/');
        const validate = ajv.compile({ $ref: `doc#/components/schemas/${name}${fragment}` });
        if (!validate(structuredClone(value))) {
          return { key, reason: `${pointer || '/'}: default ${JSON.stringify(value)} is invalid: ${describe(validate.errors)}` };
        }
      }
    } catch (err) {
      return { key, reason: `invalid schema: ${(err as Error).message}` };
    }
  }
  return undefined;
}
