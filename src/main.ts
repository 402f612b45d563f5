#!/usr/bin/env node
/**
 * Command-line entry point: `osia-server [serve] [options]`, `osia-server import FILE`, `osia-server export FILE`,
 * `osia-server token`, `osia-server check URL` (see `--help`). The server, import and export read the same
 * configuration (flags and environment).
 */
import { runCheck } from './cli/check-command.js';
import { runExport } from './cli/export-command.js';
import { runImport } from './cli/import-command.js';
import { runToken } from './cli/mint-token.js';
import { runServe } from './cli/serve-command.js';
import { type Config, ConfigError } from './config/config-options.js';
import { helpText } from './config/help.js';
import { loadConfig } from './config/load-config.js';

/** Subcommands that take a file and the server's configuration. */
const FILE_COMMANDS: Record<string, (file: string, config: Config) => Promise<number>> = {
  import: runImport,
  export: runExport,
};

async function main(argv: readonly string[]): Promise<number> {
  const [first = '', ...rest] = argv;
  if (first === 'token') return runToken(rest);
  if (first === 'check') return runCheck(rest, process.env);
  const fileCommand = FILE_COMMANDS[first];
  const [file = '', ...fileFlags] = rest;
  const flags = fileCommand ? fileFlags : first === 'serve' ? rest : argv;
  const request = loadConfig(flags, process.env);
  if (request.help) {
    process.stdout.write(helpText());
    return 0;
  }
  if (!fileCommand) {
    await runServe(request.config);
    return 0;
  }
  if (file === '' || file.startsWith('--')) {
    throw new ConfigError(`${first} needs a FILE (- for standard ${first === 'import' ? 'input' : 'output'})`);
  }
  return fileCommand(file, request.config);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    // A configuration mistake gets its one-line reason; anything else is a failure with details.
    if (err instanceof ConfigError) {
      process.stderr.write(`osia-server: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`osia-server: failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
