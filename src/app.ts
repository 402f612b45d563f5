/**
 * The composition root of the HTTP application: cross-cutting middleware, then one router per OSIA interface,
 * then the error handling shared by all of them.
 */
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { createAbisHandlers } from './abis/abis.routes.js';
import { createCmsHandlers } from './cms/cms.routes.js';
import type { Config } from './config/config-options.js';
import { createDataAccessHandlers } from './dataaccess/dataaccess.routes.js';
import { createEnrollmentHandlers } from './enrollment/enrollment.routes.js';
import { errorMiddleware, notFoundMiddleware } from './errors/error-middleware.js';
import { docsRouter } from './http/docs.js';
import { healthRouter } from './http/health.js';
import { createInterfaceRouter } from './http/interface-router.js';
import { createMetrics } from './http/metrics.js';
import { requestLogging } from './http/request-logging.js';
import { createNotificationHandlers } from './notification/notification.routes.js';
import type { LoadedDocument } from './openapi/documents.js';
import type { InterfaceName } from './openapi/interfaces.js';
import { createPrHandlers } from './pr/pr.routes.js';
import type { Storage } from './storage/document-store.port.js';
import { createThirdPartyHandlers } from './thirdparty/thirdparty.routes.js';
import { createUinHandlers } from './uin/uin.routes.js';

export interface AppDependencies {
  config: Pick<Config, 'bodyLimit' | 'validateResponses'>;
  storage: Storage;
  logger: Logger;
  /** The documents of the interfaces to serve. */
  documents: readonly LoadedDocument[];
}

const HANDLERS: Record<InterfaceName, () => object> = {
  enrollment: createEnrollmentHandlers,
  pr: createPrHandlers,
  dataaccess: createDataAccessHandlers,
  uin: createUinHandlers,
  notification: createNotificationHandlers,
  cms: createCmsHandlers,
  thirdparty: createThirdPartyHandlers,
  abis: createAbisHandlers,
};

export function createApp({ config, storage, logger, documents }: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  const metrics = createMetrics();
  app.use(requestLogging(logger));
  app.use(metrics.record);
  app.use(healthRouter(storage.documents));
  app.get('/metrics', metrics.expose);
  app.get('/', (_req, res) => res.redirect('/docs/'));
  app.use(docsRouter(documents));
  for (const loaded of documents) {
    const handlers = HANDLERS[loaded.name]();
    app.use(`/${loaded.name}`, createInterfaceRouter({ loaded, handlers, ...config }));
  }
  app.use(notFoundMiddleware);
  app.use(errorMiddleware);
  return app;
}
