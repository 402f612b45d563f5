/**
 * Conversions between recorded values and Data Access values. Callers' values (query strings, match attributes,
 * expression values) are brought to the attribute's declared type before any comparison, so that `?gender=1`
 * compares the number 1 and a date is always `YYYY-MM-DD`.
 */
import { InvalidError } from '../shared/domain-errors.js';
import { type AttributeDefinition, type AttributeType, type AttributeValue, hasType } from './attribute-dictionary.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The value as the declared type, or undefined when it cannot be read as one (strings are parsed). */
function asType(value: unknown, type: AttributeType): AttributeValue | undefined {
  if (hasType(value, type)) return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (type === 'integer' && /^[-+]?\d+$/.test(text)) return Number(text);
  if (type === 'number' && text !== '' && Number.isFinite(Number(text))) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return undefined;
}

/** A value sent by the caller for attribute `name`, as the declared type; 400 naming the attribute otherwise. */
export function callerValue(name: string, definition: AttributeDefinition, value: unknown): AttributeValue {
  const typed = asType(value, definition.type);
  const dateOk = definition.type !== 'date' || (typeof typed === 'string' && DATE.test(typed));
  if (typed === undefined || !dateOk) {
    const expected = definition.type === 'date' ? 'a date written YYYY-MM-DD' : `of type ${definition.type}`;
    // The value itself stays out of the message: it is personal data.
    throw new InvalidError(`attribute ${name} must be ${expected}`);
  }
  return typed;
}

/**
 * A recorded value as the Data Access value: through the value mapping when it lists it, else read as the
 * declared type (a gender recorded as the ISO 5218 code itself passes). Undefined when it cannot be expressed.
 */
export function exposedValue(definition: AttributeDefinition, recorded: unknown): AttributeValue | undefined {
  if (definition.values && (typeof recorded === 'string' || typeof recorded === 'number')) {
    const mapped = definition.values[String(recorded)];
    if (mapped !== undefined) return mapped;
  }
  return asType(recorded, definition.type);
}

/** The recorded value a search must look for to find the Data Access value `value`. */
export function recordedValue(definition: AttributeDefinition, value: AttributeValue): AttributeValue {
  const entry = Object.entries(definition.values ?? {}).find(([, mapped]) => mapped === value);
  return entry ? entry[0] : value;
}
