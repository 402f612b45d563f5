/**
 * Where each served document is mounted. By default `/<name>`; `OSIA_MOUNTS` moves any interface to any prefix,
 * `/` included, since OSIA's own server URLs put a component at the root of its host (`https://uin.example/v1/uin`)
 * and clients build `new URL('/v1/uin', base)`. A server of a single interface serves it at `/` as well. Data Access
 * is also served under the Population Registry's prefix, where readPersonAttributes and readPerson share a path.
 *
 * Routers only take the requests whose path belongs to their document, so nested prefixes (`/` and `/pr`) coexist.
 * A mounting where two operations of different documents could answer the same method and URL is ambiguous and
 * stops start-up.
 */
import { ConfigError } from '../config/config-options.js';
import { listOperations, type LoadedDocument } from '../openapi/documents.js';
import { AUDIT, type DocumentName, type InterfaceName, type ServableInterfaceName } from '../openapi/interfaces.js';

export interface Mount {
  loaded: LoadedDocument;
  prefix: string;
  /** Data Access under the PR's prefix: reached only by the requests that are not the PR's readPerson. */
  dataAccessOnPr: boolean;
}

/** Paths of the app itself, outside the OSIA documents: no interface may be mounted over them. */
const OPERATIONAL = ['/docs', '/openapi', '/healthz', '/readyz', '/metrics', '/events'];

const join = (prefix: string, path: string) => (prefix === '/' ? path : `${prefix}${path}`);
const segments = (path: string) => path.split('/').filter(Boolean);
const isParameter = (segment: string) => segment.startsWith('{');

/** Two path templates that some URL matches both. */
function overlap(a: string, b: string): boolean {
  const [left, right] = [segments(a), segments(b)];
  return left.length === right.length && left.every((segment, i) => segment === right[i] || isParameter(segment) || isParameter(right[i] ?? ''));
}

function ambiguity(mounts: readonly Mount[]): string | undefined {
  const routes = mounts.flatMap((mount) =>
    listOperations(mount.loaded.document).map((entry) => ({ mount, entry, url: join(mount.prefix, entry.path) })),
  );
  for (const [i, first] of routes.entries()) {
    for (const second of routes.slice(i + 1)) {
      if (first.mount.loaded.name === second.mount.loaded.name || first.entry.method !== second.entry.method) continue;
      // The one overlap settled by a rule: readPersonAttributes needs `attributeNames`, readPerson does not take it.
      const names = new Set([first.mount, second.mount].map((mount) => (mount.dataAccessOnPr ? 'dataaccess-on-pr' : mount.loaded.name)));
      if (names.has('dataaccess-on-pr') && names.has('pr')) continue;
      if (!overlap(first.url, second.url)) continue;
      const describe = (route: typeof first) => `${route.mount.loaded.name} ${route.entry.operationId} (${route.entry.method.toUpperCase()} ${route.url})`;
      return `${describe(first)} and ${describe(second)} would answer the same requests`;
    }
  }
  return undefined;
}

export function planMounts(documents: readonly LoadedDocument[], configured: Partial<Record<InterfaceName, string>>): Mount[] {
  const byName = new Map<DocumentName, LoadedDocument>(documents.map((loaded) => [loaded.name, loaded]));
  const interfaces = documents.filter(({ name }) => name !== AUDIT);
  for (const name of Object.keys(configured)) {
    if (!byName.has(name as DocumentName)) throw new ConfigError(`OSIA_MOUNTS mounts ${name}, which is not served (OSIA_INTERFACES)`);
  }
  const prefixOf = (name: DocumentName) => configured[name as InterfaceName] ?? `/${name}`;
  const prPrefix = byName.has('pr') ? prefixOf('pr') : undefined;
  const mounts: Mount[] = [];
  const add = (loaded: LoadedDocument, prefix: string) => {
    const taken = mounts.some((mount) => mount.loaded.name === loaded.name && mount.prefix === prefix);
    const dataAccessOnPr = loaded.name === 'dataaccess' && prefix === prPrefix;
    if (!taken) mounts.push({ loaded, prefix, dataAccessOnPr });
  };
  for (const loaded of documents) {
    const prefix = prefixOf(loaded.name);
    const clash = OPERATIONAL.find((path) => prefix === path || prefix.startsWith(`${path}/`));
    if (clash) throw new ConfigError(`OSIA_MOUNTS: ${loaded.name} cannot be mounted at ${prefix}, which the server uses for ${clash}`);
    add(loaded, prefix);
  }
  const [only] = interfaces;
  if (interfaces.length === 1 && only) add(only, '/');
  const dataAccess = byName.get('dataaccess');
  if (dataAccess && prPrefix !== undefined) add(dataAccess, prPrefix);
  const problem = ambiguity(mounts);
  if (problem) throw new ConfigError(`OSIA_MOUNTS: ambiguous mounting: ${problem}`);
  // Longer prefixes first, and Data Access ahead of the PR under the PR's prefix (it would otherwise be shadowed).
  return mounts.sort((a, b) => b.prefix.length - a.prefix.length || Number(b.dataAccessOnPr) - Number(a.dataAccessOnPr));
}

/** The prefixes of one document, for the documents served beside its operations (the CA of the CMS, the JWKS). */
export function prefixesOf(mounts: readonly Mount[], name: DocumentName): string[] {
  return mounts.filter((mount) => mount.loaded.name === name && !mount.dataAccessOnPr).map((mount) => mount.prefix);
}

/** Where the public documents go: beside the interface they serve, under each of its prefixes, or else at `/<name>`. */
export function publicMounts(mounts: readonly Mount[], documents: readonly LoadedDocument[], besideOf: (name: DocumentName) => ServableInterfaceName | undefined): Mount[] {
  const prefixes = (name: DocumentName, beside = besideOf(name)) => (beside ? prefixesOf(mounts, beside) : [`/${name}`]);
  return documents.flatMap((loaded) => prefixes(loaded.name).map((prefix) => ({ loaded, prefix, dataAccessOnPr: false })));
}
