/**
 * The attribute dictionary: which Data Access attribute names exist and where each one lives in a person's record.
 * OSIA leaves the dictionary to the deployment (technical annex), so it is data, not code: a built-in default
 * (`default-dictionary.ts`) or a YAML file named by OSIA_DATAACCESS_DICTIONARY, both checked by `parseDictionary`.
 */

export const ATTRIBUTE_TYPES = ['string', 'integer', 'number', 'boolean', 'date'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];
export type AttributeValue = string | number | boolean;

/** Paths starting with this prefix read the person record (`personId`, `status`, `physicalStatus`), not the identity. */
export const PERSON_PREFIX = 'person.';
const PERSON_FIELDS = ['personId', 'status', 'physicalStatus'];

export interface AttributeDefinition {
  /** Dotted path in the reference identity (`biographicData.firstName`), or `person.<field>`. */
  path: string;
  type: AttributeType;
  /** Recorded value → Data Access value, when they differ (a recorded gender `M` is ISO 5218 `1`). */
  values?: Readonly<Record<string, AttributeValue>>;
  /** False keeps the attribute private: reads answer a per-attribute error, checks and searches 403. */
  readable: boolean;
}

export type AttributeDictionary = ReadonlyMap<string, AttributeDefinition>;

const NAME = /^[A-Za-z][\w-]*$/;
const PATH = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/;

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function hasType(value: unknown, type: AttributeType): value is AttributeValue {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return typeof value === 'string';
  }
}

function parseValues(entry: Record<string, unknown>, type: AttributeType, fail: (reason: string) => never) {
  if (entry.values === undefined) return undefined;
  if (!isMapping(entry.values) || Object.keys(entry.values).length === 0) {
    fail('values must be a non-empty mapping of recorded values to Data Access values');
  }
  const seen = new Set<unknown>();
  for (const [recorded, value] of Object.entries(entry.values)) {
    if (!hasType(value, type)) fail(`values.${recorded} must be of type ${type}`);
    // Searches translate a Data Access value back to one recorded value, so the mapping must be one-to-one.
    if (seen.has(value)) fail(`values maps two recorded values to ${JSON.stringify(value)}`);
    seen.add(value);
  }
  return entry.values as Record<string, AttributeValue>;
}

function parseDefinition(name: string, entry: unknown, fail: (reason: string) => never): AttributeDefinition {
  if (!NAME.test(name)) fail('an attribute name starts with a letter and holds only letters, digits, _ and -');
  if (!isMapping(entry)) fail('must be a mapping with at least `path`');
  const unknownKeys = Object.keys(entry).filter((key) => !['path', 'type', 'values', 'readable'].includes(key));
  if (unknownKeys.length > 0) fail(`unknown key(s) ${unknownKeys.join(', ')} (allowed: path, type, values, readable)`);
  const { path, type = 'string', readable = true } = entry;
  if (typeof path !== 'string' || !PATH.test(path)) fail('path must be a dotted path such as biographicData.firstName');
  if (path.startsWith(PERSON_PREFIX) && !PERSON_FIELDS.includes(path.slice(PERSON_PREFIX.length))) {
    fail(`a person path is one of ${PERSON_FIELDS.map((field) => PERSON_PREFIX + field).join(', ')}`);
  }
  if (!ATTRIBUTE_TYPES.includes(type as AttributeType)) fail(`type must be one of ${ATTRIBUTE_TYPES.join(', ')}`);
  if (typeof readable !== 'boolean') fail('readable must be true or false');
  const values = parseValues(entry, type as AttributeType, fail);
  return { path, type: type as AttributeType, readable, ...(values && { values }) };
}

/** Checks a dictionary document (`{attributes: {name: {path, type?, values?, readable?}}}`); throws naming the key at fault. */
export function parseDictionary(document: unknown, fail: (key: string | undefined, reason: string) => never): AttributeDictionary {
  if (!isMapping(document) || !isMapping(document.attributes)) fail(undefined, 'the top level must hold an `attributes` mapping');
  const extra = Object.keys(document).filter((key) => key !== 'attributes');
  if (extra.length > 0) fail(extra[0], 'unknown top-level key (only `attributes` is allowed)');
  const entries = Object.entries(document.attributes);
  if (entries.length === 0) fail('attributes', 'the dictionary defines no attribute');
  return new Map(
    entries.map(([name, entry]) => [name, parseDefinition(name, entry, (reason) => fail(`attributes.${name}`, reason))]),
  );
}
