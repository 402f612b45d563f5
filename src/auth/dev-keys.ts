/**
 * The development signing key: when authentication is on but no issuer key is configured, the server creates an
 * ES256 key pair under `<dataDir>/dev-keys/` (private key readable by its owner only) so that a newcomer can mint
 * tokens with `npm run token` and try every operation. Tokens it signs carry a fixed issuer and audience, which
 * the server then requires.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const DEV_ISSUER = 'osia-server-dev';
export const DEV_AUDIENCE = 'osia-server';
export const DEV_ALGORITHM = 'ES256';

export interface DevKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  directory: string;
}

export function devKeyDirectory(dataDir: string): string {
  return path.join(dataDir, 'dev-keys');
}

async function readKeys(directory: string): Promise<DevKeys | undefined> {
  try {
    const pem = await readFile(path.join(directory, 'private.pem'), 'utf8');
    const privateKey = createPrivateKey(pem);
    return { privateKey, publicKey: createPublicKey(privateKey), directory };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Loads the development key pair, creating it on first use. */
export async function ensureDevKeys(dataDir: string): Promise<DevKeys> {
  const directory = devKeyDirectory(dataDir);
  const existing = await readKeys(directory);
  if (existing) return existing;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  // 'wx' refuses to overwrite: if another process created the key meanwhile, use theirs.
  try {
    await writeFile(path.join(directory, 'private.pem'), pem, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return (await readKeys(directory)) as DevKeys;
  }
  await writeFile(path.join(directory, 'public.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
  return { privateKey, publicKey, directory };
}
