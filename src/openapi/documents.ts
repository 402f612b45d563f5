/** Loads our OpenAPI documents (`openapi/<name>.yaml`) once at start-up. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { type DocumentName, INTERFACE_NAMES } from './interfaces.js';
import { projectRoot } from './project-root.js';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface ParameterObject {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  allowReserved?: boolean;
  schema?: SchemaObject;
}

export type SchemaObject = Record<string, unknown>;

export interface OperationObject {
  operationId: string;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: SchemaObject }> };
  responses: Record<string, { content?: Record<string, { schema?: SchemaObject }> }>;
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  servers?: { url: string }[];
  paths: Record<string, Partial<Record<HttpMethod, OperationObject>>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

export interface LoadedDocument {
  name: DocumentName;
  /** The document as parsed; callers must not mutate it. */
  document: OpenApiDocument;
  /** The YAML text served at `/openapi/<name>.yaml`. */
  yaml: string;
}

export interface OperationEntry {
  operationId: string;
  method: HttpMethod;
  path: string;
  operation: OperationObject;
}

export function openapiDirectory(): string {
  return path.join(projectRoot(), 'openapi');
}

export async function loadDocument(name: DocumentName): Promise<LoadedDocument> {
  const yaml = await readFile(path.join(openapiDirectory(), `${name}.yaml`), 'utf8');
  return { name, document: parse(yaml) as OpenApiDocument, yaml };
}

export function loadDocuments(names: readonly DocumentName[] = INTERFACE_NAMES): Promise<LoadedDocument[]> {
  return Promise.all(names.map(loadDocument));
}

/** Every operation of a document, in document order (callbacks excluded: we are their client, not their server). */
export function listOperations(document: OpenApiDocument): OperationEntry[] {
  return Object.entries(document.paths).flatMap(([apiPath, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ operationId: operation.operationId, method, path: apiPath, operation }] : [];
    }),
  );
}

/** An operation described for integrators but answered by a library mounted before our routers (`x-served-by`). */
export function servedByLibrary({ operation }: OperationEntry): boolean {
  return typeof (operation as { 'x-served-by'?: unknown })['x-served-by'] === 'string';
}
