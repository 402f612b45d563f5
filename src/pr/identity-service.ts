/**
 * Identities of the Population Registry. Server-managed fields: `identityId` (first key on reads), `createdDate`
 * and `updatedDate` (set here, last on reads; values sent by clients are ignored). Everything else is stored as
 * sent. Every change goes through `PopulationRegistry.change`: one commit with its change-log entry, the person
 * written back at the version read, so concurrent changes from any number of processes never interleave.
 */
import { randomUUID } from 'node:crypto';
import type { components } from '../../generated/pr.js';
import { ConflictError, InvalidError, NotAllowedError, NotFoundError } from '../shared/domain-errors.js';
import type { SchemaValidator } from '../openapi/schema-validator.js';
import type { PersonAggregate, PopulationRegistry } from '../registry/population-registry.js';
import type { IdentityRecord } from '../registry/registry-records.js';
import { withoutAllGallery } from './identity-galleries.js';
import { withSections } from './identity-sections.js';
import { checkEditable, type IdentityStatusRules } from './identity-status.js';
import { applyMergePatch } from '../shared/merge-patch.js';
import { moved } from './person-service.js';

type Json = Record<string, unknown>;
export type Identity = components['schemas']['Identity'];

/** The client's content without the fields the server manages. */
function clientContent(identity: Json): Json {
  const { identityId: _id, createdDate: _created, updatedDate: _updated, ...rest } = identity;
  return withoutAllGallery(rest);
}

/** The identity of a loaded person; NotFoundError when it has none by that id. */
function identityOf(person: PersonAggregate, identityId: string): IdentityRecord {
  const found = person.identities.find((identity) => identity.identityId === identityId);
  if (!found) throw new NotFoundError(`Person ${person.person._id} has no identity ${identityId}`);
  return found;
}

/** Puts `next` in place of the identity with the same id. */
function replaced(person: PersonAggregate, next: IdentityRecord): void {
  person.identities = person.identities.map((identity) => (identity.identityId === next.identityId ? next : identity));
}

export class IdentityService {
  constructor(
    private readonly registry: PopulationRegistry,
    private readonly validator: SchemaValidator,
    private readonly statusRules: IdentityStatusRules,
  ) {}

  /** Creates an identity; the server picks the id when the client does not. Unknown person: 404. */
  async create(personId: string, identityId: string | undefined, identity: Json, transactionId: string): Promise<string> {
    const id = identityId ?? randomUUID();
    const content = clientContent(identity);
    const operationId = identityId === undefined ? 'createIdentity' : 'createIdentityWithId';
    await this.registry.change([personId], { transactionId, operationId }, ([person], now) => {
      if (person.identities.some((existing) => existing.identityId === id)) throw new ConflictError(`Person ${personId} already has identity ${id}`);
      person.identities.push(this.registry.identityRecord(personId, id, { ...content, createdDate: now, updatedDate: now }, transactionId));
      return { personId, identityId: id };
    });
    return id;
  }

  async read(personId: string, identityId: string): Promise<Identity> {
    const record = await this.registry.identity(personId, identityId);
    if (!record) {
      await this.#existingPerson(personId);
      throw new NotFoundError(`Person ${personId} has no identity ${identityId}`);
    }
    return this.#answer(record);
  }

