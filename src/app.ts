/**
 * The composition root of the HTTP application: cross-cutting middleware, then one router per OSIA interface,
 * then the error handling shared by all of them.
 */
import express, { type Express, type Router } from 'express';
import type { Logger } from 'pino';
import { createAbisHandlers } from './abis/abis.routes.js';
import { AuditLog } from './audit/audit-log.js';
import { AUDITED, auditRecorder } from './audit/audit-recorder.js';
import { createAuditHandlers } from './audit/audit.routes.js';
import { createTokenVerifier } from './auth/token-verifier.js';
import { createCmsHandlers } from './cms/cms.routes.js';
import type { Config } from './config/config-options.js';
import { type Clock, systemClock } from './credentials/credential-dates.js';
import { createPkiRouter } from './credentials/pki/pki-routes.js';
import { sharedPkiIssuer } from './credentials/pki/shared-pki-issuer.js';
import { createDataAccessHandlers } from './dataaccess/dataaccess.routes.js';
import { createEnrollmentHandlers } from './enrollment/enrollment.routes.js';
import { EventBus } from './events/event-bus.js';
import { errorMiddleware, notFoundMiddleware } from './errors/error-middleware.js';
import { BackgroundJobs } from './http/background-jobs.js';
import { docsRouter } from './http/docs.js';
import { documentGate } from './http/document-gate.js';
import { healthRouter } from './http/health.js';
import type { HandlerFactory, InterfaceDependencies } from './http/interface-dependencies.js';
import { createInterfaceRouter } from './http/interface-router.js';
import { createMetrics } from './http/metrics.js';
import { planMounts, prefixesOf } from './http/mounts.js';
import { clientRateLimit } from './http/rate-limit.js';
import { requestLogging } from './http/request-logging.js';
import { schemeOf } from './http/http-server.js';
import { SharedInstances } from './http/shared-instances.js';
import { securityHeaders } from './http/security-headers.js';
import { createNotificationHandlers } from './notification/notification.routes.js';
import type { LoadedDocument } from './openapi/documents.js';
import type { DocumentName } from './openapi/interfaces.js';
import type { ProfileSettings } from './profile/profile-settings.js';
import { createPrHandlers } from './pr/pr.routes.js';
import type { Storage } from './storage/document-store.port.js';
import { createThirdPartyHandlers } from './thirdparty/thirdparty.routes.js';
import { createJwksRouter } from './thirdparty/jwks-route.js';
import { sharedProofSigner } from './thirdparty/proof-signer.js';
import { createUinHandlers } from './uin/uin.routes.js';
import { registerIssuanceWorkflow } from './workflow/register-issuance.js';

export interface AppDependencies {
  config: Config;
  storage: Storage;
  logger: Logger;
  /** The documents to serve: the chosen OSIA interfaces and the audit report. */
  documents: readonly LoadedDocument[];
  /** The behaviour settings of the country profile. */
  settings: ProfileSettings;
  /** Where the app keeps the domain objects its interfaces share; given by callers that need to reach them (tests). */
  shared?: SharedInstances;
  /** Receives the interfaces' background jobs; the server starts them once listening. */
  jobs?: BackgroundJobs;
  clock?: Clock;
}

const HANDLERS: Record<DocumentName, HandlerFactory> = {
  enrollment: createEnrollmentHandlers,
  pr: createPrHandlers,
  dataaccess: createDataAccessHandlers,
  uin: createUinHandlers,
  notification: createNotificationHandlers,
  cms: createCmsHandlers,
  thirdparty: createThirdPartyHandlers,
  abis: createAbisHandlers,
  audit: createAuditHandlers,
};

export async function createApp(dependencies: AppDependencies): Promise<Express> {
  const { config, storage, logger, documents, settings, shared = new SharedInstances(), jobs = new BackgroundJobs(), clock = systemClock } =
    dependencies;
  // First: an ambiguous mounting stops start-up before anything else is built.
  const mounts = planMounts(documents, config.mounts);
  const app = express();
  app.disable('x-powered-by');
  const metrics = createMetrics();
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
  const auditLog = await AuditLog.open(storage);
  const routers = new Map<DocumentName, (basePath: string) => Router>();
  const events = new EventBus(logger);
  const depsOf = new Map<DocumentName, InterfaceDependencies>();
  for (const document of documents) {
    const deps = { config, storage, logger, metrics: metrics.registry, document, settings, shared, events, jobs, clock };
    depsOf.set(document.name, deps);
    const handlers = await HANDLERS[document.name](deps);
    const audit = AUDITED.has(document.name) ? auditRecorder(auditLog, document.name) : undefined;
    routers.set(document.name, (basePath) =>
      createInterfaceRouter({
        loaded: document,
        handlers,
        basePath,
        verifier,
        audit,
        afterAuthentication,
        validateResponses: config.validateResponses,
        bodyLimit: config.bodyLimit,
        jsonLimits,
      }),
    );
  }
  if (config.workflow === 'issuance') await registerIssuanceWorkflow(depsOf);
  // The issuing CA's certificate and CRL, and the key set that checks verification proofs, are public, outside the
  // OSIA documents: beside the CMS and Third Party operations, ahead of their routers.
  const cmsPrefixes = prefixesOf(mounts, 'cms');
  if (cmsPrefixes.length > 0) {
    const pki = createPkiRouter(await sharedPkiIssuer({ config, storage, shared }));
    for (const prefix of cmsPrefixes) app.use(prefix, pki);
  }
  const thirdPartyPrefixes = prefixesOf(mounts, 'thirdparty');
  if (thirdPartyPrefixes.length > 0) {
    const jwks = createJwksRouter(await sharedProofSigner({ config, shared }));
    for (const prefix of thirdPartyPrefixes) app.use(prefix, jwks);
  }
  for (const { loaded, prefix, dataAccessOnPr } of mounts) {
    const routerAt = routers.get(loaded.name);
    if (routerAt) app.use(prefix, documentGate(loaded.document, routerAt(prefix), dataAccessOnPr));
  }
  app.use(notFoundMiddleware);
  app.use(errorMiddleware);
  return app;
}
