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
    'Usage: npm start -- [options]    (or: node dist/src/main.js [options])',
    '',
    'Options (each may also be set by its environment variable; a flag wins over the variable):',
    ...rows,
    `  ${'-h, --help'.padEnd(width)}Show this help and exit.`,
    '',
  ].join('\n');
}
