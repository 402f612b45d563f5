/**
 * Reads Data Access attributes from a person's reference identity through the dictionary. Each attribute either
 * has a value or a reason why not; each operation decides what a reason becomes (an Error in place of the value,
 * a matching error code, a 400/403, or a false expression).
 */
import { NotFoundError } from '../shared/domain-errors.js';
import type { PopulationRegistry, ReferenceView } from '../registry/population-registry.js';
import { type AttributeDictionary, type AttributeValue, PERSON_PREFIX } from './attribute-dictionary.js';
import { exposedValue } from './attribute-values.js';

export type AttributeProblem = 'unknown' | 'forbidden' | 'missing' | 'unrepresentable';
export type AttributeOutcome = { value: AttributeValue } | { problem: AttributeProblem };

/** A person with a reference identity: what every Data Access answer about a person is built from. */
export interface Reference {
  person: ReferenceView['person'];
  identity: Record<string, unknown>;
}

/** Per-attribute Error objects. 1023 is OSIA's own example; the others continue the series. */
const ATTRIBUTE_ERRORS: Record<AttributeProblem, { code: number; message: string }> = {
  unknown: { code: 1023, message: 'Unknown attribute name' },
  forbidden: { code: 1024, message: 'Attribute not readable' },
  missing: { code: 1025, message: 'No value recorded' },
  unrepresentable: { code: 1026, message: 'Recorded value cannot be expressed as the attribute type' },
};

export function attributeError(problem: AttributeProblem): { code: number; message: string } {
  return { ...ATTRIBUTE_ERRORS[problem] };
}

/** 404 for an unknown UIN and for a person without reference identity: there is nothing to answer from. */
export async function loadReference(registry: PopulationRegistry, uin: string): Promise<Reference> {
  const view = await registry.readReference(uin);
  if (!view) throw new NotFoundError(`no person with UIN ${uin}`);
  if (!view.identity) throw new NotFoundError(`person ${uin} has no reference identity`);
  return { person: view.person, identity: view.identity };
}

function recordedAt(reference: Reference, path: string): unknown {
  const [root, segments] = path.startsWith(PERSON_PREFIX)
    ? [reference.person as unknown, path.slice(PERSON_PREFIX.length).split('.')]
    : [reference.identity as unknown, path.split('.')];
  let node = root;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

export function readAttribute(dictionary: AttributeDictionary, reference: Reference, name: string): AttributeOutcome {
  const definition = dictionary.get(name);
  if (!definition) return { problem: 'unknown' };
  if (!definition.readable) return { problem: 'forbidden' };
  const recorded = recordedAt(reference, definition.path);
  if (recorded === undefined || recorded === null) return { problem: 'missing' };
  const value = exposedValue(definition, recorded);
  return value === undefined ? { problem: 'unrepresentable' } : { value };
}

/** The requested attributes as a Data Access answer object: each value, or the Error standing in for it. */
export function readAttributes(
  dictionary: AttributeDictionary,
  reference: Reference,
  names: readonly string[],
): Record<string, AttributeValue | { code: number; message: string }> {
  // fromEntries defines own properties, so a name such as `__proto__` stays a plain key.
  return Object.fromEntries(
    names.map((name) => {
      const outcome = readAttribute(dictionary, reference, name);
      return [name, 'value' in outcome ? outcome.value : attributeError(outcome.problem)];
    }),
  );
}
