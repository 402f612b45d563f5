/**
 * queryPersonList: finds persons whose reference identity holds every given attribute value, and answers their
 * UINs or the requested attributes of each. OSIA answers 404, not an empty list, when nobody matches.
 */
import { paging } from '../shared/paging.js';
import { InvalidError, NotAllowedError } from '../shared/domain-errors.js';
import type { Criterion, PopulationRegistry } from '../registry/population-registry.js';
import { type AttributeDictionary, PERSON_PREFIX } from './attribute-dictionary.js';
import { callerValue, recordedValue } from './attribute-values.js';
import { readAttributes } from './reference-attributes.js';

export interface PersonQuery {
  attributes: Record<string, unknown>;
  names?: string[];
  offset?: number;
  limit?: number;
}

function searchCriteria(dictionary: AttributeDictionary, attributes: Record<string, unknown>): Criterion[] {
  const entries = Object.entries(attributes);
  if (entries.length === 0) throw new InvalidError('give at least one search attribute, e.g. ?lastName=…');
  return entries.map(([name, raw]) => {
    const definition = dictionary.get(name);
    if (!definition) {
      throw new InvalidError(`unknown search attribute ${name} (known: ${[...dictionary.keys()].join(', ')})`);
    }
    if (!definition.readable) throw new NotAllowedError(`attribute ${name} is not readable, so it cannot be searched`);
    if (definition.path.startsWith(PERSON_PREFIX)) {
      throw new InvalidError(`attribute ${name} cannot be a search criterion (read the person by UIN instead)`);
    }
    if (typeof raw !== 'string') throw new InvalidError(`give search attribute ${name} once, as a single value`);
    const value = recordedValue(definition, callerValue(name, definition, raw));
    return { path: definition.path, operator: '=', value };
  });
}

export async function queryPersons(
  registry: PopulationRegistry,
  dictionary: AttributeDictionary,
  query: PersonQuery,
  /** The call, told which persons the answer is about (for the audit trail). */
  call: { touchPersons(personIds: readonly string[]): void },
) {
  const criteria = searchCriteria(dictionary, query.attributes);
  const personIds = await registry.findPersonIds(criteria, { referenceOnly: true, ...paging(query.offset, query.limit, 100, 1) });
  if (personIds.length === 0) return [];
  call.touchPersons(personIds);
  const { names } = query;
  if (!names) return personIds;
  const rows = [];
  for (const personId of personIds) {
    const view = await registry.readReference(personId);
    // A person deleted, or whose reference was removed, since the search is no longer an answer.
    if (view?.identity) rows.push(readAttributes(dictionary, { person: view.person, identity: view.identity }, names));
  }
  return rows;
}
