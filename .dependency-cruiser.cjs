/**
 * Layering rules, checked by `npm run layers` inside `npm test`:
 * - an OSIA interface folder never imports another interface folder (they talk through the storage port or events);
 * - domain code never imports src/http: only the route files (`*.routes.ts`, the HTTP edge), the server-rendered
 *   pages (`*.page.ts`) and the composition root do;
 * - express is imported only in src/http, src/app.ts and the composition root;
 * - domain and HTTP code never import a database driver: only the storage adapters do;
 * - nothing in src/ imports tests, scripts or benchmarks;
 * - the client library (src/client, published as `osia-server/client`) stands alone: generated types and
 *   openapi-fetch only, nothing of the server.
 */
const { readdirSync } = require('node:fs');
const path = require('node:path');

/**
 * The interface folders: those of src/ that hold the module of the interface they are named after
 * (`<interface>/<interface>.routes.ts`); other domain folders may hold the routes of a public document.
 */
const INTERFACES = readdirSync(path.join(__dirname, 'src'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && readdirSync(path.join(__dirname, 'src', entry.name)).includes(`${entry.name}.routes.ts`))
  .map((entry) => entry.name);
/** Domain code: the interfaces and what they share. */
const DOMAIN = [...INTERFACES, 'registry', 'identity', 'credentials', 'biometrics', 'workflow', 'shared', 'events', 'flows'];

module.exports = {
  forbidden: [
    ...INTERFACES.map((name) => ({
      name: `no-cross-interface-${name}`,
      comment: `src/${name} must not import another OSIA interface folder`,
      severity: 'error',
      from: { path: `^src/${name}/` },
      to: { path: `^src/(${INTERFACES.filter((other) => other !== name).join('|')})/` },
    })),
    {
      name: 'domain-not-http',
      comment: 'Domain code does not know about HTTP: only the route files (*.routes.ts) and the pages (*.page.ts) import src/http',
      severity: 'error',
      from: { path: `^src/(${DOMAIN.join('|')})/`, pathNot: '\\.(routes|page)\\.ts$' },
      to: { path: '^src/http/' },
    },
    {
      name: 'express-only-in-http',
      comment: 'HTTP stays in src/http: only it, the app (src/app.ts) and the composition root import express',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(http/|app\\.ts$|composition-root\\.ts$)' },
      to: { path: 'node_modules/express/' },
    },
    {
      name: 'drivers-only-in-adapters',
      comment: 'Only storage adapters may import database drivers',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/storage/(sqlite|mongo)/' },
      to: { path: 'node_modules/(mongodb|better-sqlite3)/' },
    },
    {
      name: 'adapters-not-http',
      comment: 'Storage does not know about HTTP',
      severity: 'error',
      from: { path: '^src/storage/' },
      to: { path: '^src/(http|errors)/|node_modules/express' },
    },
    {
      name: 'client-stands-alone',
      comment: 'src/client imports nothing from the rest of src/ (only generated/ types and its own files)',
      severity: 'error',
      from: { path: '^src/client/' },
      to: { path: '^src/', pathNot: '^src/client/' },
    },
    {
      name: 'src-not-tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|scripts|bench)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
