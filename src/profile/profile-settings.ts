/**
 * The behaviour settings of a country profile, beside its schemas: where OSIA allows more than one behaviour, the
 * profile picks. Three reserved top-level keys:
 * - `identityStatusTransitions`: which identity status may follow which (OSIA defines no rule; without a table any
 *   status may follow any other);
 * - `compatibility`: choices for clients written against the OSIA reference implementation rather than 7.1;
 * - `accessReport`: what the citizen's access report ("my data", /me) says of the API clients that read their data.
 * - `oidcClaims`: OpenID Connect claims the OpenID provider releases beside FranceConnect's identité pivot, each
 *   with the dotted path of its value in the reference identity (`email: contactData.email`).
 */
import { isMapping, type Mapping, profileError } from './profile-file.js';

export const IDENTITY_STATUSES = ['CLAIMED', 'VALID', 'INVALID', 'REVOKED'] as const;
export type IdentityStatus = (typeof IDENTITY_STATUSES)[number];

/** From each status, the statuses it may move to. */
export type TransitionTable = Readonly<Record<IdentityStatus, readonly IdentityStatus[]>>;

export interface CompatibilitySettings {
  /** `notFound`: OSIA 7.1's 404 "No record found"; `emptyList`: 200 with `[]`, as the reference implementation. */
  queryPersonListNoMatch: 'notFound' | 'emptyList';
  /** Also write the confirmation link of a subscription as `confirmURL`, which reference clients read. */
  confirmURL: boolean;
}

/** How the access report names an API client (OpenID Connect clients carry theirs in their own configuration). */
export interface ReportedClient {
  organisation?: string;
  purpose?: string;
  /** Its accesses are disclosed only once `restrictedDelayDays` have passed (the police, say). */
  restricted: boolean;
}

export interface AccessReportSettings {
  restrictedDelayDays: number;
  /** By client id (the token's `azp` or `client_id`). */
  clients: Readonly<Record<string, ReportedClient>>;
}

export interface ProfileSettings {
  identityStatusTransitions?: TransitionTable;
  compatibility: CompatibilitySettings;
  /** Absent: no client is described nor restricted. */
  accessReport?: AccessReportSettings;
  oidcClaims?: Readonly<Record<string, string>>;
}

export const SETTINGS_KEYS = ['identityStatusTransitions', 'compatibility', 'accessReport', 'oidcClaims'] as const;

/** A restricted client's accesses stay hidden this long unless the profile says otherwise. */
export const DEFAULT_RESTRICTED_DELAY_DAYS = 90;

export const DEFAULT_SETTINGS: ProfileSettings = {
  compatibility: { queryPersonListNoMatch: 'notFound', confirmURL: false },
};

const isStatus = (value: unknown): value is IdentityStatus => IDENTITY_STATUSES.includes(value as IdentityStatus);

function transitionTable(file: string, value: unknown): TransitionTable {
  const key = 'identityStatusTransitions';
  const expected = `a mapping of each status (${IDENTITY_STATUSES.join(', ')}) to the list of statuses it may move to`;
  if (!isMapping(value)) throw profileError(file, key, `must be ${expected}`);
  const table: Partial<Record<IdentityStatus, IdentityStatus[]>> = {};
  for (const [from, targets] of Object.entries(value)) {
    if (!isStatus(from)) throw profileError(file, `${key}.${from}`, `not an identity status; expected ${expected}`);
    const list = targets ?? [];
    if (!Array.isArray(list) || !list.every(isStatus)) {
      throw profileError(file, `${key}.${from}`, `must list statuses among ${IDENTITY_STATUSES.join(', ')}`);
    }
    table[from] = [...new Set(list)];
  }
  const missing = IDENTITY_STATUSES.filter((status) => !(status in table));
  if (missing.length > 0) throw profileError(file, key, `gives no entry for ${missing.join(', ')} (use [] for a final status)`);
  return table as TransitionTable;
}

