/**
 * matchPersonAttributes and verifyPersonAttributes: compare callers' values with the reference identity without
 * disclosing it. Both refuse (403) an attribute the dictionary keeps private, since an answer about it reveals it.
 * The UIN is checked first (404), then the attributes and values (400/403), for both operations alike.
 */
import { InvalidError, NotAllowedError, NotFoundError } from '../shared/domain-errors.js';
import type { PopulationRegistry } from '../registry/population-registry.js';
import type { AttributeDefinition, AttributeDictionary, AttributeValue } from './attribute-dictionary.js';
import { callerValue } from './attribute-values.js';
import { loadReference, readAttribute } from './reference-attributes.js';

export type Operator = '<' | '>' | '=' | '>=' | '<=';
export interface Expression {
  attributeName: string;
  operator: Operator;
  value: AttributeValue;
}
export interface MatchingError {
  attributeName: string;
  errorCode: 0 | 1;
}

function readableDefinition(dictionary: AttributeDictionary, name: string): AttributeDefinition | undefined {
  const definition = dictionary.get(name);
  if (definition && !definition.readable) throw new NotAllowedError(`attribute ${name} is not readable`);
  return definition;
}

/** The attributes that differ: 0 when the attribute is unknown or has no recorded value, 1 when the values differ. */
export async function matchAttributes(
  registry: PopulationRegistry,
  dictionary: AttributeDictionary,
  uin: string,
  attributes: Record<string, AttributeValue>,
): Promise<MatchingError[]> {
  const reference = await loadReference(registry, uin);
  const expected = Object.entries(attributes).map(([name, value]) => {
    const definition = readableDefinition(dictionary, name);
    return { name, value: definition ? callerValue(name, definition, value) : undefined };
  });
  const errors: MatchingError[] = [];
  for (const { name, value } of expected) {
    const outcome = readAttribute(dictionary, reference, name);
    if (!('value' in outcome)) {
      // A recorded value that the attribute's type cannot express exists, but cannot equal a typed value.
      errors.push({ attributeName: name, errorCode: outcome.problem === 'unrepresentable' ? 1 : 0 });
    } else if (outcome.value !== value) {
      errors.push({ attributeName: name, errorCode: 1 });
    }
  }
  return errors;
}

function holds(recorded: AttributeValue, operator: Operator, value: AttributeValue): boolean {
  switch (operator) {
    case '=':
      return recorded === value;
    case '<':
      return recorded < value;
    case '>':
      return recorded > value;
    case '<=':
      return recorded <= value;
    case '>=':
      return recorded >= value;
  }
}

/**
 * True when every expression holds; an attribute without a recorded value makes its expression false, and so does a
 * person without a reference identity (404 stays for an unknown person).
 */
export async function verifyExpressions(
  registry: PopulationRegistry,
  dictionary: AttributeDictionary,
  uin: string,
  expressions: readonly Expression[],
): Promise<boolean> {
  const view = await registry.readReference(uin);
  if (!view) throw new NotFoundError(`no person with UIN ${uin}`);
  const typed = expressions.map(({ attributeName: name, operator, value }) => {
    const definition = readableDefinition(dictionary, name);
    if (!definition) throw new InvalidError(`unknown attribute ${name} in an expression`);
    if (definition.type === 'boolean' && operator !== '=') {
      throw new InvalidError(`attribute ${name} is a boolean: only the = operator applies`);
    }
    return { name, operator, value: callerValue(name, definition, value) };
  });
  // A person without a reference identity has nothing that could be verified: every expression is false.
  const { identity } = view;
  if (!identity) return false;
  return typed.every(({ name, operator, value }) => {
    const outcome = readAttribute(dictionary, { person: view.person, identity }, name);
    return 'value' in outcome && holds(outcome.value, operator, value);
  });
}
