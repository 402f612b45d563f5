/**
 * The copy of an interface document that the request validator is built from. It differs from the served document
 * in two ways that are about validation, not about the contract:
 * - `servers` is the router's mount point, so that the validator matches URLs below it;
 * - a request body without `required` is optional (as OpenAPI says), which the validator needs spelt out;
 * - a PATCH body is a JSON merge patch (RFC 7396): a partial document in which `null` deletes a member. Validating
 *   it against the full schema would refuse every patch that omits a required field, so the validator only checks
 *   that it is a JSON object (sent as `application/json` or `application/merge-patch+json`); the service validates
 *   the merged result against the real schema (`src/openapi/schema-validator.ts`);
 * - a `plain/text` body (Notification publish, sic) is also accepted as `text/plain` and as `application/json`,
 *   the media type every real publisher sends its event with; the body text is carried unchanged.
 */
import type { OpenApiDocument } from '../openapi/documents.js';

export const MERGE_PATCH = 'application/merge-patch+json';

export function validatorDocument(document: OpenApiDocument, basePath: string): OpenApiDocument {
  const copy = structuredClone(document);
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
    }
    const body = item.patch?.requestBody;
    if (!body) continue;
    const patch = { schema: { type: 'object' } };
    body.content = { 'application/json': patch, [MERGE_PATCH]: patch };
  }
  return copy;
}
