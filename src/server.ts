/** Starts and stops the whole server: storage, documents, HTTP listeners, graceful shutdown. */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { composeApp } from './composition-root.js';
import { type Config, ConfigError } from './config/config-options.js';
import { type Clock, systemClock } from './shared/clock.js';
import { createCardServer, createHttpServer, schemeOf } from './http/http-server.js';
import { AUDIT } from './openapi/interfaces.js';
import { loadServedSetup } from './profile/served-documents.js';
import { createStorage } from './storage/create-storage.js';

export interface RunningServer {
  url: string;
  port: number;
  /** The ID-card login listener's port (OSIA_OIDC_CARD_PORT), when it runs. */
  cardPort?: number;
  /** Stops accepting connections, lets in-flight requests finish (up to the timeout), then closes the store. */
  stop(): Promise<void>;
}

/** `clock` is the system's but for end-to-end tests, which move time on a server they run in their own process. */
export async function startServer(config: Config, logger: Logger, clock: Clock = systemClock): Promise<RunningServer> {
  // Before opening the store: a bad country profile stops start-up with nothing to clean up.
  const { documents, settings } = await loadServedSetup([...config.interfaces, AUDIT], config.profile);
  const storage = await createStorage({
    dataDir: config.dataDir,
    mongodbUri: config.mongodbUri,
    mongodbDatabase: config.mongodbDatabase,
    clock,
  });
  const { app, jobs, issuingCaPem } = await composeApp({ config, storage, logger, documents, settings, clock });
  if (config.oidcCardPort !== undefined && !issuingCaPem) {
    await storage.documents.close();
    throw new ConfigError('OSIA_OIDC_CARD_PORT (ID-card login) needs the CMS issuing CA: serve cms (OSIA_INTERFACES)');
  }
  const server = await listening(createHttpServer(config, app), config.port, config.host);
  const card =
    config.oidcCardPort !== undefined && issuingCaPem
      ? await listening(createCardServer(config, issuingCaPem, app), config.oidcCardPort, config.host).catch(async (err: unknown) => {
          server.close();
          await storage.documents.close();
          throw err;
        })
      : undefined;
  const servers = card ? [server, card] : [server];
  const port = portOf(server);
  const cardPort = card && portOf(card);
  jobs.startAll();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const closed = Promise.all(servers.map((each) => new Promise<void>((resolve) => each.close(() => resolve()))));
      for (const each of servers) each.closeIdleConnections();
      const timer = setTimeout(() => {
        for (const each of servers) each.closeAllConnections();
      }, config.shutdownTimeoutMs);
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
  if (cardPort !== undefined) logger.info({ port: cardPort, scheme: 'https' }, `ID-card login listening on port ${cardPort}`);
  return { url: `${schemeOf(config)}://127.0.0.1:${port}`, port, ...(cardPort === undefined ? {} : { cardPort }), stop };
}

async function listening<T extends Server>(server: T, port: number, host: string): Promise<T> {
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}

const portOf = (server: Server) => (server.address() as AddressInfo).port;
