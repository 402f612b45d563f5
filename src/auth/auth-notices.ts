/** What the operator must be told about authentication at start-up (and, when it is off, again every minute). */
import type { Logger } from 'pino';
import type { Config } from '../config/config-options.js';
import type { BackgroundJob } from '../shared/background-jobs.js';
import { devKeyDirectory } from './dev-keys.js';

const OFF_WARNING =
  'AUTHENTICATION IS OFF (OSIA_AUTH=off): every operation is open to anyone who can reach this server; use only for local testing';

/** Logs the notices; returns a function that stops the periodic reminder. */
export function announceAuthentication(config: Config, logger: Logger): () => void {
  if (config.auth === 'off') {
    logger.warn(OFF_WARNING);
    const reminder = setInterval(() => logger.warn(OFF_WARNING), 60_000);
    reminder.unref();
    return () => clearInterval(reminder);
  }
  if (!config.jwksUrl && !config.jwtPublicKey) {
    logger.warn(
      { keyDirectory: devKeyDirectory(config.dataDir) },
      'no token issuer configured (OSIA_JWKS_URL or OSIA_JWT_PUBLIC_KEY): accepting tokens signed by the development key; ' +
        'mint one with: npm run -s token -- --scope "pr.person.read pr.person.write"',
    );
  }
  return () => undefined;
}

/** The notices as a background job: told once the server listens, the reminder stopped on shutdown. */
export function authNoticesJob(config: Config, logger: Logger): BackgroundJob {
  let stopReminder = () => {};
  return {
    name: 'authentication notices',
    start: () => {
      stopReminder = announceAuthentication(config, logger);
    },
    stop: async () => stopReminder(),
  };
}
