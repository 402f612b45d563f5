import { CONFIG_OPTIONS, type Config, ConfigError, type Option } from './config-options.js';

export type ConfigRequest = { help: true } | { help: false; config: Config };

/** Reads `--flag value` / `--flag=value` pairs; the last occurrence wins. */
function readFlags(argv: readonly string[]): { help: boolean; values: Map<string, string> } {
  const known = new Set(Object.values(CONFIG_OPTIONS).map((option) => option.flag));
  const values = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (!known.has(flag)) throw new ConfigError(`unknown option ${arg} (see --help)`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ConfigError(`option ${flag} needs a value`);
    values.set(flag, value);
  }
  return { help, values };
}

/** Builds the configuration from CLI flags, then environment variables, then defaults. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ConfigRequest {
  const { help, values } = readFlags(argv);
  if (help) return { help: true };
  const config: Record<string, unknown> = {};
  for (const [key, option] of Object.entries(CONFIG_OPTIONS) as [string, Option<unknown>][]) {
    const fromFlag = values.get(option.flag);
    const fromEnv = env[option.env] === '' ? undefined : env[option.env];
    const raw = fromFlag ?? fromEnv ?? option.default;
    const name = fromFlag !== undefined ? option.flag : option.env;
    if (raw !== undefined) config[key] = option.parse(raw, name);
  }
  checkCombinations(config as Config);
  return { help: false, config: config as Config };
}

/** Settings that are valid alone but not together. */
function checkCombinations(config: Config): void {
  if (Boolean(config.tlsCert) !== Boolean(config.tlsKey)) {
    throw new ConfigError('OSIA_TLS_CERT and OSIA_TLS_KEY must be set together');
  }
  if (config.tlsCa && !config.tlsCert) throw new ConfigError('OSIA_TLS_CA (mutual TLS) needs OSIA_TLS_CERT and OSIA_TLS_KEY');
  if (config.oidcCardPort !== undefined && !config.tlsCert) {
    throw new ConfigError('OSIA_OIDC_CARD_PORT (ID-card login) needs OSIA_TLS_CERT and OSIA_TLS_KEY');
  }
  if (config.jwksUrl && config.jwtPublicKey) {
    throw new ConfigError('set either OSIA_JWKS_URL or OSIA_JWT_PUBLIC_KEY, not both');
  }
  if (config.abisEngine === 'gateway' && !config.abisGatewayUrl) {
    throw new ConfigError('OSIA_ABIS_ENGINE=gateway needs OSIA_ABIS_GATEWAY_URL (the vendor\'s OSIA ABIS)');
  }
  if (Boolean(config.abisGatewayClientCert) !== Boolean(config.abisGatewayClientKey)) {
    throw new ConfigError('OSIA_ABIS_GATEWAY_CLIENT_CERT and OSIA_ABIS_GATEWAY_CLIENT_KEY must be set together');
  }
}
