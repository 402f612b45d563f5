/** Bearer tokens for tests: valid ones from the test app's development key, and the usual forgeries. */
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../src/auth/dev-keys.js';
import { mintDevToken } from '../../src/cli/mint-token.js';

export function tokenFor(dataDir: string, scope: string, subject = 'test-user', client = 'test-client'): Promise<string> {
  return mintDevToken({ dataDir, scope, subject, client, ttlSeconds: 600 });
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Tokens that must all be refused with 401 (scope included, so only the flaw matters). */
export async function forgedTokens(scope: string): Promise<Record<string, string>> {
  const { privateKey: strangerKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = Math.floor(Date.now() / 1000);
  const claims = { scope, sub: 'mallory', iss: DEV_ISSUER, aud: DEV_AUDIENCE, exp: now + 600 };
  const signed = (overrides: object, key = strangerKey) =>
    new SignJWT({ ...claims, ...overrides }).setProtectedHeader({ alg: 'ES256' }).sign(key);
  return {
    'signed with another key': await signed({}),
    'with alg none': `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`,
    'HMAC-signed (algorithm confusion)': await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('any-secret-at-all-32-bytes-long!!')),
    'not a JWT': 'definitely-not-a-jwt',
  };
}
