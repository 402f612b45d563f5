/**
 * The attribute sets of readAttributeSet and identify: the shipped config/attribute-sets.yaml, plus the sets of
 * OSIA_ATTRIBUTE_SETS (same name: the deployment's set wins). Checked at start-up.
 */
import path from 'node:path';
import { projectRoot } from '../openapi/project-root.js';
import type { OutputSpec } from './attribute-output.js';
import { readYamlConfig } from '../config/yaml-config.js';

export type AttributeSets = ReadonlyMap<string, OutputSpec>;

const NAME_MAP = { type: 'object', additionalProperties: { type: 'string', minLength: 1 } } as const;
const FIELDS = { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true } as const;
const setSchema = {
  type: 'object',
  properties: {
    biographicData: NAME_MAP,
    contactData: NAME_MAP,
    biometricData: {
      type: 'array',
      items: {
        type: 'object',
        required: ['biometricType'],
        properties: { biometricType: { type: 'string' }, biometricSubType: { type: 'string' }, fields: FIELDS },
        additionalProperties: false,
      },
    },
    credentialData: {
      type: 'array',
      items: {
        type: 'object',
        properties: { credentialType: { type: 'string' }, fields: FIELDS },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;
const fileSchema = {
  type: 'object',
  required: ['sets'],
  properties: { sets: { type: 'object', propertyNames: { pattern: '^[A-Za-z0-9_.-]+$' }, additionalProperties: setSchema } },
  additionalProperties: false,
} as const;

type SetFile = { sets: Record<string, Partial<OutputSpec>> };

const complete = (set: Partial<OutputSpec>): OutputSpec => ({
  biographicData: set.biographicData ?? {},
  contactData: set.contactData ?? {},
  biometricData: set.biometricData ?? [],
  credentialData: set.credentialData ?? [],
});

export async function loadAttributeSets(file: string | undefined): Promise<AttributeSets> {
  const shipped = await readYamlConfig<SetFile>(path.join(projectRoot(), 'config', 'attribute-sets.yaml'), 'attribute sets', fileSchema);
  const added = file ? await readYamlConfig<SetFile>(file, 'OSIA_ATTRIBUTE_SETS', fileSchema) : { sets: {} };
  return new Map(Object.entries({ ...shipped.sets, ...added.sets }).map(([name, set]) => [name, complete(set)]));
}
