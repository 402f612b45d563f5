/** Swagger UI at `/docs` (assets served locally, no CDN) and each raw document at `/openapi/<name>.yaml`. */
import express, { type Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { LoadedDocument } from '../openapi/documents.js';
import { DOCUMENT_TITLES } from '../openapi/interfaces.js';

export function docsRouter(documents: readonly LoadedDocument[]): Router {
  const router = express.Router();
  for (const { name, yaml } of documents) {
    router.get(`/openapi/${name}.yaml`, (_req, res) => {
      res.type('application/yaml').send(yaml);
    });
  }
  const urls = documents.map(({ name }) => ({ url: `/openapi/${name}.yaml`, name: DOCUMENT_TITLES[name] }));
  // The registry opens first; no badge from the public online validator (offline, and blocked by our CSP anyway).
  const swaggerOptions = {
    urls,
    'urls.primaryName': urls.some(({ name }) => name === DOCUMENT_TITLES.pr) ? DOCUMENT_TITLES.pr : undefined,
    validatorUrl: null,
    persistAuthorization: true,
  };
  router.use(
    '/docs',
    swaggerUi.serveFiles(undefined, { swaggerOptions }),
    swaggerUi.setup(undefined, { explorer: true, customSiteTitle: 'osia-server: OSIA 7.1 APIs', swaggerOptions }),
  );
  return router;
}