function compatibility(file: string, value: unknown): CompatibilitySettings {
  if (!isMapping(value)) throw profileError(file, 'compatibility', 'must be a mapping of settings');
  const settings = { ...DEFAULT_SETTINGS.compatibility };
  for (const [name, setting] of Object.entries(value)) {
    const key = `compatibility.${name}`;
    if (name === 'queryPersonListNoMatch') {
      if (setting !== 'notFound' && setting !== 'emptyList') throw profileError(file, key, 'must be notFound or emptyList');
      settings.queryPersonListNoMatch = setting;
    } else if (name === 'confirmURL') {
      if (typeof setting !== 'boolean') throw profileError(file, key, 'must be true or false');
      settings.confirmURL = setting;
    } else {
      throw profileError(file, key, 'unknown setting; known: queryPersonListNoMatch, confirmURL');
    }
  }
  return settings;
}

const CLIENT_KEYS = ['organisation', 'purpose', 'restricted'];

function reportedClient(file: string, key: string, value: unknown): ReportedClient {
  if (!isMapping(value)) throw profileError(file, key, 'must be a mapping of organisation, purpose and restricted');
  const unknown = Object.keys(value).find((name) => !CLIENT_KEYS.includes(name));
  if (unknown) throw profileError(file, `${key}.${unknown}`, `unknown setting; known: ${CLIENT_KEYS.join(', ')}`);
  const { organisation, purpose, restricted = false } = value;
  for (const [name, text] of Object.entries({ organisation, purpose })) {
    if (text !== undefined && (typeof text !== 'string' || text.trim() === '')) throw profileError(file, `${key}.${name}`, 'must be a non-empty text');
  }
  if (typeof restricted !== 'boolean') throw profileError(file, `${key}.restricted`, 'must be true or false');
  return { ...(organisation ? { organisation: String(organisation) } : {}), ...(purpose ? { purpose: String(purpose) } : {}), restricted };
}

function accessReport(file: string, value: unknown): AccessReportSettings {
  if (!isMapping(value)) throw profileError(file, 'accessReport', 'must be a mapping of restrictedDelayDays and clients');
  const { restrictedDelayDays = DEFAULT_RESTRICTED_DELAY_DAYS, clients = {}, ...others } = value;
  const unknown = Object.keys(others)[0];
  if (unknown) throw profileError(file, `accessReport.${unknown}`, 'unknown setting; known: restrictedDelayDays, clients');
  if (!Number.isInteger(restrictedDelayDays) || (restrictedDelayDays as number) < 0) {
    throw profileError(file, 'accessReport.restrictedDelayDays', 'must be a whole number of days (0 or more)');
  }
  if (!isMapping(clients)) throw profileError(file, 'accessReport.clients', 'must be a mapping of client ids');
  const described = Object.entries(clients).map(([id, client]) => [id, reportedClient(file, `accessReport.clients.${id}`, client)]);
  return { restrictedDelayDays: restrictedDelayDays as number, clients: Object.fromEntries(described) };
}

const CLAIM_NAME = /^[a-z][a-z0-9_]*$/;
const DOTTED_PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

function oidcClaims(file: string, value: unknown): Record<string, string> {
  if (!isMapping(value)) throw profileError(file, 'oidcClaims', 'must map claim names to dotted paths of the reference identity');
  for (const [claim, path] of Object.entries(value)) {
    if (!CLAIM_NAME.test(claim)) throw profileError(file, `oidcClaims.${claim}`, 'is not a claim name (lower case, digits, _)');
    if (typeof path !== 'string' || !DOTTED_PATH.test(path)) throw profileError(file, `oidcClaims.${claim}`, 'must be a dotted path such as contactData.email');
  }
  return value as Record<string, string>;
}

/** Reads the settings keys of a profile mapping (the other keys are schemas, checked elsewhere). */
export function checkSettings(file: string, raw: Mapping): ProfileSettings {
  const settings: ProfileSettings = { ...DEFAULT_SETTINGS };
  if (raw.identityStatusTransitions !== undefined) {
    settings.identityStatusTransitions = transitionTable(file, raw.identityStatusTransitions);
  }
  if (raw.compatibility !== undefined) settings.compatibility = compatibility(file, raw.compatibility);
  if (raw.accessReport !== undefined) settings.accessReport = accessReport(file, raw.accessReport);
  if (raw.oidcClaims !== undefined) settings.oidcClaims = oidcClaims(file, raw.oidcClaims);
  return settings;
}
