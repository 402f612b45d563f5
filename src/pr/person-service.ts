/** Persons of the Population Registry: create, read, update, delete, merge, find. */
import { BadRequestError, ConflictError, NotFoundError } from '../errors/http-errors.js';
import type { PersonView, PopulationRegistry, SearchOptions } from '../registry/population-registry.js';
import { IDENTITIES, type IdentityRecord, identityKey, PERSONS, type PersonRecord } from '../registry/registry-records.js';
import { DuplicateKeyError, type WriteOp } from '../storage/document-store.port.js';
import { type Expression, toCriteria } from './search-criteria.js';

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

  async create(personId: string, input: PersonInput, transactionId: string): Promise<void> {
    const record = { _id: personId, status: input.status, physicalStatus: input.physicalStatus, lastTransactionId: transactionId };
    try {
      await this.registry.persons.insert(record);
    } catch (err) {
      if (err instanceof DuplicateKeyError) throw new ConflictError(`Person ${personId} already exists`);
      throw err;
    }
  }

  async read(personId: string): Promise<PersonView> {
    return this.registry.personView(await this.existing(personId));
  }

  async update(personId: string, input: PersonInput, transactionId: string): Promise<void> {
    const person = await this.existing(personId);
    const updated = { ...person, status: input.status, physicalStatus: input.physicalStatus, lastTransactionId: transactionId };
    if (!(await this.registry.persons.replace(updated))) throw new NotFoundError(`No person ${personId}`);
  }

  /** The person and all its identities go in one atomic batch; their binaries afterwards. */
  async delete(personId: string, transactionId: string): Promise<void> {
    await this.existing(personId);
    const identities = await this.registry.identitiesOf(personId);
    await this.registry.documents.applyAtomically([
      ...identities.map((identity): WriteOp => ({ collection: IDENTITIES, op: 'delete', id: identity._id })),
      { collection: PERSONS, op: 'delete', id: personId },
      this.registry.changeEntry(transactionId, 'deletePerson', { personId }),
    ]);
    await this.registry.deleteBlobs(identities.flatMap((identity) => identity.blobIds));
  }

  /**
   * Moves every identity of the source to the target (ids kept, none of them the target's reference), then
   * deletes the source: all in one batch, or nothing when an identity id exists in both.
   */
  async merge(targetId: string, sourceId: string, transactionId: string): Promise<void> {
    if (targetId === sourceId) throw new BadRequestError(`Cannot merge person ${targetId} into itself`);
    await this.existing(targetId);
    await this.existing(sourceId);
    const [targetIdentities, sourceIdentities] = await Promise.all([
      this.registry.identitiesOf(targetId),
      this.registry.identitiesOf(sourceId),
    ]);
    const taken = new Set(targetIdentities.map((identity) => identity.identityId));
    const clashes = sourceIdentities.filter((identity) => taken.has(identity.identityId)).map((i) => i.identityId);
    if (clashes.length > 0) {
      throw new ConflictError(`Persons ${targetId} and ${sourceId} both have identities ${clashes.join(', ')}`);
    }
    const moves = sourceIdentities.flatMap((identity) => this.moveOps(identity, targetId, transactionId));
    await this.registry.documents.applyAtomically([
      ...moves,
      { collection: PERSONS, op: 'delete', id: sourceId },
      this.registry.changeEntry(transactionId, 'mergePerson', { personId: targetId, sourcePersonId: sourceId }),
    ]);
  }

  /** The writes that re-home one identity under another person (its key contains the person id). */
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
      { collection: IDENTITIES, op: 'put', doc: moved },
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
}
