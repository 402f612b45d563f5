/**
 * Persons of the Population Registry: create, read, update, delete, merge, find. Every change is one atomic batch
 * with its change-log entry; a create inserts (the store refuses an existing id), other changes write the persons
 * back at the version they were read (see `PopulationRegistry.change`).
 */
import { ConflictError, InvalidError, NotFoundError } from '../shared/domain-errors.js';
import type { PersonView, PopulationRegistry, SearchOptions, VersionedPerson } from '../registry/population-registry.js';
import { IDENTITIES, type IdentityRecord, identityKey, PERSONS, type PersonRecord } from '../registry/registry-records.js';
import { DuplicateKeyError, type WriteOp } from '../storage/document-store.port.js';
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

  async existing(personId: string): Promise<PersonRecord> {
    const person = await this.registry.person(personId);
    if (!person) throw new NotFoundError(`No person ${personId}`);
    return person;
  }

  async existingVersioned(personId: string): Promise<VersionedPerson> {
    const person = await this.registry.versionedPerson(personId);
    if (!person) throw new NotFoundError(`No person ${personId}`);
    return person;
  }

  async create(personId: string, input: PersonInput, transactionId: string): Promise<void> {
    try {
      await this.registry.commit([
        { collection: PERSONS, op: 'insert', doc: this.record(personId, input, transactionId) },
        ...this.registry.changeOps(transactionId, 'createPerson', { personId }),
      ]);
    } catch (error) {
      if (error instanceof DuplicateKeyError && error.collection === PERSONS) {
        throw new ConflictError(`Person ${personId} already exists`);
      }
      throw error;
    }
  }

  async read(personId: string): Promise<PersonView> {
    return this.registry.personView(await this.existing(personId));
  }

  async update(personId: string, input: PersonInput, transactionId: string): Promise<void> {
    await this.registry.change(async () => {
      const person = await this.existingVersioned(personId);
      const { referenceId } = person.record;
      const record = { ...this.record(personId, input, transactionId), ...(referenceId ? { referenceId } : {}) };
      await this.registry.commit([
        this.registry.personOp(person, record),
        ...this.registry.changeOps(transactionId, 'updatePerson', { personId }),
      ]);
    });
  }

  /** The person and all its identities go in one atomic batch; their binaries afterwards. */
  async delete(personId: string, transactionId: string): Promise<void> {
    await this.registry.change(async () => {
      const person = await this.existingVersioned(personId);
      const identities = await this.registry.identitiesOf(personId);
      const ops = identities.map((identity): WriteOp => ({ collection: IDENTITIES, op: 'delete', id: identity._id }));
      const identityIds = identities.map((identity) => identity.identityId);
      await this.registry.commit(
        [
          ...ops,
          { collection: PERSONS, op: 'delete', id: personId, expectedVersion: person.version },
          ...this.registry.changeOps(transactionId, 'deletePerson', { personId, identityIds }),
        ],
        { removed: identities.flatMap((identity) => identity.blobIds) },
      );
    });
  }

  /**
   * Moves every identity of the source to the target (ids kept, none of them the target's reference), then
   * deletes the source: all in one batch, or nothing when an identity id exists in both.
   */
  async merge(targetId: string, sourceId: string, transactionId: string): Promise<void> {
    if (targetId === sourceId) throw new InvalidError(`Cannot merge person ${targetId} into itself`);
    await this.registry.change(async () => {
      const target = await this.existingVersioned(targetId);
      const source = await this.existingVersioned(sourceId);
      const [targetIdentities, sourceIdentities] = await Promise.all([
        this.registry.identitiesOf(targetId),
        this.registry.identitiesOf(sourceId),
      ]);
      const taken = new Set(targetIdentities.map((identity) => identity.identityId));
      const clashes = sourceIdentities.filter((identity) => taken.has(identity.identityId)).map((i) => i.identityId);
      if (clashes.length > 0) {
        throw new ConflictError(`Persons ${targetId} and ${sourceId} both have identities ${clashes.join(', ')}`);
      }
      const identityIds = sourceIdentities.map((identity) => identity.identityId);
      // The persons' versions first: a change that raced this one fails it there and the merge runs again.
      await this.registry.commit([
        this.registry.personOp(target),
        ...sourceIdentities.flatMap((identity) => this.moveOps(identity, targetId, transactionId)),
        { collection: PERSONS, op: 'delete', id: sourceId, expectedVersion: source.version },
        ...this.registry.changeOps(transactionId, 'mergePerson', { personId: targetId, sourcePersonId: sourceId, identityIds }),
      ]);
    });
  }

  /**
   * The writes that re-home one identity under another person. Its key contains the person id, so it is a new
   * record: it comes after the identities the target already had. It is inserted, so an identity the target gained
   * meanwhile under the same id fails the batch rather than being overwritten.
   */
  moveOps(identity: IdentityRecord, targetId: string, transactionId: string): WriteOp[] {
    const moved = {
      ...identity,
      _id: identityKey(targetId, identity.identityId),
      personId: targetId,
      isReference: false,
      lastTransactionId: transactionId,
    };
    return [
      { collection: IDENTITIES, op: 'delete', id: identity._id },
      { collection: IDENTITIES, op: 'insert', doc: moved },
    ];
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
