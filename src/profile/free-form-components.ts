/**
 * The components OSIA leaves to each deployment: schemas that say nothing about their members (no `type`, or
 * `type: object`, and no `properties`, composition, `$ref`, `enum` or `items`). Only those may be profiled, so that
 * a profile can never loosen or contradict a structure OSIA defines.
 */
import type { OpenApiDocument, SchemaObject } from '../openapi/documents.js';

const STRUCTURE = ['properties', '$ref', 'allOf', 'anyOf', 'oneOf', 'not', 'enum', 'items'];

export function isFreeForm(schema: SchemaObject): boolean {
  if (STRUCTURE.some((keyword) => keyword in schema)) return false;
  return schema.type === undefined || schema.type === 'object';
}

export function freeFormComponents(document: OpenApiDocument): string[] {
  const schemas = document.components?.schemas ?? {};
  return Object.keys(schemas).filter((name) => isFreeForm(schemas[name] as SchemaObject));
}
