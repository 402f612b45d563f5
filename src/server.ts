/** Starts and stops the whole server: storage, documents, HTTP listener, graceful shutdown. */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { composeApp } from './composition-root.js';
import type { Config } from './config/config-options.js';
import { systemClock } from './shared/clock.js';
import { createHttpServer, schemeOf } from './http/http-server.js';
import { AUDIT } from './openapi/interfaces.js';
import { loadServedSetup } from './profile/served-documents.js';
import { createStorage } from './storage/create-storage.js';

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish (up to the timeout), then closes the store. */
  stop(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  // Before opening the store: a bad country profile stops start-up with nothing to clean up.
  const { documents, settings } = await loadServedSetup([...config.interfaces, AUDIT], config.profile);
  const clock = systemClock;
  const storage = await createStorage({
    dataDir: config.dataDir,
    mongodbUri: config.mongodbUri,
    mongodbDatabase: config.mongodbDatabase,
    clock,
  });
  const { app, jobs } = await composeApp({ config, storage, logger, documents, settings, clock });
  const server = createHttpServer(config, app).listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  jobs.startAll();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await closed;
      clearTimeout(timer);
      await jobs.stopAll();
      await storage.documents.close();
    })();
    return stopping;
  };
  logger.info(
    { port, scheme: schemeOf(config), store: storage.documents.kind, interfaces: config.interfaces, profile: config.profile },
    `osia-server listening on port ${port}`,
  );
  return { url: `${schemeOf(config)}://127.0.0.1:${port}`, port, stop };
}
