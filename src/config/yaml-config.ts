/** Reads one YAML configuration file (Third Party attribute sets and sectors, event flows) and checks it with a JSON schema at start-up. */
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { ConfigError } from './config-options.js';

function describe(error: ErrorObject): string {
  const where = error.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'the file';
  const extra = error.params.additionalProperty ? ` (${error.params.additionalProperty as string})` : '';
  return `${where} ${error.message ?? 'is invalid'}${extra}`;
}

/** The parsed file; a missing file, bad YAML or a schema violation stops start-up with one line naming `option` and the file. */
export async function readYamlConfig<T>(file: string, option: string, schema: object): Promise<T> {
  const fail = (reason: string): never => {
    throw new ConfigError(`${option} ${file}: ${reason}`);
  };
  let content: unknown;
  try {
    content = parse(await readFile(file, 'utf8'));
  } catch (err) {
    fail((err as Error).message.split('\n')[0] ?? 'unreadable');
  }
  const validate = new Ajv({ allErrors: true }).compile(schema);
  if (!validate(content)) fail((validate.errors ?? []).map(describe).join('; '));
  return content as T;
}
