/**
 * The HTTP application built from the composed services (see `composition-root.ts`): cross-cutting middleware, then
 * one router per served OSIA interface, then the error handling shared by all of them.
 */
import express, { type Express, type Router } from 'express';
import type { Logger } from 'pino';
import type { AuditLog } from './audit/audit-log.js';
import { AUDITED, auditRecorder } from './audit/audit-recorder.js';
import { createTokenVerifier } from './auth/token-verifier.js';
import type { Config } from './config/config-options.js';
import type { PkiIssuer } from './credentials/pki/pki-issuer.js';
import { createPkiRouter } from './credentials/pki/pki-routes.js';
import { errorMiddleware, notFoundMiddleware } from './errors/error-middleware.js';
import { docsRouter } from './http/docs.js';
import { documentGate } from './http/document-gate.js';
import { healthRouter } from './http/health.js';
import { schemeOf } from './http/http-server.js';
import { createInterfaceRouter } from './http/interface-router.js';
import type { Metrics } from './http/metrics.js';
import { type Mount, prefixesOf } from './http/mounts.js';
import { clientRateLimit } from './http/rate-limit.js';
import { requestLogging } from './http/request-logging.js';
import { securityHeaders } from './http/security-headers.js';
import type { LoadedDocument } from './openapi/documents.js';
import type { DocumentName } from './openapi/interfaces.js';
import type { Clock } from './shared/clock.js';
import type { Storage } from './storage/document-store.port.js';
import { createJwksRouter } from './thirdparty/jwks-route.js';
import type { ProofSigner } from './thirdparty/proof-signer.js';

export interface HttpAppParts {
  config: Config;
  storage: Storage;
  logger: Logger;
  documents: readonly LoadedDocument[];
  mounts: readonly Mount[];
  metrics: Metrics;
  /** The handler map of each served document. */
  handlers: ReadonlyMap<DocumentName, object>;
  auditLog: AuditLog;
  /** Dates the audit trail. */
  clock: Clock;
  /** The issuing CA, when CMS is served: its certificate and CRL are published beside the CMS operations. */
  pkiIssuer: PkiIssuer | undefined;
  /** The proof signer, when Third Party is served: its key set is published beside its operations. */
  proofSigner: ProofSigner | undefined;
  /** The callbacks of the event subscriptions (`/events/v1/...`, outside the OSIA prefixes), when configured. */
  eventCallbacks: Router | undefined;
}

export async function createHttpApp(parts: HttpAppParts): Promise<Express> {
  const { config, storage, logger, documents, mounts, metrics, handlers, auditLog, clock } = parts;
  const app = express();
  app.disable('x-powered-by');
  // API answers are `no-store`: hashing every body for an ETag would be work no cache uses.
  app.disable('etag');
  const verifier = config.auth === 'on' ? await createTokenVerifier(config) : undefined;
  const jsonLimits = { maxDepth: config.jsonMaxDepth, maxMembers: config.jsonMaxMembers, maxValues: config.jsonMaxValues };
  const afterAuthentication = config.rateLimit > 0 ? [clientRateLimit(config.rateLimit)] : [];
  app.use(securityHeaders(schemeOf(config) === 'https'));
  app.use(requestLogging(logger));
  app.use(metrics.record);
  app.use(healthRouter(storage.documents));
  app.get('/metrics', metrics.expose);
  app.get('/', (_req, res) => res.redirect('/docs/'));
  app.use(docsRouter(documents, mounts));
  const routerAt = (loaded: LoadedDocument, basePath: string) =>
    createInterfaceRouter({
      loaded,
      handlers: handlers.get(loaded.name) ?? {},
      basePath,
      verifier,
      audit: AUDITED.has(loaded.name) ? auditRecorder(auditLog, loaded.name, clock) : undefined,
      afterAuthentication,
      validateResponses: config.validateResponses,
      bodyLimit: config.bodyLimit,
      jsonLimits,
    });
  // The issuing CA's certificate and CRL, and the key set that checks verification proofs, are public, outside the
  // OSIA documents: beside the CMS and Third Party operations, ahead of their routers.
  if (parts.pkiIssuer) {
    const pki = createPkiRouter(parts.pkiIssuer);
    for (const prefix of prefixesOf(mounts, 'cms')) app.use(prefix, pki);
  }
  if (parts.proofSigner) {
    const jwks = createJwksRouter(parts.proofSigner);
    for (const prefix of prefixesOf(mounts, 'thirdparty')) app.use(prefix, jwks);
  }
  if (parts.eventCallbacks) app.use(parts.eventCallbacks);
  for (const { loaded, prefix, dataAccessOnPr } of mounts) {
    app.use(prefix, documentGate(loaded.document, routerAt(loaded, prefix), dataAccessOnPr));
  }
  app.use(notFoundMiddleware);
  app.use(errorMiddleware);
  return app;
}
