/**
 * The HTTP application built from the composed services (see `composition-root.ts`): cross-cutting middleware, then
 * one router per served interface and mount, then the error handling shared by all of them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { AuditLog } from './audit/audit-log.js';
import { auditRecorder } from './audit/audit-recorder.js';
import { createTokenVerifier } from './auth/token-verifier.js';
import type { Config } from './config/config-options.js';
import { errorMiddleware, notFoundMiddleware } from './http/error-middleware.js';
import { docsRouter } from './http/docs.js';
import { healthRouter } from './http/health.js';
import { schemeOf } from './http/http-server.js';
import type { ServedInterface } from './http/interface-module.js';
import { createInterfaceRouter } from './http/interface-router.js';
import type { Metrics } from './http/metrics.js';
import { type Mount, publicMounts } from './http/mounts.js';
import { clientRateLimit } from './http/rate-limit.js';
import { requestLogging } from './http/request-logging.js';
import { securityHeaders } from './http/security-headers.js';
import { type LoadedDocument, listOperations, servedByLibrary } from './openapi/documents.js';
import type { DocumentName } from './openapi/interfaces.js';
import { OperationMatcher } from './http/operation-matcher.js';
import type { Clock } from './shared/clock.js';
import type { Storage } from './storage/document-store.port.js';

export interface HttpAppParts {
  config: Config;
  storage: Storage;
  logger: Logger;
  /** Every served document: the OSIA interfaces, the audit report and the public documents. */
  documents: readonly LoadedDocument[];
  /** Where the OSIA interfaces and the audit report are mounted (the public documents follow their `beside`). */
  mounts: readonly Mount[];
  metrics: Metrics;
  /** The served interfaces: what each module says of itself, with its handlers. */
  interfaces: readonly ServedInterface[];
  auditLog: AuditLog;
  /** Dates the audit trail. */
  clock: Clock;
  /** A library answering its own endpoints under an interface's prefixes (oidc-provider under the `oidc` ones). */
  library?: { name: DocumentName; callback: (req: IncomingMessage, res: ServerResponse) => unknown };
}

/**
 * The library's callback, mounted before every router and body parser (a Koa app reads its own bodies): it takes
 * every request under the prefix except those of the operations our documents there bind (the login and consent
 * pages of its own, and those of the documents served beside it: the passkeys).
 */
function libraryGate(loaded: readonly LoadedDocument[], callback: (req: IncomingMessage, res: ServerResponse) => unknown): RequestHandler {
  const ours = new OperationMatcher(loaded.flatMap(({ document }) => listOperations(document)).filter((entry) => !servedByLibrary(entry)));
  return (req, res, next) => {
    if (ours.lookup(req.method, req.path)) next();
    else callback(req, res);
  };
}

export async function createHttpApp(parts: HttpAppParts): Promise<Express> {
  const { config, storage, logger, documents, metrics, auditLog, clock } = parts;
  const app = express();
  app.disable('x-powered-by');
  // API answers are `no-store`: hashing every body for an ETag would be work no cache uses.
  app.disable('etag');
  const verifier = config.auth === 'on' ? await createTokenVerifier(config) : undefined;
  const jsonLimits = { maxDepth: config.jsonMaxDepth, maxMembers: config.jsonMaxMembers, maxValues: config.jsonMaxValues };
  const afterAuthentication = config.rateLimit > 0 ? [clientRateLimit(config.rateLimit)] : [];
  const byName = new Map(parts.interfaces.map((served) => [served.name, served]));
  const planned = new Set(parts.mounts.map((mount) => mount.loaded.name));
  const unplanned = documents.filter(({ name }) => !planned.has(name));
  const mounts = [...parts.mounts, ...publicMounts(parts.mounts, unplanned, (name) => byName.get(name)?.beside)];
  const libraryMounts = parts.library ? mounts.filter(({ loaded }) => loaded.name === parts.library?.name) : [];
  app.use(securityHeaders(schemeOf(config) === 'https', libraryMounts.map(({ prefix }) => prefix)));
  app.use(requestLogging(logger));
  app.use(metrics.record);
  app.use(healthRouter(storage.documents));
  app.get('/metrics', metrics.expose);
  app.get('/', (_req, res) => res.redirect('/docs/'));
  app.use(docsRouter(documents, mounts));
  for (const { prefix } of libraryMounts) {
    const there = mounts.filter((mount) => mount.prefix === prefix).map(({ loaded }) => loaded);
    if (parts.library) app.use(prefix, libraryGate(there, parts.library.callback));
  }
  for (const { loaded, prefix, dataAccessOnPr } of mounts) {
    const served = byName.get(loaded.name);
    const recordAudit = served?.audit && auditRecorder(auditLog, loaded.name, clock);
    const { validateResponses, bodyLimit } = config;
    const options = { loaded, basePath: prefix, shared: dataAccessOnPr, verifier, recordAudit, afterAuthentication, validateResponses, bodyLimit, jsonLimits };
    app.use(prefix, createInterfaceRouter({ handlers: {}, ...served, ...options }));
  }
  app.use(notFoundMiddleware);
  app.use(errorMiddleware);
  return app;
}
