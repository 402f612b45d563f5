/**
 * The catalogue of credential profiles (OSIA_CREDENTIAL_PROFILES, else the shipped config/credential-profiles.yaml):
 * the OSIA CredentialProfile fields that findCredentialProfiles answers, plus how each profile is produced
 * (`producer`, `certificates`, `upstreamProfileId`) and the card bureaus those producers may name. Checked once at
 * start-up: a problem stops the server with one line naming the file and the place at fault.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { ConfigError } from '../config/config-options.js';
import { projectRoot } from '../openapi/project-root.js';
import { type BureauEntry, bureausSectionSchema } from './bureau/bureau-config.js';
import type { CredentialProfile, ProfileSettings } from './credential-producer.port.js';

/** The producers built into the server; any other producer name must be a bureau of the catalogue. */
export const BUILT_IN_PRODUCERS = ['internal', 'pki'] as const;
export const CERTIFICATE_KINDS = ['authentication', 'signature'] as const;

export type CatalogueProfile = CredentialProfile & { credentialProfileId: string } & ProfileSettings;

export interface ProfileCatalogue {
  /** The file it was read from, for messages. */
  file: string;
  profiles: readonly CatalogueProfile[];
  bureaus: Readonly<Record<string, BureauEntry>>;
  get(credentialProfileId: string): CatalogueProfile | undefined;
}

export function defaultCatalogueFile(): string {
  return path.join(projectRoot(), 'config', 'credential-profiles.yaml');
}

const profileSchema = {
  type: 'object',
  required: ['credentialProfileId', 'producer'],
  properties: {
    credentialProfileId: { type: 'string', pattern: '^\\S+$' },
    name: { type: 'string' },
    description: { type: 'string' },
    credentialType: { type: 'string', enum: ['SMARTCARD', 'VIRTUAL_SMARTCARD', 'MOBILE', 'PASSPORT', 'ID_CARD'] },
    defaultLifetime: { type: 'integer', minimum: 1 },
    credentialProfileVersion: { type: 'string' },
    credentialProfileSubtype: { type: 'string' },
    numberOfPages: { type: 'integer', minimum: 1 },
    producer: { type: 'string', minLength: 1 },
    certificates: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: CERTIFICATE_KINDS } },
    upstreamProfileId: { type: 'string', minLength: 1 },
  },
  additionalProperties: false,
} as const;

const catalogueSchema = {
  type: 'object',
  required: ['profiles'],
  properties: {
    bureaus: bureausSectionSchema,
    profiles: { type: 'array', items: profileSchema },
  },
  additionalProperties: false,
} as const;

const validate = new Ajv({ allErrors: true }).compile(catalogueSchema);

function describe(error: ErrorObject): string {
  const where = error.instancePath.replace(/^\//, '').replace(/\/(\d+)/g, '[$1]').replaceAll('/', '.') || 'the file';
  const allowed = error.params.allowedValues ? ` (${(error.params.allowedValues as string[]).join(', ')})` : '';
  const extra = error.params.additionalProperty ? ` (${error.params.additionalProperty as string})` : '';
  return `${where} ${error.message ?? 'is invalid'}${allowed}${extra}`;
}

/** Reads and checks the catalogue; `file` undefined means the shipped one. */
export async function loadProfileCatalogue(file = defaultCatalogueFile()): Promise<ProfileCatalogue> {
  const fail = (reason: string): never => {
    throw new ConfigError(`OSIA_CREDENTIAL_PROFILES ${file}: ${reason}`);
  };
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail(`cannot read the catalogue (${code === 'ENOENT' ? 'no such file' : (err as Error).message})`);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (err) {
    fail(`not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  // Every complaint about the first faulty place: a failed oneOf (a bureau's token source) needs all its branches.
  if (!validate(document)) {
    const errors = validate.errors as ErrorObject[];
    const place = (errors[0] as ErrorObject).instancePath;
    fail([...new Set(errors.filter((error) => error.instancePath === place).map(describe))].join('; '));
  }
  const { bureaus = {}, profiles } = document as { bureaus?: Record<string, BureauEntry>; profiles: CatalogueProfile[] };
  const byId = new Map<string, CatalogueProfile>();
  for (const [index, profile] of profiles.entries()) {
    const where = `profiles[${index}] (${profile.credentialProfileId})`;
    if (byId.has(profile.credentialProfileId)) fail(`${where}: credentialProfileId is used twice`);
    const isBureau = Object.hasOwn(bureaus, profile.producer);
    if (!isBureau && !(BUILT_IN_PRODUCERS as readonly string[]).includes(profile.producer)) {
      fail(`${where}: producer "${profile.producer}" is neither ${BUILT_IN_PRODUCERS.join(' nor ')} nor a bureau of the bureaus section`);
    }
    if (profile.certificates && profile.producer !== 'pki') fail(`${where}: certificates apply to producer pki only`);
    if (profile.upstreamProfileId && !isBureau) fail(`${where}: upstreamProfileId applies to bureau producers only`);
    byId.set(profile.credentialProfileId, isBureau ? { ...profile, upstreamProfileId: profile.upstreamProfileId ?? profile.credentialProfileId } : profile);
  }
  return { file, profiles: [...byId.values()], bureaus, get: (id) => byId.get(id) };
}

/** The OSIA CredentialProfile of a catalogue entry: never the producer, certificates or bureau details. */
export function osiaProfile(profile: CatalogueProfile): CredentialProfile {
  const { producer: _p, certificates: _c, upstreamProfileId: _u, ...osia } = profile;
  return osia;
}

/** The production settings of a catalogue entry. */
export function profileSettings({ producer, certificates, upstreamProfileId }: CatalogueProfile): ProfileSettings {
  return { producer, ...(certificates ? { certificates } : {}), ...(upstreamProfileId ? { upstreamProfileId } : {}) };
}