  async readAll(personId: string): Promise<Identity[]> {
    await this.#existingPerson(personId);
    return (await this.registry.identitiesOf(personId)).map((record) => this.#answer(record));
  }

  /** Full replacement of a CLAIMED identity; a status change in the body must be an allowed transition. */
  replace(personId: string, identityId: string, identity: Json, transactionId: string): Promise<void> {
    return this.#edit(personId, identityId, transactionId, 'updateIdentity', () => identity);
  }

  /** RFC 7396 merge patch of a CLAIMED identity; the result must still be a valid Identity. */
  patch(personId: string, identityId: string, patch: Json, transactionId: string): Promise<void> {
    return this.#edit(personId, identityId, transactionId, 'partialUpdateIdentity', (current) => {
      // Server-managed members of a patch follow the rule of full bodies: identityId is read-only (400), the dates
      // must be date-times and are then ignored.
      if ('identityId' in patch) throw new InvalidError(`Identity ${identityId}: identityId is read-only (set by the server)`);
      const merged = applyMergePatch({ identityId, ...current.identity }, patch) as Json;
      const problems = this.validator.check('Identity', merged);
      if (problems) throw new InvalidError(`Identity ${identityId} would not be valid after this patch: ${problems}`);
      return merged;
    });
  }

  async setStatus(personId: string, identityId: string, status: string, transactionId: string): Promise<void> {
    await this.registry.change([personId], { transactionId, operationId: 'setIdentityStatus' }, ([person], now) => {
      const record = identityOf(person, identityId);
      const current = String(record.identity.status);
      this.statusRules.checkTransition(identityId, current, status);
      if (current === status) return undefined;
      replaced(person, { ...record, identity: { ...record.identity, status, updatedDate: now }, lastTransactionId: transactionId });
      return { personId, identityId };
    });
  }

  async delete(personId: string, identityId: string, transactionId: string): Promise<void> {
    await this.registry.change([personId], { transactionId, operationId: 'deleteIdentity' }, ([person]) => {
      identityOf(person, identityId);
      person.identities = person.identities.filter((identity) => identity.identityId !== identityId);
      person.person = this.#withoutReference(person, identityId, transactionId);
      return { personId, identityId };
    });
  }

  /** Moves one identity (id kept) to another person; the source person stays, even with no identity left. */
  async move(targetId: string, sourceId: string, identityId: string, transactionId: string): Promise<void> {
    if (targetId === sourceId) throw new InvalidError(`Identity ${identityId} is already held by person ${targetId}`);
    await this.registry.change([targetId, sourceId], { transactionId, operationId: 'moveIdentity' }, ([target, source]) => {
      const record = identityOf(source, identityId);
      if (target.identities.some((identity) => identity.identityId === identityId)) {
        throw new ConflictError(`Person ${targetId} already has an identity ${identityId}`);
      }
      source.identities = source.identities.filter((identity) => identity !== record);
      source.person = this.#withoutReference(source, identityId, transactionId);
      target.identities.push(moved(record, targetId, transactionId));
      return { personId: targetId, sourcePersonId: sourceId, identityId };
    });
  }

  /** Only a VALID identity can become the reference (403, as pr.yaml documents for defineReference). */
  async defineReference(personId: string, identityId: string, transactionId: string): Promise<void> {
    await this.registry.change([personId], { transactionId, operationId: 'defineReference' }, ([person]) => {
      const record = identityOf(person, identityId);
      const status = String(record.identity.status);
      if (status !== 'VALID') throw new NotAllowedError(`Identity ${identityId} is ${status}: only a VALID identity can become the reference`);
      person.identities = person.identities.map((identity) => {
        if (identity === record) return { ...record, isReference: true, lastTransactionId: transactionId };
        return identity.isReference ? { ...identity, isReference: false } : identity;
      });
      person.person = { ...person.person, referenceId: identityId, lastTransactionId: transactionId };
      return { personId, identityId };
    });
  }

  async readReference(personId: string): Promise<Identity> {
    const view = await this.registry.readReference(personId);
    if (!view) throw new NotFoundError(`No person ${personId}`);
    if (!view.identity) throw new NotFoundError(`Person ${personId} has no reference identity`);
    return withSections(view.identity) as Identity;
  }

  /** Stored content is what validated requests carried plus the server's fields: it matches the schema. */
  #answer(record: IdentityRecord): Identity {
    return withSections(this.registry.identityView(record)) as Identity;
  }

  async #existingPerson(personId: string): Promise<void> {
    if (!(await this.registry.person(personId))) throw new NotFoundError(`No person ${personId}`);
  }

  /** When the identity leaving a person was its reference, the person is left without one. */
  #withoutReference({ person }: PersonAggregate, identityId: string, transactionId: string) {
    if (person.referenceId !== identityId) return person;
    const { referenceId: _dropped, ...rest } = person;
    return { ...rest, lastTransactionId: transactionId };
  }

  /** Replaces the content of a CLAIMED identity with what `next` makes of it (status changes: allowed transitions). */
  async #edit(personId: string, identityId: string, transactionId: string, operationId: string, next: (current: IdentityRecord) => Json) {
    await this.registry.change([personId], { transactionId, operationId }, ([person], now) => {
      const record = identityOf(person, identityId);
      const status = String(record.identity.status);
      checkEditable(identityId, status);
      const identity = next(record);
      this.statusRules.checkTransition(identityId, status, String(identity.status));
      const content = { ...clientContent(identity), createdDate: record.identity.createdDate, updatedDate: now };
      const { isReference } = record;
      replaced(person, { ...this.registry.identityRecord(personId, identityId, content, transactionId), isReference });
      return { personId, identityId };
    });
  }
}
