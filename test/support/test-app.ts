/** A real app on a real embedded store in a temporary directory, for supertest. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import pino, { type Logger } from 'pino';
import { createApp } from '../../src/app.js';
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
  bodyLimit?: string;
  logger?: Logger;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { interfaces = INTERFACE_NAMES, bodyLimit = '20mb', logger = pino({ level: 'silent' }) } = options;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-test-'));
  const storage = await createStorage({ dataDir, mongodbUri: process.env.MONGODB_URI, mongodbDatabase: `osia_test_${process.pid}` });
  const documents = await loadDocuments(interfaces);
  const app = createApp({
    config: { bodyLimit, validateResponses: true },
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
