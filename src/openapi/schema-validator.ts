/**
 * Validates a value against a named component schema of one of our documents, for checks the request validator
 * cannot make (the result of a JSON merge patch). Same rules as the request validator: OpenAPI 3.0 schemas, formats
 * checked, required `readOnly` properties not demanded of client data.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenApiDocument, SchemaObject } from './documents.js';

export interface SchemaValidator {
  /** Returns a readable list of violations ('' when the value is valid). */
  check(schemaName: string, value: unknown): string;
}

/** Drops readOnly properties from `required` lists, as OpenAPI 3.0 prescribes for request data. */
function requestView(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(requestView);
  if (node === null || typeof node !== 'object') return node;
  const schema = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, requestView(value)])) as SchemaObject;
  const properties = schema.properties as Record<string, SchemaObject> | undefined;
  if (Array.isArray(schema.required) && properties) {
    schema.required = (schema.required as string[]).filter((name) => properties[name]?.readOnly !== true);
  }
  return schema;
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`).join('; ');
}

export function createSchemaValidator(document: OpenApiDocument): SchemaValidator {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ components: requestView(document.components ?? {}) }, 'doc');
  const compiled = new Map<string, ValidateFunction>();
  return {
    check(schemaName, value) {
      let validate = compiled.get(schemaName);
      if (!validate) {
        validate = ajv.compile({ $ref: `doc#/components/schemas/${schemaName}` });
        compiled.set(schemaName, validate);
      }
      return validate(value) ? '' : describe(validate.errors);
    },
  };
}
