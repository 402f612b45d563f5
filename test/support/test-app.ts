/** A real app on a real embedded store in a temporary directory, for supertest. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import pino, { type Logger } from 'pino';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { loadDocuments } from '../../src/openapi/documents.js';
import { INTERFACE_NAMES, type InterfaceName } from '../../src/openapi/interfaces.js';
import { createStorage } from '../../src/storage/create-storage.js';
import type { Storage } from '../../src/storage/document-store.port.js';

export interface TestApp {
  app: Express;
  storage: Storage;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  interfaces?: readonly InterfaceName[];
  logger?: Logger;
  /** Settings as environment variables (`OSIA_BODY_LIMIT`, `OSIA_PROFILE` …), read like the server reads them. */
  env?: NodeJS.ProcessEnv;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { interfaces = INTERFACE_NAMES, logger = pino({ level: 'silent' }), env = {} } = options;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-test-'));
  const storage = await createStorage({ dataDir, mongodbUri: process.env.MONGODB_URI, mongodbDatabase: path.basename(dataDir) });
  const documents = await loadDocuments(interfaces);
  // Functional tests run without tokens; the security tests turn authentication on with `env: { OSIA_AUTH: 'on' }`.
  const settings = { OSIA_AUTH: 'off', ...env, OSIA_DATA_DIR: dataDir, OSIA_VALIDATE_RESPONSES: 'true' };
  const request = loadConfig([], settings);
  if (request.help) throw new Error('unreachable: no --help given');
  const config = { ...request.config, interfaces: [...interfaces] };
  const app = await createApp({
    config,
    storage,
    logger,
    documents,
  });
  return {
    app,
    storage,
    dataDir,
    close: async () => {
      await storage.documents.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
