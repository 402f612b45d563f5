/**
 * Persons of the Population Registry: create, read, update, delete, merge, find. Every change is one commit with
 * its change-log entry (see `PopulationRegistry.change`); a create inserts, so the store refuses an existing id.
 */
import { ConflictError, InvalidError, NotFoundError } from '../shared/domain-errors.js';
import type { PersonView, PopulationRegistry, SearchOptions } from '../registry/population-registry.js';
import { identityKey, type IdentityRecord, type PersonRecord } from '../registry/registry-records.js';
import { type Expression, toCriteria } from '../registry/search-criteria.js';

export interface PersonInput {
  status: string;
  physicalStatus: string;
}

export interface FindOptions extends SearchOptions {
  group?: boolean;
}

export type FoundRow = { personId: string; identityId?: string };

export class PersonService {
  constructor(
    private readonly registry: PopulationRegistry,
    private readonly identityFields: ReadonlySet<string>,
  ) {}

  /** The person, or undefined: for callers to whom a missing person is no failure (event reactions). */
  async lookup(personId: string): Promise<PersonView | undefined> {
    const person = await this.registry.person(personId);
    return person && this.registry.personView(person);
  }

  async read(personId: string): Promise<PersonView> {
    const person = await this.lookup(personId);
    if (!person) throw new NotFoundError(`No person ${personId}`);
    return person;
  }

  async create(personId: string, input: PersonInput, transactionId: string): Promise<void> {
    const person = this.record(personId, input, transactionId);
    await this.registry.create([{ person, identities: [] }], { transactionId, operationId: 'createPerson' }, () => ({ personId }));
  }

  async update(personId: string, input: PersonInput, transactionId: string): Promise<void> {
    await this.registry.change([personId], { transactionId, operationId: 'updatePerson' }, ([aggregate]) => {
      const { referenceId } = aggregate.person;
      aggregate.person = { ...this.record(personId, input, transactionId), ...(referenceId ? { referenceId } : {}) };
      return { personId };
    });
  }

  /** The person and all its identities go in one commit. */
  async delete(personId: string, transactionId: string): Promise<void> {
    await this.registry.change([personId], { transactionId, operationId: 'deletePerson' }, ([aggregate]) => {
      aggregate.deleted = true;
      return { personId, identityIds: aggregate.identities.map((identity) => identity.identityId) };
    });
  }

  /**
   * Moves every identity of the source to the target (ids kept, none of them the target's reference), then
   * deletes the source: all in one commit, or nothing when an identity id exists in both.
   */
  async merge(targetId: string, sourceId: string, transactionId: string): Promise<void> {
    if (targetId === sourceId) throw new InvalidError(`Cannot merge person ${targetId} into itself`);
    await this.registry.change([targetId, sourceId], { transactionId, operationId: 'mergePerson' }, ([kept, merged]) => {
      const taken = new Set(kept.identities.map((identity) => identity.identityId));
      const clashes = merged.identities.filter((identity) => taken.has(identity.identityId)).map((i) => i.identityId);
      if (clashes.length > 0) throw new ConflictError(`Persons ${targetId} and ${sourceId} both have identities ${clashes.join(', ')}`);
      kept.identities.push(...merged.identities.map((identity) => moved(identity, targetId, transactionId)));
      merged.deleted = true;
      return { personId: targetId, sourcePersonId: sourceId, identityIds: merged.identities.map((identity) => identity.identityId) };
    });
  }

  async find(expressions: readonly Expression[], options: FindOptions): Promise<FoundRow[]> {
    const criteria = toCriteria(expressions, this.identityFields);
    const { group, ...search } = options;
    if (group) {
      const personIds = await this.registry.findPersonIds(criteria, search);
      return personIds.map((personId) => ({ personId }));
    }
    const identities = await this.registry.findIdentities(criteria, search);
    return identities.map(({ personId, identityId }) => ({ personId, identityId }));
  }

  private record(personId: string, input: PersonInput, transactionId: string): PersonRecord {
    return { _id: personId, status: input.status, physicalStatus: input.physicalStatus, lastTransactionId: transactionId };
  }
}

/**
 * An identity re-homed under another person. Its key holds the person id, so it is a new record, after the
 * identities the target already had; it is inserted, so one the target gained meanwhile under the same id fails the
 * commit rather than being overwritten.
 */
export function moved(identity: IdentityRecord, targetId: string, transactionId: string): IdentityRecord {
  return { ...identity, _id: identityKey(targetId, identity.identityId), personId: targetId, isReference: false, lastTransactionId: transactionId };
}
