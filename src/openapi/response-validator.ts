/**
 * Checks an answer against the responses an operation documents: the status must be listed (or `default`),
 * the media type must be one of that response's, and a JSON body must validate against its schema (ajv,
 * OpenAPI 3.0 rules: `nullable`, formats; readOnly properties may appear, writeOnly ones must not be required).
 * Used by the conformance check (src/check) on servers it probes, and by the ABIS gateway on the vendor's answers.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenApiDocument, OperationObject, SchemaObject } from './documents.js';

/** An HTTP answer as received. */
export interface Answer {
  status: number;
  /** The media type without parameters, '' when the answer has no Content-Type. */
  mediaType: string;
  /** Parsed JSON for JSON media types, otherwise the text ('' for an empty body). */
  body: unknown;
}

/** Rewrites local `#/components/…` references so that they resolve inside the document added as `doc`. */
function anchored(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(anchored);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' ? `doc${value}` : anchored(value)]),
  );
}

export interface ResponseValidator {
  /** '' when the answer is as documented, else the reason. */
  check(operation: OperationObject, answer: Answer): string;
  /** '' when `value` validates against `schema` (a schema of the document, or one with `$ref`s into it), else why. */
  checkSchema(schema: SchemaObject, value: unknown): string;
}

function mediaMatches(documented: string, actual: string): boolean {
  if (documented === actual) return true;
  const [type, subtype] = documented.split('/');
  return subtype === '*' && actual.startsWith(`${type}/`);
}

export function createResponseValidator(document: OpenApiDocument): ResponseValidator {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ components: anchored(document.components ?? {}) }, 'doc');
  const compiled = new WeakMap<SchemaObject, ValidateFunction>();
  const validatorFor = (schema: SchemaObject) => {
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(anchored(schema) as SchemaObject);
      compiled.set(schema, validate);
    }
    return validate;
  };
  const checkSchema = (schema: SchemaObject, value: unknown) => {
    const validate = validatorFor(schema);
    if (validate(value)) return '';
    return (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
  };
  return {
    checkSchema,
    check(operation, answer) {
      const response = operation.responses[String(answer.status)] ?? operation.responses.default;
      if (!response) return `status ${answer.status} is not documented (documented: ${Object.keys(operation.responses).join(', ')})`;
      const content = response.content;
      if (!content) return '';
      const entry = Object.entries(content).find(([mediaType]) => mediaMatches(mediaType, answer.mediaType));
      if (!entry) return `media type '${answer.mediaType}' is not documented for ${answer.status} (${Object.keys(content).join(', ')})`;
      const [mediaType, media] = entry;
      if (!mediaType.includes('json') || !media.schema) return '';
      const problem = checkSchema(media.schema, answer.body);
      return problem && `body does not match the ${answer.status} schema: ${problem}`;
    },
  };
}
