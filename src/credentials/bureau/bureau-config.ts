/**
 * The `bureaus:` section of the credential catalogue: each entry names an upstream card bureau reached through its
 * own OSIA CMS interface. The catalogue loader validates the section with `bureausSectionSchema`; the bearer token
 * is read once, at start-up, from a file or an environment variable and never written anywhere.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../config/config-options.js';

export interface BureauEntry {
  /** Base URL of the bureau's OSIA CMS interface, prefix included (`https://bureau.example/cms`). */
  url: string;
  tokenFile?: string;
  tokenEnv?: string;
  /** Limit of every upstream call. */
  timeoutMs?: number;
  /** Prepended to our credentialRequestId to make the bureau's id, when several clients share one bureau. */
  requestIdPrefix?: string;
}

export const DEFAULT_BUREAU_TIMEOUT_MS = 10_000;

/** One bureau entry (ajv, JSON Schema draft 7): a URL and exactly one token source. */
export const bureauEntrySchema = {
  type: 'object',
  required: ['url'],
  properties: {
    url: { type: 'string', pattern: '^https?://[^\\s?#]+$' },
    tokenFile: { type: 'string', minLength: 1 },
    tokenEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    timeoutMs: { type: 'integer', minimum: 1, maximum: 600_000 },
    requestIdPrefix: { type: 'string', pattern: '^[A-Za-z0-9._~-]+$' },
  },
  oneOf: [{ required: ['tokenFile'] }, { required: ['tokenEnv'] }],
  additionalProperties: false,
} as const;

/** The whole `bureaus:` mapping: bureau name → entry. Names are what profiles write in `producer:`. */
export const bureausSectionSchema = {
  type: 'object',
  propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
  additionalProperties: bureauEntrySchema,
} as const;

/** Reads the bearer token of a bureau; the failure names the source, never any content. */
export function readBureauToken(name: string, entry: BureauEntry, env: NodeJS.ProcessEnv = process.env): string {
  let token: string | undefined;
  let source: string;
  if (entry.tokenFile !== undefined) {
    source = `tokenFile ${entry.tokenFile}`;
    try {
      token = readFileSync(entry.tokenFile, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(`bureau ${name}: cannot read ${source} (${code})`);
    }
  } else if (entry.tokenEnv !== undefined) {
    source = `tokenEnv ${entry.tokenEnv}`;
    token = env[entry.tokenEnv];
  } else {
    throw new ConfigError(`bureau ${name}: tokenFile or tokenEnv is required`);
  }
  // Secret files usually end with a newline; a token never contains whitespace.
  token = token?.trim();
  if (!token) throw new ConfigError(`bureau ${name}: ${source} gives an empty token`);
  if (/\s/.test(token)) throw new ConfigError(`bureau ${name}: ${source} holds whitespace inside the token`);
  return token;
}
