import { CONFIG_OPTIONS, type Option } from './config-options.js';

/** The `--help` text: every setting with its flag, environment variable and default. */
export function helpText(): string {
  const rows = (Object.values(CONFIG_OPTIONS) as Option<unknown>[]).map(
    (option) =>
      `  ${`${option.flag} <value>`.padEnd(30)}${option.description}\n` +
      `  ${''.padEnd(30)}env ${option.env}${option.default === undefined ? '' : `, default ${option.default}`}`,
  );
  return [
    'osia-server: OSIA 7.1 REST API server',
    '',
    'Usage: npm start -- [options]    (or: node dist/src/main.js [options])',
    '       osia-server check URL [options]    conformance checker for an OSIA server (see `osia-server check --help`)',
    '',
    'Options (each may also be set by its environment variable; a flag wins over the variable):',
    ...rows,
    `  ${'-h, --help'.padEnd(30)}Show this help and exit.`,
    '',
  ].join('\n');
}
