/** Swagger UI at `/docs` (assets served locally, no CDN) and each raw document at `/openapi/<name>.yaml`. */
import express, { type Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { parseDocument } from 'yaml';
import type { LoadedDocument } from '../openapi/documents.js';
import { DOCUMENT_TITLES } from '../openapi/interfaces.js';
import { type Mount, prefixesOf } from './mounts.js';

/** The YAML as served: its `servers` name where this server mounts it, so that Try-it-out calls the right URLs. */
function servedYaml(loaded: LoadedDocument, mounts: readonly Mount[]): string {
  const prefixes = prefixesOf(mounts, loaded.name);
  const declared = (loaded.document.servers ?? []).map(({ url }) => url);
  if (prefixes.length === declared.length && prefixes.every((prefix, i) => prefix === declared[i])) return loaded.yaml;
  const yaml = parseDocument(loaded.yaml);
  yaml.set('servers', prefixes.map((url) => ({ url })));
  return yaml.toString({ lineWidth: 0 });
}

export function docsRouter(documents: readonly LoadedDocument[], mounts: readonly Mount[]): Router {
  const router = express.Router();
  // One route for every document: each API request walks past this router, so it holds few routes.
  const served = new Map(documents.map((loaded) => [`${loaded.name}.yaml`, servedYaml(loaded, mounts)]));
  router.get('/openapi/:file', (req, res, next) => {
    const yaml = served.get(req.params.file as string);
    if (yaml === undefined) next();
    else res.type('application/yaml').send(yaml);
  });
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
