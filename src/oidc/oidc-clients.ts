/**
 * The relying parties, from the YAML file `OSIA_OIDC_CLIENTS` (template: config/oidc-clients.example.yaml), checked
 * at start-up, plus the built-in first-party client `osia-me` of the "my data" page. Each becomes oidc-provider
 * client metadata; what the library does not know (sector, organisation, purpose, claims, minimum level,
 * `restricted`) rides along as extra metadata, read back by `clientPolicyOf`.
 */
import type { ClientMetadata } from 'oidc-provider';
import { ConfigError } from '../config/config-options.js';
import { readYamlConfig } from '../config/yaml-config.js';
import type { Level } from './assurance-levels.js';

/** One client as the file names it. */
export interface ClientEntry {
  client_id: string;
  client_name?: string;
  client_secret?: string;
  /** How a client with a secret sends it: client_secret_basic (the default) or client_secret_post. */
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post';
  jwks?: { keys: object[] };
  jwks_uri?: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
  /** Scopes the client may ask for (openid is always allowed). */
  scopes?: string[];
  claims?: { required?: string[]; optional?: string[] };
  acr?: Exclude<Level, 'low'>;
  sector: string;
  organisation: string;
  purpose: string;
  backchannel_logout_uri?: string;
  restricted?: boolean;
  require_pushed_authorization_requests?: boolean;
}

/** What the provider's own code needs of a client beyond the library's metadata. */
export interface ClientPolicy {
  clientId: string;
  name: string;
  sector: string;
  organisation: string;
  purpose: string;
  minimumAcr: Level;
  requiredClaims: string[];
  optionalClaims: string[];
  /** The first-party client of the "my data" page: no consent screen. */
  firstParty: boolean;
  restricted: boolean;
}

export const ME_CLIENT_ID = 'osia-me';

/** The extra metadata oidc-provider keeps on each client (and refuses on none). */
export const EXTRA_METADATA = ['sector', 'organisation', 'purpose', 'minimum_acr', 'claims_required', 'claims_optional', 'first_party', 'restricted'];

const URI = { type: 'string', pattern: '^https?://' } as const;
const NAMES = { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9_.:-]+$' } } as const;
const clientSchema = {
  type: 'object',
  required: ['client_id', 'redirect_uris', 'sector', 'organisation', 'purpose'],
  additionalProperties: false,
  properties: {
    client_id: { type: 'string', pattern: '^[A-Za-z0-9_.:-]+$' },
    client_name: { type: 'string' },
    client_secret: { type: 'string', minLength: 32 },
    token_endpoint_auth_method: { enum: ['client_secret_basic', 'client_secret_post'] },
    jwks: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: { type: 'object' } } } },
    jwks_uri: URI,
    redirect_uris: { type: 'array', minItems: 1, items: URI },
    post_logout_redirect_uris: { type: 'array', items: URI },
    scopes: NAMES,
    claims: { type: 'object', additionalProperties: false, properties: { required: NAMES, optional: NAMES } },
    acr: { enum: ['substantial', 'high'] },
    sector: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' },
    organisation: { type: 'string', minLength: 1 },
    purpose: { type: 'string', minLength: 1 },
    backchannel_logout_uri: URI,
    restricted: { type: 'boolean' },
    require_pushed_authorization_requests: { type: 'boolean' },
  },
  // Exactly one way to authenticate at the token endpoint.
  oneOf: [{ required: ['client_secret'] }, { required: ['jwks'] }, { required: ['jwks_uri'] }],
  // A secret's method only with a secret.
  dependencies: { token_endpoint_auth_method: ['client_secret'] },
} as const;
const fileSchema = {
  type: 'object',
  required: ['clients'],
  additionalProperties: false,
  properties: { clients: { type: 'array', items: clientSchema } },
} as const;

export async function loadClientEntries(file: string | undefined): Promise<ClientEntry[]> {
  if (!file) return [];
  const { clients } = await readYamlConfig<{ clients: ClientEntry[] }>(file, 'OSIA_OIDC_CLIENTS', fileSchema);
  const ids = clients.map(({ client_id }) => client_id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i) ?? (ids.includes(ME_CLIENT_ID) ? ME_CLIENT_ID : undefined);
  if (twice) throw new ConfigError(`OSIA_OIDC_CLIENTS ${file}: client_id ${twice} is given twice or reserved`);
  return clients;
}

export function clientMetadata(entry: ClientEntry): ClientMetadata {
  const authentication: ClientMetadata = entry.client_secret
    ? { client_id: entry.client_id, client_secret: entry.client_secret, token_endpoint_auth_method: entry.token_endpoint_auth_method ?? 'client_secret_basic' }
    : { client_id: entry.client_id, ...(entry.jwks ? { jwks: entry.jwks as ClientMetadata['jwks'] } : { jwks_uri: entry.jwks_uri }), token_endpoint_auth_method: 'private_key_jwt' };
  return {
    ...authentication,
    client_name: entry.client_name ?? entry.organisation,
    redirect_uris: entry.redirect_uris,
    post_logout_redirect_uris: entry.post_logout_redirect_uris ?? [],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    scope: ['openid', ...(entry.scopes ?? [])].join(' '),
    subject_type: 'pairwise',
    ...(entry.backchannel_logout_uri ? { backchannel_logout_uri: entry.backchannel_logout_uri, backchannel_logout_session_required: true } : {}),
    require_pushed_authorization_requests: entry.require_pushed_authorization_requests ?? false,
    sector: entry.sector,
    organisation: entry.organisation,
    purpose: entry.purpose,
    minimum_acr: entry.acr ?? 'substantial',
    claims_required: entry.claims?.required ?? [],
    claims_optional: entry.claims?.optional ?? [],
    first_party: false,
    restricted: entry.restricted ?? false,
  };
}

/** The "my data" page's client: the public URL's `/me`, no secret (PKCE), no consent, substantial at least. */
export function meClientMetadata(publicUrl: string, mePrefix: string): ClientMetadata {
  return {
    client_id: ME_CLIENT_ID,
    client_name: 'osia-me',
    token_endpoint_auth_method: 'none',
    redirect_uris: [`${publicUrl}${mePrefix}`],
    post_logout_redirect_uris: [`${publicUrl}${mePrefix}`],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    scope: 'openid',
    subject_type: 'pairwise',
    sector: ME_CLIENT_ID,
    organisation: 'osia-server',
    purpose: 'my data',
    minimum_acr: 'substantial',
    claims_required: [],
    claims_optional: [],
    first_party: true,
    restricted: false,
  };
}

/** Our part of a client's metadata (oidc-provider's `client.metadata()`). */
export function clientPolicyOf(metadata: ClientMetadata): ClientPolicy {
  const text = (name: string) => String(metadata[name] ?? '');
  const names = (name: string) => (Array.isArray(metadata[name]) ? (metadata[name] as string[]) : []);
  return {
    clientId: metadata.client_id,
    name: String(metadata.client_name ?? metadata.client_id),
    sector: text('sector'),
    organisation: text('organisation'),
    purpose: text('purpose'),
    minimumAcr: (metadata.minimum_acr as Level | undefined) ?? 'substantial',
    requiredClaims: names('claims_required'),
    optionalClaims: names('claims_optional'),
    firstParty: metadata.first_party === true,
    restricted: metadata.restricted === true,
  };
}
