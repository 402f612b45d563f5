/**
 * Builds the AttributeSet answered about one person from a selection (an attribute set of the configuration, or the
 * OutputAttributeSet of readAttributes): exactly the selected attributes that have a value, nothing else.
 */
import type { components } from '../../generated/thirdparty.js';
import type { CredentialSummary } from '../credentials/credential-directory.port.js';
import { InvalidError } from '../shared/domain-errors.js';

type AttributeSet = components['schemas']['AttributeSet'];
type Json = Record<string, unknown>;

/** Where an answered attribute comes from: `$identifier`, or a dotted path in the reference identity. */
export const IDENTIFIER_SOURCE = '$identifier';
/** Contact data lives in the reference identity under `contextualData.contactData` (email, phone1 …). */
export const CONTACT_PATH = 'contextualData.contactData';

export interface BiometricSelection {
  biometricType: string;
  biometricSubType?: string;
  /** BiometricData fields to answer; all of them when absent. */
  fields?: string[];
}

export interface CredentialSelection {
  credentialType?: string;
  fields?: string[];
}

export interface OutputSpec {
  /** Answered name → source. */
  biographicData: Record<string, string>;
  contactData: Record<string, string>;
  biometricData: BiometricSelection[];
  credentialData: CredentialSelection[];
}

/** What the builder reads about the person. */
export interface PersonSource {
  identity: Json;
  /** The identifier the caller may see (sector token or UIN), computed only when a selection asks for it. */
  identifier(): Promise<string>;
  credentials(): Promise<CredentialSummary[]>;
}

/** The field names the Third Party document allows in its BiometricData and CredentialData. */
export interface OutputSchemaFields {
  biometric: readonly string[];
  credential: readonly string[];
}

export function valueAt(root: Json, dottedPath: string): unknown {
  let value: unknown = root;
  for (const step of dottedPath.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Json)[step];
  }
  return value;
}

const hasValue = (value: unknown) => value !== undefined && value !== null && value !== '';

async function named(map: Record<string, string>, source: PersonSource): Promise<Json | undefined> {
  const out: Json = {};
  for (const [name, from] of Object.entries(map)) {
    const value = from === IDENTIFIER_SOURCE ? await source.identifier() : valueAt(source.identity, from);
    if (hasValue(value)) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `item` reduced to the allowed fields that are selected (the selector fields are always kept). */
function project(item: Json, allowed: readonly string[], selected: readonly string[] | undefined, keep: readonly string[]): Json {
  const wanted = new Set([...keep, ...(selected ?? allowed)]);
  return Object.fromEntries(allowed.filter((field) => wanted.has(field) && hasValue(item[field])).map((field) => [field, item[field]]));
}

function biometrics(spec: OutputSpec, identity: Json, fields: OutputSchemaFields): Json[] {
  const items = (identity.biometricData as Json[] | undefined) ?? [];
  return spec.biometricData.flatMap((selection) =>
    items
      .filter(
        (item) =>
          item.biometricType === selection.biometricType &&
          (selection.biometricSubType === undefined || item.biometricSubType === selection.biometricSubType),
      )
      .map((item) => project(item, fields.biometric, selection.fields, ['biometricType', 'biometricSubType'])),
  );
}

async function credentials(spec: OutputSpec, source: PersonSource, fields: OutputSchemaFields): Promise<Json[]> {
  if (spec.credentialData.length === 0) return [];
  const held = await source.credentials();
  return spec.credentialData.flatMap((selection) =>
    held
      .filter((credential) => selection.credentialType === undefined || credential.credentialType === selection.credentialType)
      .map((credential) => project(credential, fields.credential, selection.fields, ['credentialType'])),
  );
}

export async function buildAttributeSet(spec: OutputSpec, source: PersonSource, fields: OutputSchemaFields): Promise<AttributeSet> {
  const biographicData = await named(spec.biographicData, source);
  const biometricData = biometrics(spec, source.identity, fields);
  const credentialData = await credentials(spec, source, fields);
  const contactData = await named(spec.contactData, source);
  return {
    ...(biographicData ? { biographicData } : {}),
    ...(biometricData.length > 0 ? { biometricData: biometricData as AttributeSet['biometricData'] } : {}),
    ...(credentialData.length > 0 ? { credentialData } : {}),
    ...(contactData ? { contactData } : {}),
  };
}

/** The attribute names a selection answers, as the audit trail records them (`biographicData.lastName` …). */
export function selectedNames(spec: OutputSpec): string[] {
  const credentialFields = spec.credentialData.flatMap((selection) => selection.fields ?? [selection.credentialType ?? '*']);
  return [
    ...Object.keys(spec.biographicData).map((name) => `biographicData.${name}`),
    ...Object.keys(spec.contactData).map((name) => `contactData.${name}`),
    ...spec.biometricData.map((selection) => `biometricData.${selection.biometricType}`),
    ...new Set(credentialFields.map((field) => `credentialData.${field}`)),
  ];
}

/** readAttributes' OutputAttributeSet as a selection: biographic names in biographicData, contact names in CONTACT_PATH. */
export function selectionOf(output: components['schemas']['OutputAttributeSet']): OutputSpec {
  const byName = (names: string[] | undefined, root: string) => Object.fromEntries((names ?? []).map((name) => [name, `${root}.${name}`]));
  return {
    biographicData: byName(output.outputBiographicData, 'biographicData'),
    contactData: byName(output.outputContactData, CONTACT_PATH),
    biometricData: (output.outputBiometricData ?? []).map(({ biometricType, biometricSubType, biometricDataFields }) => {
      if (!biometricType) throw new InvalidError('Each outputBiometricData item needs a biometricType');
      return { biometricType, ...(biometricSubType ? { biometricSubType } : {}), ...(biometricDataFields ? { fields: biometricDataFields } : {}) };
    }),
    credentialData: (output.outputCredentialData ?? []).map(({ credentialType, credentialDataFields }) => ({
      ...(credentialType ? { credentialType } : {}),
      ...(credentialDataFields ? { fields: credentialDataFields } : {}),
    })),
  };
}
