#!/usr/bin/env node
/** Command-line entry point: `osia-server [options]` (see `--help`). */
import { runCheck } from './cli/check-command.js';
import { ConfigError } from './config/config-options.js';
import { helpText } from './config/help.js';
import { loadConfig } from './config/load-config.js';
import { createLogger } from './http/request-logging.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'check') {
    process.exitCode = await runCheck(argv.slice(1), process.env);
    return;
  }
  const request = loadConfig(argv, process.env);
  if (request.help) {
    process.stdout.write(helpText());
    return;
  }
  const { config } = request;
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

main().catch((err: unknown) => {
  // A configuration mistake gets its one-line reason; anything else is a start-up failure with details.
  if (err instanceof ConfigError) {
    process.stderr.write(`osia-server: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`osia-server: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
