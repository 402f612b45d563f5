/**
 * Every setting of the server, in one table: environment variable, CLI flag, default, description and parser.
 * `--help` and docs/configuration.md are written from this table, and a bad value stops start-up.
 */
import { isServableInterface, SERVABLE_INTERFACES, type ServableInterfaceName } from '../openapi/interfaces.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface Option<T> {
  env: string;
  flag: string;
  /** The raw default, parsed like any other value; undefined means "not set". */
  default: string | undefined;
  description: string;
  parse(raw: string, name: string): T;
}

function integer(min: number, max: number) {
  return (raw: string, name: string): number => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
      throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
}

const text = (raw: string) => raw;

function oneOf<T extends string>(values: readonly T[]) {
  return (raw: string, name: string): T => {
    if (!(values as readonly string[]).includes(raw)) {
      throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
    }
    return raw as T;
  };
}

function interfaces(raw: string, name: string): ServableInterfaceName[] {
  const names = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const unknown = names.filter((value) => !isServableInterface(value));
  if (unknown.length > 0 || names.length === 0) {
    throw new ConfigError(`${name} must list interfaces among ${SERVABLE_INTERFACES.join(',')}, got "${raw}"`);
  }
  return [...new Set(names)] as ServableInterfaceName[];
}

const PREFIX = /^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?$/;

/** `uin=/,pr=/registry` → { uin: '/', pr: '/registry' }. */
function mounts(raw: string, name: string): Partial<Record<ServableInterfaceName, string>> {
  const table: Partial<Record<ServableInterfaceName, string>> = {};
  for (const entry of list(raw)) {
    const [interfaceName = '', prefix = '', ...rest] = entry.split('=').map((part) => part.trim());
    if (!isServableInterface(interfaceName) || !PREFIX.test(prefix) || rest.length > 0) {
      throw new ConfigError(`${name} must list name=/prefix pairs with names among ${SERVABLE_INTERFACES.join(',')}, got "${entry}"`);
    }
    if (interfaceName in table) throw new ConfigError(`${name} mounts ${interfaceName} twice`);
    table[interfaceName] = prefix;
  }
  return table;
}

function list(raw: string): string[] {
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** An ABIS gallery to file encounters in: not empty, and not `ALL` (which names every gallery in searches). */
function galleryName(raw: string, name: string): string {
  if (raw.trim() === '' || raw === 'ALL') throw new ConfigError(`${name} must name one gallery (not empty, not ALL), got "${raw}"`);
  return raw;
}

/** A number from 0 to 1. */
function fraction(raw: string, name: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) throw new ConfigError(`${name} must be a number from 0 to 1, got "${raw}"`);
  return value;
}

function httpUrl(raw: string, name: string): string {
  if (!/^https?:\/\/\S+$/.test(raw)) throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  return raw;
}

/** A base URL that paths are appended to: kept without its trailing slashes. */
function baseUrl(raw: string, name: string): string {
  return httpUrl(raw, name).replace(/\/+$/, '');
}

/** Asymmetric JWS algorithms only: HMAC keys would let anyone holding the verification key mint tokens. */
function algorithms(raw: string, name: string): string[] {
  const allowed = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/;
  const values = list(raw);
  const refused = values.filter((value) => !allowed.test(value));
  if (values.length === 0 || refused.length > 0) {
    throw new ConfigError(`${name} accepts RS*, PS*, ES* and EdDSA algorithms only, got "${raw}"`);
  }
  return values;
}

function byteSize(raw: string, name: string): string {
  if (!/^\d+(b|kb|mb|gb)?$/i.test(raw.trim())) {
    throw new ConfigError(`${name} must be a size such as 20mb, 512kb or 1048576, got "${raw}"`);
  }
  return raw.trim().toLowerCase();
}

function mongoUri(raw: string, name: string): string {
  if (!/^mongodb(\+srv)?:\/\//.test(raw)) {
    throw new ConfigError(`${name} must start with mongodb:// or mongodb+srv://`);
  }
  return raw;
}

