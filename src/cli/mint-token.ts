/**
 * Mints a bearer token signed by the development key, for trying the API locally:
 *   npm run -s token -- --scope "pr.person.read pr.person.write" [--sub alice] [--client my-app] [--ttl 3600]
 * The key lives under OSIA_DATA_DIR (default ./data) and is the one the server accepts when no issuer is configured.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { ConfigError } from '../config/config-options.js';
import { DEV_ALGORITHM, DEV_AUDIENCE, DEV_ISSUER, ensureDevKeys } from '../auth/dev-keys.js';

export interface TokenRequest {
  dataDir: string;
  scope: string;
  subject: string;
  client: string;
  ttlSeconds: number;
}

export async function mintDevToken(request: TokenRequest): Promise<string> {
  const { privateKey } = await ensureDevKeys(request.dataDir);
  return new SignJWT({ scope: request.scope, azp: request.client })
    .setProtectedHeader({ alg: DEV_ALGORITHM, typ: 'JWT' })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setSubject(request.subject)
    .setIssuedAt()
    .setExpirationTime(`${request.ttlSeconds}s`)
    .sign(privateKey);
}

const USAGE =
  'usage: npm run -s token -- --scope "<space-separated scopes>" [--sub <subject>] [--client <client id>] [--ttl <seconds>] [--data-dir <dir>]';

/** `osia-server token [options]` (also `npm run -s token -- [options]`): prints a token and nothing else. */
export async function runToken(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      scope: { type: 'string' },
      sub: { type: 'string', default: 'developer' },
      client: { type: 'string', default: 'osia-dev-client' },
      ttl: { type: 'string', default: '3600' },
      'data-dir': { type: 'string', default: process.env.OSIA_DATA_DIR ?? './data' },
    },
  });
  const ttlSeconds = Number(values.ttl);
  if (!values.scope || !Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new ConfigError(USAGE);
  const token = await mintDevToken({
    dataDir: values['data-dir'],
    scope: values.scope,
    subject: values.sub,
    client: values.client,
    ttlSeconds,
  });
  process.stdout.write(`${token}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runToken(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
}
