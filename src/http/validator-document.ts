/**
 * The copy of an interface document that the request validator is built from. It differs from the served document
 * in ways that are about validation, not about the contract:
 * - `servers` is the router's mount point, so that the validator matches URLs below it;
 * - a request body without `required` is optional (as OpenAPI says), which the validator needs spelt out;
 * - a PATCH body is a JSON merge patch (RFC 7396): a partial document in which `null` deletes a member. Validating
 *   it against the full schema would refuse every patch that omits a required field, so the validator only checks
 *   that it is a JSON object (sent as `application/json` or `application/merge-patch+json`); the service validates
 *   the merged result against the real schema (`src/openapi/schema-validator.ts`);
 * - query values may hold RFC 3986 reserved characters unescaped (`address=http://host/cb&policy=3,10`, as aiohttp
 *   and other clients send them): a query allows them, and Express decodes both forms alike;
 * - `transactionId`, OSIA's common query parameter, is accepted on every operation, also where a document forgets
 *   to declare it (Data Access): clients send it with every call, and the logs and the audit trail record it;
 * - a `oneOf` whose branches are all arrays becomes `anyOf`: the empty array matches every branch, so `oneOf`
 *   refuses it, and nothing else can match two of them (queryPersonList's `200 []`, a country profile choice);
 * - a `plain/text` body (Notification publish, sic) is also accepted as `text/plain` and as `application/json`,
 *   the media type every real publisher sends its event with; the body text is carried unchanged.
 */
import type { OpenApiDocument } from '../openapi/documents.js';

export const MERGE_PATCH = 'application/merge-patch+json';

/** Query parameters every operation accepts, declared or not. */
export const COMMON_QUERY_PARAMETERS: readonly string[] = ['transactionId'];

const TRANSACTION_ID = { name: 'transactionId', in: 'query', required: false, schema: { type: 'string' } } as const;

function arraysAnyOf(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  for (const child of Object.values(node)) arraysAnyOf(child);
  const schema = node as { oneOf?: { type?: string }[]; anyOf?: unknown };
  if (Array.isArray(schema.oneOf) && schema.oneOf.every((branch) => branch?.type === 'array')) {
    schema.anyOf = schema.oneOf;
    delete schema.oneOf;
  }
}

export function validatorDocument(document: OpenApiDocument, basePath: string): OpenApiDocument {
  const copy = structuredClone(document);
  arraysAnyOf(copy);
  copy.servers = [{ url: basePath }];
  for (const item of Object.values(copy.paths)) {
    for (const operation of Object.values(item)) {
      // OpenAPI's default, spelt out: the validator otherwise answers 415 to an optional body that is left out.
      if (operation?.requestBody) operation.requestBody.required ??= false;
      const content = operation?.requestBody?.content as Record<string, unknown> | undefined;
      if (content?.['plain/text']) {
        content['text/plain'] = content['plain/text'];
        content['application/json'] = {};
      }
      if (!operation?.operationId) continue;
      operation.parameters ??= [];
      const { parameters } = operation;
      if (!parameters.some((parameter) => parameter.name === TRANSACTION_ID.name && parameter.in === 'query')) {
        parameters.push(structuredClone(TRANSACTION_ID));
      }
      for (const parameter of parameters) if (parameter.in === 'query') parameter.allowReserved = true;
    }
    const body = item.patch?.requestBody;
    if (!body) continue;
    const patch = { schema: { type: 'object' } };
    body.content = { 'application/json': patch, [MERGE_PATCH]: patch };
  }
  return copy;
}
