import { CONFIG_OPTIONS, type Option } from './config-options.js';

/** The `--help` text: every setting with its flag, environment variable and default. */
export function helpText(): string {
  const options = Object.values(CONFIG_OPTIONS) as Option<unknown>[];
  // One column for the descriptions, wide enough for the longest flag and a gap of two spaces.
  const width = Math.max(...options.map((option) => `${option.flag} <value>`.length)) + 2;
  const rows = options.map(
    (option) =>
      `  ${`${option.flag} <value>`.padEnd(width)}${option.description}\n` +
      `  ${''.padEnd(width)}env ${option.env}${option.default ? `, default ${option.default}` : ''}`,
  );
  return [
    'osia-server: OSIA 7.1 REST API server',
    '',
    'Usage: osia-server [serve] [options]       run the server (from a checkout: npm start -- [options])',
    '       osia-server import FILE [options]   load persons from NDJSON, one per line (- reads standard input)',
    '       osia-server export FILE [options]   write every person as NDJSON (- writes standard output)',
    '       osia-server token --scope "<scopes>" [--sub S] [--client C] [--ttl SECONDS] [--data-dir DIR]',
    '                                           mint a bearer token signed by the development key',
    '       osia-server check URL [options]     conformance checker for any OSIA server (osia-server check --help)',
    'From a checkout, `npm run -s cli -- <subcommand> …` runs a subcommand from the sources.',
    'import and export use the same options as the server (the store, OSIA_PROFILE); see README.md.',
    '',
    'Options (each may also be set by its environment variable; a flag wins over the variable):',
    ...rows,
    `  ${'-h, --help'.padEnd(width)}Show this help and exit.`,
    '',
  ].join('\n');
}
