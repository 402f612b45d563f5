/** `osia-server serve` (the default): runs the server until SIGTERM or SIGINT, then stops it gracefully. */
import type { Config } from '../config/config-options.js';
import { createLogger } from '../http/request-logging.js';
import { startServer } from '../server.js';

export async function runServe(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, logger);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, async () => {
      logger.info({ signal }, 'shutting down');
      await server.stop();
      logger.info('stopped');
      process.exit(0);
    });
  }
}
