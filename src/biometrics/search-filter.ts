/**
 * The `Filter` of an ABIS search (abis.yaml): each key is a biographic or contextual attribute the candidate's
 * encounter must hold with an equal value; `<name>Min` and `<name>Max` bound `<name>` (numbers compare as numbers,
 * strings such as ISO dates as strings); `biometricType` lists the modalities to match, and the built-in engine
 * matches FACE only.
 */
import { InvalidError } from '../shared/domain-errors.js';

export type AttributeTest = (attributes: Record<string, unknown> | undefined) => boolean;

const BIOMETRIC_TYPES = new Set(['FACE', 'FINGER', 'IRIS', 'SIGNATURE', 'UNKNOWN']);

/** The test an encounter's attributes must pass; refuses a filter the engine cannot apply. */
export function attributeTest(filter: unknown): AttributeTest {
  if (filter === undefined || filter === null) return () => true;
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new InvalidError('The filter must be an object');
  const tests: AttributeTest[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'biometricType') checkModalities(value);
    else tests.push(testOf(key, value));
  }
  return (attributes) => tests.every((test) => test(attributes));
}

function checkModalities(value: unknown): void {
  if (!Array.isArray(value) || value.some((type) => typeof type !== 'string' || !BIOMETRIC_TYPES.has(type))) {
    throw new InvalidError(`The filter's biometricType must be an array of ${[...BIOMETRIC_TYPES].join(', ')}`);
  }
  if (!value.includes('FACE')) {
    throw new InvalidError(`The filter asks to match ${value.join(', ') || 'no modality'}: the built-in ABIS matches FACE only`);
  }
}

function testOf(key: string, value: unknown): AttributeTest {
  const range = /^(.+)(Min|Max)$/.exec(key);
  if (range) {
    const [, name = '', bound] = range;
    if (typeof value !== 'number' && typeof value !== 'string') {
      throw new InvalidError(`The filter's ${key} must be a number or a string (an ISO date)`);
    }
    return (attributes) => {
      const actual = attributes?.[name];
      if (typeof actual !== typeof value) return false;
      return bound === 'Min' ? (actual as typeof value) >= value : (actual as typeof value) <= value;
    };
  }
  const expected = JSON.stringify(value);
  return (attributes) => attributes !== undefined && key in attributes && JSON.stringify(attributes[key]) === expected;
}
