/**
 * The provider's keys: the JWKS signing ID tokens (ES256 and RS256) and the keys of its cookies. Every process must
 * sign and read cookies with the same ones: they come from `OSIA_OIDC_KEYS` (a private JWKS file, which may add
 * `cookieKeys`), or are generated once and kept in the store, where the first process to start wins.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { ConfigError } from '../config/config-options.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Store } from '../storage/store.js';

export interface OidcKeys {
  jwks: { keys: JWK[] };
  cookieKeys: string[];
}

/** The keys as stored: their private parts as a blob, never inside the JSON record. */
interface StoredKeys {
  _id: string;
  secret: Buffer;
}

const KEYS: RecordSpec<StoredKeys> = { name: 'oidc_keys', binaries: ['secret'] };

async function generatedKeys(): Promise<OidcKeys> {
  const keys = await Promise.all(
    (['ES256', 'RS256'] as const).map(async (alg) => {
      const { privateKey } = await generateKeyPair(alg, { extractable: true });
      return { ...(await exportJWK(privateKey)), alg, use: 'sig', kid: `${alg.toLowerCase()}-${randomBytes(6).toString('base64url')}` };
    }),
  );
  return { jwks: { keys }, cookieKeys: [randomBytes(32).toString('base64url')] };
}

function parseKeyFile(text: string, file: string): OidcKeys {
  const fail = (reason: string): never => {
    throw new ConfigError(`OSIA_OIDC_KEYS ${file}: ${reason}`);
  };
  let parsed: { keys?: JWK[]; cookieKeys?: string[] } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (err) {
    fail((err as Error).message);
  }
  const { keys, cookieKeys } = parsed;
  if (!Array.isArray(keys) || keys.length === 0) fail('must be a JWKS ({"keys": [...]}) with at least one private signing key');
  if (!keys?.every((key) => typeof key.d === 'string')) fail('every key must be private (with "d")');
  if (cookieKeys !== undefined && (!Array.isArray(cookieKeys) || !cookieKeys.every((key) => typeof key === 'string' && key.length >= 32))) {
    fail('cookieKeys must list strings of at least 32 characters');
  }
  return { jwks: { keys: keys ?? [] }, cookieKeys: cookieKeys ?? [] };
}

export async function loadOidcKeys(store: Store, keyFile: string | undefined): Promise<OidcKeys> {
  const records = await store.records(KEYS);
  const generated = await generatedKeys();
  const kept = await store.getOrInsert(records, { _id: 'provider', secret: Buffer.from(JSON.stringify(generated)) });
  const stored = JSON.parse(kept.secret.toString('utf8')) as OidcKeys;
  if (!keyFile) return stored;
  const text = await readFile(keyFile, 'utf8').catch((err: Error) => {
    throw new ConfigError(`OSIA_OIDC_KEYS ${keyFile}: ${err.message}`);
  });
  const configured = parseKeyFile(text, keyFile);
  return { jwks: configured.jwks, cookieKeys: configured.cookieKeys.length > 0 ? configured.cookieKeys : stored.cookieKeys };
}
