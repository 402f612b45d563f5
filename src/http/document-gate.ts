/**
 * Lets through to an interface router only the requests whose path belongs to its document, so that routers on
 * nested prefixes (`/` and `/pr`) do not answer 404 for each other. Data Access under the Population Registry's
 * prefix is stricter: method and path must be a Data Access operation, and `GET /v1/persons/{id}` is
 * readPersonAttributes only when it names `attributeNames` (the PR's readPerson otherwise): civil-registry clients
 * call both interfaces on one base URL.
 */
import type { RequestHandler, Router } from 'express';
import { listOperations, type OpenApiDocument } from '../openapi/documents.js';
import { OperationMatcher } from './operation-matcher.js';

export function documentGate(document: OpenApiDocument, router: Router, dataAccessOnPr: boolean): RequestHandler {
  const matcher = new OperationMatcher(listOperations(document));
  return (req, res, next) => {
    if (!dataAccessOnPr) {
      if (matcher.hasPath(req.path)) router(req, res, next);
      else next();
      return;
    }
    const found = matcher.match(req.method === 'HEAD' ? 'GET' : req.method, req.path);
    if (!found || (found.entry.operationId === 'readPersonAttributes' && !('attributeNames' in req.query))) {
      next();
      return;
    }
    router(req, res, next);
  };
}
