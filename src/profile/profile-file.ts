/** Reads the country profile file (`OSIA_PROFILE`): YAML whose top level maps names to schemas or sections. */
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

export async function readProfileFile(file: string): Promise<Mapping> {
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
  if (Object.keys(value).length === 0) throw profileError(file, undefined, 'the profile defines no component');
  return value;
}
