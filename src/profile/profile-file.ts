/**
 * Reads the country profile (`OSIA_PROFILE`): YAML whose top level maps names to schemas, document sections or
 * settings. The variable may list several files, comma-separated (a national profile, then fragments such as
 * `profiles/reference-compatible.yaml`): a later file's top-level key wins, and `compatibility` settings add up.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { ConfigError } from '../config/config-options.js';

export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every profile problem stops start-up with one line naming the file and, when known, the key at fault. */
export function profileError(file: string, key: string | undefined, reason: string): ConfigError {
  return new ConfigError(`OSIA_PROFILE ${file}: ${key === undefined ? '' : `${key}: `}${reason}`);
}

async function readOneFile(file: string): Promise<Mapping> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw profileError(file, undefined, `cannot read the profile (${reason})`);
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    throw profileError(file, undefined, `not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isMapping(value)) {
    throw profileError(file, undefined, 'the top level must be a mapping of component names to schemas');
  }
  if (Object.keys(value).length === 0) throw profileError(file, undefined, 'the profile defines nothing');
  return value;
}

export async function readProfileFile(files: string): Promise<Mapping> {
  const merged: Mapping = {};
  for (const file of files.split(',').map((part) => part.trim()).filter(Boolean)) {
    const value = await readOneFile(file);
    const compatibility = isMapping(merged.compatibility) && isMapping(value.compatibility)
      ? { ...merged.compatibility, ...value.compatibility }
      : value.compatibility ?? merged.compatibility;
    Object.assign(merged, value, compatibility === undefined ? {} : { compatibility });
  }
  return merged;
}
