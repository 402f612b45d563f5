/** Loads the attribute dictionary at start-up: the file named by OSIA_DATAACCESS_DICTIONARY, or the built-in one. */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { ConfigError } from '../config/config-options.js';
import { type AttributeDictionary, parseDictionary } from './attribute-dictionary.js';
import { DEFAULT_DICTIONARY } from './default-dictionary.js';

export function builtInDictionary(): AttributeDictionary {
  return parseDictionary(DEFAULT_DICTIONARY, (key, reason) => {
    throw new Error(`built-in dictionary: ${key ?? ''}: ${reason}`);
  });
}

/** A problem stops start-up with one line naming the file and, when known, the key at fault. */
export async function loadDictionary(file: string | undefined): Promise<AttributeDictionary> {
  if (file === undefined) return builtInDictionary();
  const fail = (key: string | undefined, reason: string): never => {
    throw new ConfigError(`OSIA_DATAACCESS_DICTIONARY ${file}: ${key === undefined ? '' : `${key}: `}${reason}`);
  };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    return fail(undefined, `cannot read the dictionary (${reason})`);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (err) {
    return fail(undefined, `not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  return parseDictionary(document, fail);
}
