/** A real app on a real embedded store in a temporary directory, for supertest. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import pino, { type Logger } from 'pino';
import { type AppServices, composeApp, type OidcLoginPorts } from '../../src/composition-root.js';
import type { BackgroundJobs } from '../../src/shared/background-jobs.js';
import { loadConfig } from '../../src/config/load-config.js';
import { type Clock, systemClock } from '../../src/shared/clock.js';
import { AUDIT, INTERFACE_NAMES, type ServableInterfaceName } from '../../src/openapi/interfaces.js';
import { loadServedSetup } from '../../src/profile/served-documents.js';
import { createStorage } from '../../src/storage/create-storage.js';
import type { Storage } from '../../src/storage/document-store.port.js';

export interface TestApp {
  app: Express;
  storage: Storage;
  /** The services of the served interfaces, for tests that drive them directly. */
  services: AppServices;
  /** The app's background jobs, registered but not started (tests drive the work themselves). */
  jobs: BackgroundJobs;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  interfaces?: readonly ServableInterfaceName[];
  logger?: Logger;
  /** Reopen an existing data directory instead of a fresh one. */
  dataDir?: string;
  /** Settings as environment variables (`OSIA_BODY_LIMIT`, `OSIA_PROFILE` …), read like the server reads them. */
  env?: NodeJS.ProcessEnv;
  /** The app's clock (a fake one the test moves); the system clock otherwise. */
  clock?: Clock;
  /** The OpenID provider's login methods (stand-ins in its tests). */
  oidcLogins?: OidcLoginPorts;
}

/**
 * `npm test` sets OSIA_TEST_LOG_FILE: every test app then logs everything there, and test/log-hygiene.check.ts
 * reads the whole file afterwards for personal data and tokens. Otherwise tests stay quiet.
 */
export function testLogger(): Logger {
  const file = process.env.OSIA_TEST_LOG_FILE;
  if (!file) return pino({ level: 'silent' });
  return pino({ level: 'debug' }, pino.destination({ dest: file, append: true, sync: true }));
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { interfaces = INTERFACE_NAMES, logger = testLogger(), env = {} } = options;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'osia-test-')));
  // Functional tests run without tokens; the security tests turn authentication on with `env: { OSIA_AUTH: 'on' }`.
  const variables = { OSIA_AUTH: 'off', ...env, OSIA_DATA_DIR: dataDir, OSIA_VALIDATE_RESPONSES: 'true' };
  const request = loadConfig([], variables);
  if (request.help) throw new Error('unreachable: no --help given');
  const config = { ...request.config, interfaces: [...interfaces] };
  const { documents, settings } = await loadServedSetup([...interfaces, AUDIT], config.profile);
  const clock = options.clock ?? systemClock;
  const storage = await createStorage({ dataDir, mongodbUri: process.env.MONGODB_URI, mongodbDatabase: path.basename(dataDir), clock });
  const { app, services, jobs } = await composeApp({ config, storage, logger, documents, settings, clock, oidcLogins: options.oidcLogins }).catch(async (err: unknown) => {
    await storage.documents.close();
    if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    throw err;
  });
  return {
    app,
    storage,
    services,
    jobs,
    dataDir,
    close: async () => {
      await storage.documents.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
