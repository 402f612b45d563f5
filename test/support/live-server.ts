/**
 * The real server (src/server.ts) on an ephemeral loopback port, authentication on, on a fresh embedded store:
 * for the client library, the samples and the conformance checker, which speak HTTP like any integrator.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { listOperations, loadDocuments } from '../../src/openapi/documents.js';
import { startServer } from '../../src/server.js';
import { testLogger } from './test-app.js';
import { tokenFor } from './tokens.js';

export interface LiveServer {
  url: string;
  dataDir: string;
  /** A token carrying these scopes (space-separated). */
  token(scope: string): Promise<string>;
  /** A token carrying every scope named by the served documents, and `extra` ones. */
  allScopes(extra?: string): Promise<string>;
  stop(): Promise<void>;
}

async function everyScope(): Promise<string> {
  const scopes = new Set<string>();
  for (const { document } of await loadDocuments()) {
    for (const { operation } of listOperations(document)) {
      for (const requirement of operation.security ?? []) for (const list of Object.values(requirement)) for (const s of list) scopes.add(s);
    }
  }
  return [...scopes].join(' ');
}

export async function startLiveServer(env: NodeJS.ProcessEnv = {}): Promise<LiveServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-live-'));
  const request = loadConfig([], { PORT: '0', OSIA_HOST: '127.0.0.1', OSIA_AUTH: 'on', ...env, OSIA_DATA_DIR: dataDir });
  if (request.help) throw new Error('unreachable: no --help given');
  const server = await startServer(request.config, testLogger());
  return {
    url: server.url,
    dataDir,
    token: (scope) => tokenFor(dataDir, scope),
    allScopes: async (extra = '') => tokenFor(dataDir, `${await everyScope()} ${extra}`.trim()),
    stop: async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
