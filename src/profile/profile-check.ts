/**
 * Turns the raw profile mapping into a CountryProfile, or stops start-up with a one-line reason naming the key:
 * every key is a free-form component of one of our documents (or a document section), every value is an OpenAPI 3.0
 * schema that ajv compiles in the context of each document it applies to, and every `default` fits its schema.
 */
import type { LoadedDocument, SchemaObject } from '../openapi/documents.js';
import { componentsFor, type CountryProfile } from './country-profile.js';
import { freeFormComponents } from './free-form-components.js';
import { schemaProblem } from './openapi-schema-rules.js';
import { isMapping, type Mapping, profileError } from './profile-file.js';
import { compileProblem } from './profile-compile.js';
import { SETTINGS_KEYS } from './profile-settings.js';

function checkedSchema(file: string, key: string, value: unknown): SchemaObject {
  const problem = schemaProblem(value);
  if (problem) throw profileError(file, key, problem);
  return value as SchemaObject;
}

function documentSection(file: string, loaded: LoadedDocument, value: unknown): Record<string, SchemaObject> {
  const allowed = freeFormComponents(loaded.document);
  if (!isMapping(value) || Object.keys(value).length === 0) {
    throw profileError(file, loaded.name, `a document section must map components (${allowed.join(', ')}) to schemas`);
  }
  const section: Record<string, SchemaObject> = {};
  for (const [name, schema] of Object.entries(value)) {
    const key = `${loaded.name}.${name}`;
    if (!allowed.includes(name)) {
      throw profileError(file, key, `not a free-form component of ${loaded.name}; allowed: ${allowed.join(', ') || 'none'}`);
    }
    section[name] = checkedSchema(file, key, schema);
  }
  return section;
}

/** `catalogue`: every document that can be profiled, as published (served or not, so one profile fits all set-ups). */
export function checkProfile(file: string, raw: Mapping, catalogue: readonly LoadedDocument[]): CountryProfile {
  const allowed = [...new Set(catalogue.flatMap(({ document }) => freeFormComponents(document)))].sort();
  const profile: CountryProfile = { file, shared: {}, byDocument: {} };
  for (const [key, value] of Object.entries(raw)) {
    if ((SETTINGS_KEYS as readonly string[]).includes(key)) continue;
    const loaded = catalogue.find(({ name }) => name === key);
    if (loaded) {
      profile.byDocument[key] = documentSection(file, loaded, value);
    } else if (allowed.includes(key)) {
      profile.shared[key] = checkedSchema(file, key, value);
    } else {
      const sections = catalogue.map(({ name }) => name).join(', ');
      throw profileError(file, key, `unknown component; allowed: ${allowed.join(', ')} (or a section named ${sections}, or a setting: ${SETTINGS_KEYS.join(', ')})`);
    }
  }
  for (const loaded of catalogue) {
    const problem = compileProblem(loaded, componentsFor(profile, loaded));
    if (problem) throw profileError(file, problem.key, problem.reason);
  }
  return profile;
}
