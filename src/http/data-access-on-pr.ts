/**
 * OSIA lists the population registry host as a Data Access server, and civil-registry clients call both interfaces
 * on one base URL. Under `/pr`, a request goes to the Data Access router when its method and path belong to a Data
 * Access operation; `GET /v1/persons/{id}` is `readPersonAttributes` only when it names `attributeNames`, and
 * the PR's `readPerson` otherwise.
 */
import type { RequestHandler, Router } from 'express';
import { listOperations, type OpenApiDocument } from '../openapi/documents.js';
import { OperationMatcher } from './operation-matcher.js';

export function dataAccessOnPr(document: OpenApiDocument, dataAccessRouter: Router): RequestHandler {
  const matcher = new OperationMatcher(listOperations(document));
  return (req, res, next) => {
    const found = matcher.match(req.method === 'HEAD' ? 'GET' : req.method, req.path);
    // readPersonAttributes shares its method and path with the PR's readPerson: the query tells them apart.
    if (!found || (found.entry.operationId === 'readPersonAttributes' && !('attributeNames' in req.query))) {
      next();
      return;
    }
    dataAccessRouter(req, res, next);
  };
}