function boolean(raw: string, name: string): boolean {
  if (['true', '1', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export const CONFIG_OPTIONS = {
  port: {
    env: 'PORT',
    flag: '--port',
    default: '8080',
    description: 'TCP port to listen on (0 picks a free port).',
    parse: integer(0, 65535),
  },
  host: {
    env: 'OSIA_HOST',
    flag: '--host',
    default: '0.0.0.0',
    description: 'Address to listen on.',
    parse: text,
  },
  dataDir: {
    env: 'OSIA_DATA_DIR',
    flag: '--data-dir',
    default: './data',
    description: 'Directory of the embedded store (records and binary payloads); created when missing.',
    parse: text,
  },
  mongodbUri: {
    env: 'MONGODB_URI',
    flag: '--mongodb-uri',
    default: undefined,
    description: 'MongoDB connection string; when set, records and binaries go to MongoDB instead of the embedded store.',
    parse: mongoUri,
  },
  mongodbDatabase: {
    env: 'OSIA_MONGODB_DATABASE',
    flag: '--mongodb-database',
    default: 'osia',
    description: 'MongoDB database name (used only with MONGODB_URI).',
    parse: text,
  },
  interfaces: {
    env: 'OSIA_INTERFACES',
    flag: '--interfaces',
    default: SERVABLE_INTERFACES.join(','),
    description: 'Comma-separated list of the interfaces to serve: the eight OSIA ones and oidc (the OpenID Connect provider).',
    parse: interfaces,
  },
  mounts: {
    env: 'OSIA_MOUNTS',
    flag: '--mounts',
    default: '',
    description:
      'Where interfaces are mounted, when not under /<name>: comma list of name=/prefix (uin=/ puts UIN at the root, as OSIA server URLs do).',
    parse: mounts,
  },
  bodyLimit: {
    env: 'OSIA_BODY_LIMIT',
    flag: '--body-limit',
    default: '20mb',
    description: 'Largest accepted request body (OSIA carries base64 images and documents).',
    parse: byteSize,
  },
  jsonMaxDepth: {
    env: 'OSIA_JSON_MAX_DEPTH',
    flag: '--json-max-depth',
    default: '32',
    description: 'Deepest nesting of objects and arrays accepted in a JSON body; deeper bodies get 400.',
    parse: integer(2, 1000),
  },
  jsonMaxMembers: {
    env: 'OSIA_JSON_MAX_MEMBERS',
    flag: '--json-max-members',
    default: '10000',
    description: 'Most members of one JSON object or array accepted in a body; wider ones get 400.',
    parse: integer(1, 10_000_000),
  },
  jsonMaxValues: {
    env: 'OSIA_JSON_MAX_VALUES',
    flag: '--json-max-values',
    default: '100000',
    description: 'Most values (members and elements, all levels) accepted in one JSON body; more get 400.',
    parse: integer(1, 100_000_000),
  },
  logLevel: {
    env: 'OSIA_LOG_LEVEL',
    flag: '--log-level',
    default: 'info',
    description: 'Log level of the JSON logs on stdout.',
    parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
  },
  validateResponses: {
    env: 'OSIA_VALIDATE_RESPONSES',
    flag: '--validate-responses',
    default: 'auto',
    description: 'Check every response against the OpenAPI documents; `auto` means only when NODE_ENV=test.',
    parse: (raw: string, name: string) => (raw === 'auto' ? process.env.NODE_ENV === 'test' : boolean(raw, name)),
  },
  auth: {
    env: 'OSIA_AUTH',
    flag: '--auth',
    default: 'on',
    description: 'Bearer-token authentication and OSIA scopes on every operation; `off` only for local testing.',
    parse: oneOf(['on', 'off'] as const),
  },
  jwksUrl: {
    env: 'OSIA_JWKS_URL',
    flag: '--jwks-url',
    default: undefined,
    description: 'JWKS URL of the token issuer (keys cached, refreshed when a token names an unknown kid).',
    parse: httpUrl,
  },
  jwksCooldownSeconds: {
    env: 'OSIA_JWKS_COOLDOWN',
    flag: '--jwks-cooldown',
    default: '30',
    description: 'Least time between two JWKS fetches caused by tokens naming an unknown kid, in seconds.',
    parse: integer(0, 3600),
  },
  jwtPublicKey: {
    env: 'OSIA_JWT_PUBLIC_KEY',
    flag: '--jwt-public-key',
    default: undefined,
    description: 'PEM file of the token issuer public key (instead of OSIA_JWKS_URL).',
    parse: text,
  },
  jwtIssuer: {
    env: 'OSIA_JWT_ISSUER',
    flag: '--jwt-issuer',
    default: undefined,
    description: 'Required `iss` of tokens (not checked when unset, except with the development key).',
    parse: text,
  },
  jwtAudience: {
    env: 'OSIA_JWT_AUDIENCE',
    flag: '--jwt-audience',
    default: undefined,
    description: 'Required `aud` of tokens (not checked when unset, except with the development key).',
    parse: text,
  },
  jwtAlgorithms: {
    env: 'OSIA_JWT_ALGORITHMS',
    flag: '--jwt-algorithms',
    default: 'RS256,PS256,ES256,EdDSA',
    description: 'Accepted token signature algorithms (never `none`; HMAC algorithms are refused).',
    parse: algorithms,
  },
  jwtClockToleranceSeconds: {
    env: 'OSIA_JWT_CLOCK_TOLERANCE',
    flag: '--jwt-clock-tolerance',
    default: '30',
    description: 'Clock skew tolerated when checking `exp` and `nbf`, in seconds.',
    parse: integer(0, 300),
  },
  tlsCert: {
    env: 'OSIA_TLS_CERT',
    flag: '--tls-cert',
    default: undefined,
    description: 'PEM certificate (chain) file: serve HTTPS instead of HTTP (with OSIA_TLS_KEY).',
    parse: text,
  },
  tlsKey: {
    env: 'OSIA_TLS_KEY',
    flag: '--tls-key',
    default: undefined,
    description: 'PEM private key file of OSIA_TLS_CERT.',
    parse: text,
  },
  tlsCa: {
    env: 'OSIA_TLS_CA',
    flag: '--tls-ca',
    default: undefined,
    description: 'PEM file of the CA(s) client certificates must chain to: requires mutual TLS.',
    parse: text,
  },
  rateLimit: {
    env: 'OSIA_RATE_LIMIT',
    flag: '--rate-limit',
    default: '0',
    description: 'Requests per minute allowed to each client (token client, else IP address); 0 turns it off.',
    parse: integer(0, 10_000_000),
  },
  profile: {
    env: 'OSIA_PROFILE',
    flag: '--profile',
    default: undefined,
    description:
      'YAML country profile replacing free-form components (BiographicData, ContextualData …) with national schemas (see docs/profile.md).',
    parse: text,
  },
  indexedAttributes: {
    env: 'OSIA_INDEXED_ATTRIBUTES',
    flag: '--indexed-attributes',
    default: 'firstName,lastName,dateOfBirth',
    description: 'Biographic attributes indexed for searches (findPersons, queryPersonList).',
    parse: list,
  },
  dataAccessDictionary: {
    env: 'OSIA_DATAACCESS_DICTIONARY',
    flag: '--dataaccess-dictionary',
    default: undefined,
    description: 'YAML file mapping Data Access attribute names to identity fields (built-in otherwise; template: config/dataaccess-dictionary.yaml).',
    parse: text,
  },
  uinLength: {
    env: 'OSIA_UIN_LENGTH',
    flag: '--uin-length',
    default: '10',
    description: 'Length of generated UINs, check character included.',
    parse: integer(6, 64),
  },
  uinAlphabet: {
    env: 'OSIA_UIN_ALPHABET',
    flag: '--uin-alphabet',
    default: '0123456789',
    description: 'Characters of generated UINs (at least 2 distinct characters).',
    parse: text,
  },
  uinCheckDigit: {
    env: 'OSIA_UIN_CHECK_DIGIT',
    flag: '--uin-check-digit',
    default: 'verhoeff',
    description: 'Check character algorithm of generated UINs: verhoeff (decimal only) or luhn (Luhn mod N).',
    parse: oneOf(['verhoeff', 'luhn'] as const),
  },
  workflow: {
    env: 'OSIA_WORKFLOW',
    flag: '--workflow',
    default: 'none',
    description:
      '`issuance` runs the OSIA credential issuance use case when an enrolment is finalised: UIN, PR person and identity, CMS credential request (needs enrollment, uin, pr and cms among OSIA_INTERFACES; see docs/behaviour/issuance.md).',
    parse: oneOf(['none', 'issuance'] as const),
  },
  outboxInterval: {
    env: 'OSIA_OUTBOX_INTERVAL',
    flag: '--outbox-interval',
    default: '1000',
    description:
      'Milliseconds between two looks at the enrolment outbox (`enrollmentFinalized`, run by the workflow; a finalising request on this process runs its own at once) and at the ABIS mirror of PR changes (pr and abis served). 0 pauses both in this process: the records wait in the store for a process that runs them.',
    parse: integer(0, 3_600_000),
  },
  credentialProfiles: {
    env: 'OSIA_CREDENTIAL_PROFILES',
    flag: '--credential-profiles',
    default: undefined,
    description:
      'YAML catalogue of credential profiles and card bureaus served by the CMS (the shipped config/credential-profiles.yaml when unset; see docs/behaviour/cms.md).',
    parse: text,
  },
  credentialTimeout: {
    env: 'OSIA_CREDENTIAL_TIMEOUT',
    flag: '--credential-timeout',
    default: '604800',
    description: 'Seconds a credential request may stay PENDING (at a card bureau) before it ends FAILED; default 7 days.',
    parse: integer(1, 315_360_000),
  },
  credentialPollInterval: {
    env: 'OSIA_CREDENTIAL_POLL_INTERVAL',
    flag: '--credential-poll-interval',
    default: '60',
    description: 'Seconds between two checks of the PENDING credential requests (bureau progress, timeout); 0 turns the periodic check off.',
    parse: integer(0, 86_400),
  },
  publicUrl: {
    env: 'OSIA_PUBLIC_URL',
    flag: '--public-url',
    default: undefined,
    description:
      'Base URL clients reach this server at; issued certificates point to its /cms/crl, event subscriptions to its /events/v1 callbacks, the ABIS gateway\'s vendor to its /abis/relay (only when set). Default: http://localhost:PORT.',
    parse: baseUrl,
  },
  caCert: {
    env: 'OSIA_CA_CERT',
    flag: '--ca-cert',
    default: undefined,
    description:
      'PEM certificate of an imported issuing CA for the `pki` credential producer (with OSIA_CA_KEY); otherwise a CA is created under OSIA_DATA_DIR/pki.',
    parse: text,
  },
  caKey: {
    env: 'OSIA_CA_KEY',
    flag: '--ca-key',
    default: undefined,
    description: 'PEM private key file of OSIA_CA_CERT (unencrypted; ECDSA or RSA); must match the certificate.',
    parse: text,
  },
  caSubject: {
    env: 'OSIA_CA_SUBJECT',
    flag: '--ca-subject',
    default: 'CN=osia-server issuing CA',
    description: 'Subject of the CA created on first start (RFC 4514, e.g. `CN=Issuing CA,O=Ministry,C=XX`).',
    parse: text,
  },
  crlValidityDays: {
    env: 'OSIA_CRL_VALIDITY_DAYS',
    flag: '--crl-validity-days',
    default: '7',
    description: 'Days between thisUpdate and nextUpdate of the CRL; it is re-signed after half of them, and on every certificate status change.',
    parse: integer(1, 365),
  },
  attributeSets: {
    env: 'OSIA_ATTRIBUTE_SETS',
    flag: '--attribute-sets',
    default: undefined,
    description:
      'YAML file of Third Party attribute sets added to (or replacing by name) the shipped config/attribute-sets.yaml (see docs/behaviour/thirdparty.md).',
    parse: text,
  },
  sectors: {
    env: 'OSIA_SECTORS',
    flag: '--sectors',
    default: undefined,
    description:
      'YAML file giving each Third Party relying-party client its sector for pseudonymous tokens (template: config/sectors.example.yaml); no sectors when unset.',
    parse: text,
  },
  tokenSecret: {
    env: 'OSIA_TOKEN_SECRET',
    flag: '--token-secret',
    default: undefined,
    description: 'File holding the secret of sector tokens (at least 32 bytes); otherwise generated under OSIA_DATA_DIR/thirdparty.',
    parse: text,
  },
  oidcClients: {
    env: 'OSIA_OIDC_CLIENTS',
    flag: '--oidc-clients',
    default: undefined,
    description:
      'YAML file of the OpenID Connect relying parties (template: config/oidc-clients.example.yaml; see docs/behaviour/oidc.md); only the built-in osia-me client when unset.',
    parse: text,
  },
  oidcKeys: {
    env: 'OSIA_OIDC_KEYS',
    flag: '--oidc-keys',
    default: undefined,
    description:
      'Private JWKS file of the OpenID provider\'s signing keys (may add `cookieKeys`); otherwise ES256 and RS256 keys are generated once and kept in the store.',
    parse: text,
  },
  oidcAcrStyle: {
    env: 'OSIA_OIDC_ACR_STYLE',
    flag: '--oidc-acr-style',
    default: 'eidas',
    description: 'How the OpenID provider names levels of assurance: eidas (http://eidas.europa.eu/LoA/low|substantial|high) or franceconnect (eidas1-3).',
    parse: oneOf(['eidas', 'franceconnect'] as const),
  },
  oidcSessionTtl: {
    env: 'OSIA_OIDC_SESSION_TTL',
    flag: '--oidc-session-ttl',
    default: '3600',
    description: 'Seconds an OpenID Connect login session (and its grants) lasts.',
    parse: integer(60, 30 * 86_400),
  },
  oidcTokenTtl: {
    env: 'OSIA_OIDC_TOKEN_TTL',
    flag: '--oidc-token-ttl',
    default: '600',
    description: 'Seconds an OpenID Connect access token and ID token last.',
    parse: integer(30, 86_400),
  },
  proofKey: {
    env: 'OSIA_PROOF_KEY',
    flag: '--proof-key',
    default: undefined,
    description:
      'PEM private key (PKCS#8: EC P-256/P-384, RSA or Ed25519) signing verification proofs; otherwise an ES256 key is generated under OSIA_DATA_DIR/thirdparty.',
    parse: text,
  },
  identifySyncLimit: {
    env: 'OSIA_IDENTIFY_SYNC_LIMIT',
    flag: '--identify-sync-limit',
    default: '20',
    description: 'Third Party identify answers at once (200) up to this many candidates; more go to a background task (202).',
    parse: integer(0, 100_000),
  },
  identifyTaskTtl: {
    env: 'OSIA_IDENTIFY_TASK_TTL',
    flag: '--identify-task-ttl',
    default: '3600',
    description: 'Seconds a background identify task (and its result) is kept after it was started; then readIdentifyResult answers 404.',
    parse: integer(1, 31_536_000),
  },
  notificationAllow: {
    env: 'OSIA_NOTIFICATION_ALLOW',
    flag: '--notification-allow',
    default: undefined,
    description:
      'Hosts and CIDRs (comma-separated) subscriber addresses may point to; when unset any host except loopback, link-local and cloud-metadata addresses (see docs/security.md).',
    parse: list,
  },
  notificationConcurrency: {
    env: 'OSIA_NOTIFICATION_CONCURRENCY',
    flag: '--notification-concurrency',
    default: '16',
    description: 'Subscriptions the notification engine delivers to at the same time (each in publish order).',
    parse: integer(1, 1000),
  },
  notificationTimeout: {
    env: 'OSIA_NOTIFICATION_TIMEOUT',
    flag: '--notification-timeout',
    default: '10',
    description: 'Seconds a subscriber has to answer a notification; no answer counts as a failed attempt, retried per its policy.',
    parse: integer(1, 600),
  },
  notificationLease: {
    env: 'OSIA_NOTIFICATION_LEASE',
    flag: '--notification-lease',
    default: '60',
    description:
      'Seconds a server process holds a claimed delivery; a process that dies mid-delivery leaves it to the others after that (keep above OSIA_NOTIFICATION_TIMEOUT).',
    parse: integer(1, 3600),
  },
  notificationPollInterval: {
    env: 'OSIA_NOTIFICATION_POLL_INTERVAL',
    flag: '--notification-poll-interval',
    default: '1000',
    description: 'Milliseconds between two looks at the outbox for due deliveries (publishes on this process wake it at once).',
    parse: integer(10, 600_000),
  },
  notificationRetention: {
    env: 'OSIA_NOTIFICATION_RETENTION',
    flag: '--notification-retention',
    default: '604800',
    description:
      'Seconds delivered notifications (and messages no delivery still needs) are kept before an hourly sweep deletes them; 0 keeps them for ever.',
    parse: integer(0, 315_360_000),
  },
  notificationClientCert: {
    env: 'OSIA_NOTIFICATION_CLIENT_CERT',
    flag: '--notification-client-cert',
    default: undefined,
    description: 'PEM client certificate presented to https subscribers (mutual TLS), with OSIA_NOTIFICATION_CLIENT_KEY.',
    parse: text,
  },
  notificationClientKey: {
    env: 'OSIA_NOTIFICATION_CLIENT_KEY',
    flag: '--notification-client-key',
    default: undefined,
    description: 'PEM private key file of OSIA_NOTIFICATION_CLIENT_CERT.',
    parse: text,
  },
  notificationCa: {
    env: 'OSIA_NOTIFICATION_CA',
    flag: '--notification-ca',
    default: undefined,
    description: 'PEM file of the CA(s) https subscribers must chain to (the system CAs otherwise).',
    parse: text,
  },
  smtpUrl: {
    env: 'OSIA_SMTP_URL',
    flag: '--smtp-url',
    default: undefined,
    description: 'SMTP relay of email subscriptions (smtp://user:pass@host:port or smtps://…); email subscriptions are refused when unset.',
    parse: text,
  },
  smtpFrom: {
    env: 'OSIA_SMTP_FROM',
    flag: '--smtp-from',
    default: 'osia-server@localhost',
    description: 'Sender address of notification emails.',
    parse: text,
  },
  events: {
    env: 'OSIA_EVENTS',
    flag: '--events',
    default: undefined,
    description:
      'YAML file wiring the PR and CMS to a Notification engine: events published, reactions subscribed (example docs/samples/events.yaml; see docs/behaviour/notification.md). No events when unset.',
    parse: text,
  },
  abisNationalGallery: {
    env: 'OSIA_ABIS_NATIONAL_GALLERY',
    flag: '--abis-national-gallery',
    default: 'national',
    description:
      'The ABIS gallery of the population registry\'s persons (personId = UIN): the issuance workflow deduplicates against it and enrols faces in it, Third Party verifies and identifies faces in it (see docs/behaviour/abis.md, "Wired into the system").',
    parse: galleryName,
  },
  abisEngine: {
    env: 'OSIA_ABIS_ENGINE',
    flag: '--abis-engine',
    default: 'builtin',
    description:
      'Which ABIS answers the Biometrics interface: `builtin` (encounters in our store, faces matched by the shipped model) or `gateway` (a vendor\'s OSIA ABIS at OSIA_ABIS_GATEWAY_URL); see docs/behaviour/abis.md.',
    parse: oneOf(['builtin', 'gateway'] as const),
  },
  abisThreshold: {
    env: 'OSIA_ABIS_THRESHOLD',
    flag: '--abis-threshold',
    default: '0.68',
    description:
      'Built-in engine: the face score (1 − Euclidean distance of the 128-value descriptors) from which two faces match, when a search gives no `threshold`. 0.68 is the middle of the gap measured between captures of one face and faces of different people (docs/behaviour/abis.md, "Matching accuracy"); dlib\'s LFW operating point is 0.4.',
    parse: fraction,
  },
  abisGatewayUrl: {
    env: 'OSIA_ABIS_GATEWAY_URL',
    flag: '--abis-gateway-url',
    default: undefined,
    description: 'Gateway engine: base URL of the vendor\'s OSIA ABIS (the paths of abis.yaml go below it). Required with OSIA_ABIS_ENGINE=gateway.',
    parse: baseUrl,
  },
  abisGatewayToken: {
    env: 'OSIA_ABIS_GATEWAY_TOKEN',
    flag: '--abis-gateway-token',
    default: undefined,
    description: 'Gateway engine: bearer token sent to the vendor\'s ABIS (or a file holding it, when the value is a path that exists; read once at start-up). No Authorization header when unset.',
    parse: text,
  },
  abisGatewayClientCert: {
    env: 'OSIA_ABIS_GATEWAY_CLIENT_CERT',
    flag: '--abis-gateway-client-cert',
    default: undefined,
    description: 'Gateway engine: PEM client certificate presented to the vendor\'s ABIS (mutual TLS), with OSIA_ABIS_GATEWAY_CLIENT_KEY.',
    parse: text,
  },
  abisGatewayClientKey: {
    env: 'OSIA_ABIS_GATEWAY_CLIENT_KEY',
    flag: '--abis-gateway-client-key',
    default: undefined,
    description: 'PEM private key file of OSIA_ABIS_GATEWAY_CLIENT_CERT.',
    parse: text,
  },
  abisGatewayCa: {
    env: 'OSIA_ABIS_GATEWAY_CA',
    flag: '--abis-gateway-ca',
    default: undefined,
    description: 'PEM file of the CA(s) the vendor\'s ABIS must chain to (the system CAs otherwise).',
    parse: text,
  },
  abisGatewayTimeout: {
    env: 'OSIA_ABIS_GATEWAY_TIMEOUT',
    flag: '--abis-gateway-timeout',
    default: '60',
    description: 'Gateway engine: seconds the vendor\'s ABIS has to answer one forwarded call (connection to last byte); no answer in time is a 502.',
    parse: integer(1, 3600),
  },
  abisCallbackAllow: {
    env: 'OSIA_ABIS_CALLBACK_ALLOW',
    flag: '--abis-callback-allow',
    default: undefined,
    description:
      'Hosts and CIDRs (comma-separated) ABIS callback URLs may point to; when unset any host except loopback, link-local and cloud-metadata addresses (the checks of OSIA_NOTIFICATION_ALLOW).',
    parse: list,
  },
  abisCallbackRetries: {
    env: 'OSIA_ABIS_CALLBACK_RETRIES',
    flag: '--abis-callback-retries',
    default: '5',
    description:
      'Attempts to deliver an ABIS result to its callback before the task is RESPONSE_ERROR (redeliverTaskResult starts again); the pause between two is 30 s, doubling up to an hour.',
    parse: integer(1, 100),
  },
  abisCallbackTimeout: {
    env: 'OSIA_ABIS_CALLBACK_TIMEOUT',
    flag: '--abis-callback-timeout',
    default: '10',
    description: 'Seconds a callback has to answer an ABIS result; no answer counts as a failed attempt.',
    parse: integer(1, 600),
  },
  abisTaskRetention: {
    env: 'OSIA_ABIS_TASK_RETENTION',
    flag: '--abis-task-retention',
    default: '604800',
    description: 'Seconds a finished ABIS task (and its held result) is kept; then readTaskStatus and redeliverTaskResult answer 404.',
    parse: integer(60, 315_360_000),
  },
  abisPollInterval: {
    env: 'OSIA_ABIS_POLL_INTERVAL',
    flag: '--abis-poll-interval',
    default: '500',
    description: 'Milliseconds between two looks for due ABIS tasks and callbacks (a task accepted by this process wakes it at once).',
    parse: integer(10, 600_000),
  },
  oidcCardPort: {
    env: 'OSIA_OIDC_CARD_PORT',
    flag: '--oidc-card-port',
    default: undefined,
    description:
      'TCP port of the ID-card login listener: HTTPS with OSIA_TLS_CERT/OSIA_TLS_KEY, asking for a client certificate of the CMS issuing CA, serving the same app (see docs/behaviour/oidc.md). No card login when unset.',
    parse: integer(0, 65535),
  },
  oidcCardUrl: {
    env: 'OSIA_OIDC_CARD_URL',
    flag: '--oidc-card-url',
    default: undefined,
    description: 'Public origin of the ID-card login listener, linked from the login page. Default: https://<host of OSIA_PUBLIC_URL>:<OSIA_OIDC_CARD_PORT>.',
    parse: baseUrl,
  },
  oidcCardProfiles: {
    env: 'OSIA_OIDC_CARD_PROFILES',
    flag: '--oidc-card-profiles',
    default: 'NATIONAL_ID_CARD,MOBILE_ID',
    description: 'Credential profiles whose holders may log in with the authentication certificate (comma-separated).',
    parse: list,
  },
  shutdownTimeoutMs: {
    env: 'OSIA_SHUTDOWN_TIMEOUT_MS',
    flag: '--shutdown-timeout-ms',
    default: '10000',
    description: 'On SIGTERM/SIGINT, how long in-flight requests may take before connections are closed.',
    parse: integer(0, 600000),
  },
} satisfies Record<string, Option<unknown>>;

type Options = typeof CONFIG_OPTIONS;
type ParsedValue<K extends keyof Options> = ReturnType<Options[K]['parse']>;

/** The validated configuration: settings with a default are always present. */
export type Config = {
  [K in keyof Options as Options[K]['default'] extends string ? K : never]: ParsedValue<K>;
} & {
  [K in keyof Options as Options[K]['default'] extends string ? never : K]?: ParsedValue<K>;
};

/** The base URL this server is reached at (`OSIA_PUBLIC_URL`, else http://localhost:PORT), without a trailing slash. */
export function publicUrlOf(config: Pick<Config, 'publicUrl' | 'port'>): string {
  return config.publicUrl ?? `http://localhost:${config.port}`;
}

/** The public origin of the ID-card login listener (`OSIA_OIDC_CARD_URL`, else the public URL's host on the card port). */
export function cardUrlOf(config: Pick<Config, 'publicUrl' | 'port' | 'oidcCardPort' | 'oidcCardUrl'>): string | undefined {
  if (config.oidcCardPort === undefined) return undefined;
  return config.oidcCardUrl ?? `https://${new URL(publicUrlOf(config)).hostname}:${config.oidcCardPort}`;
}
