/**
 * OSIA lists the population registry host as a Data Access server, and civil-registry clients call both interfaces
 * on one base URL. Under `/pr`, a request goes to the Data Access router when its method and path belong to a Data
 * Access operation; `GET /v1/persons/{id}` is `readPersonAttributes` only when it names `attributeNames`, and
 * the PR's `readPerson` otherwise.
 */
import type { RequestHandler, Router } from 'express';
import { listOperations, type OpenApiDocument } from '../openapi/documents.js';
import { templateToRegExp } from './path-template.js';

export function dataAccessOnPr(document: OpenApiDocument, dataAccessRouter: Router): RequestHandler {
  const routes = listOperations(document).map((entry) => ({
    method: entry.method.toUpperCase(),
    path: templateToRegExp(entry.path),
    // Shares its method and path with the PR's readPerson: the query tells them apart.
    needsAttributeNames: entry.operationId === 'readPersonAttributes',
  }));
  return (req, res, next) => {
    const route = routes.find((candidate) => candidate.method === req.method && candidate.path.test(req.path));
    if (!route || (route.needsAttributeNames && !('attributeNames' in req.query))) {
      next();
      return;
    }
    dataAccessRouter(req, res, next);
  };
}
