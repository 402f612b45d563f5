/**
 * Identities of the Population Registry. Server-managed fields: `identityId` (first key on reads), `createdDate`
 * and `updatedDate` (set here, last on reads; values sent by clients are ignored). Everything else is stored as
 * sent. Every change is one atomic batch with its change-log entry. A change to a person's set of identities
 * writes the person back at the version it was read; a change to one identity writes it back at its version (see
 * `PopulationRegistry.change`), so concurrent changes from any number of processes never interleave.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, InvalidError, NotFoundError } from '../shared/domain-errors.js';
import type { SchemaValidator } from '../openapi/schema-validator.js';
import type { PopulationRegistry } from '../registry/population-registry.js';
import { IDENTITIES, type IdentityRecord, type PersonRecord } from '../registry/registry-records.js';
import type { WriteOp } from '../storage/document-store.port.js';
import { withoutAllGallery } from './identity-galleries.js';
import { withSections } from './identity-sections.js';
import { checkEditable, type IdentityStatusRules } from './identity-status.js';
import { applyMergePatch } from '../shared/merge-patch.js';
import type { PersonService } from './person-service.js';
import type { Clock } from '../shared/clock.js';

type Identity = Record<string, unknown>;

/** The client's content without the fields the server manages. */
function clientContent(identity: Identity): Identity {
  const { identityId: _id, createdDate: _created, updatedDate: _updated, ...rest } = identity;
  return rest;
}

export class IdentityService {
  constructor(
    private readonly registry: PopulationRegistry,
    private readonly persons: PersonService,
    private readonly validator: SchemaValidator,
    private readonly statusRules: IdentityStatusRules,
    private readonly clock: Clock,
  ) {}

  /** Creates an identity; the server picks the id when the client does not. Unknown person: 404. */
  async create(personId: string, identityId: string | undefined, identity: Identity, transactionId: string) {
    const id = identityId ?? randomUUID();
    const content = withoutAllGallery(clientContent(identity));
    const operationId = identityId === undefined ? 'createIdentity' : 'createIdentityWithId';
    await this.registry.change(async () => {
      const person = await this.persons.existingVersioned(personId);
      if (await this.registry.identity(personId, id)) throw new ConflictError(`Person ${personId} already has identity ${id}`);
      const now = this.clock().toISOString();
      const fields = { personId, identityId: id, isReference: false, lastTransactionId: transactionId };
      const record = await this.registry.identityRecord(fields, { ...content, createdDate: now, updatedDate: now });
      await this.registry.commit(
        [
          this.registry.personOp(person),
          { collection: IDENTITIES, op: 'insert', doc: record },
          ...this.registry.galleryOps(content),
          ...this.registry.changeOps(transactionId, operationId, { personId, identityId: id }),
        ],
        { added: record.blobIds },
      );
    });
    return id;
  }

  async read(personId: string, identityId: string): Promise<Identity> {
    return withSections(await this.registry.identityView((await this.existing(personId, identityId)).record));
  }

  async readAll(personId: string): Promise<Identity[]> {
    await this.persons.existing(personId);
    const records = await this.registry.identitiesOf(personId);
    return Promise.all(records.map(async (record) => withSections(await this.registry.identityView(record))));
  }

  /** Full replacement of a CLAIMED identity; a status change in the body must be an allowed transition. */
  async replace(personId: string, identityId: string, identity: Identity, transactionId: string): Promise<void> {
    await this.registry.change(async () => {
      const record = await this.existing(personId, identityId);
      await this.store(record, identity, transactionId, 'updateIdentity');
    });
  }

  /** RFC 7396 merge patch of a CLAIMED identity; the result must still be a valid Identity. */
  async patch(personId: string, identityId: string, patch: Identity, transactionId: string): Promise<void> {
    await this.registry.change(async () => {
      const record = await this.existing(personId, identityId);
      const current = await this.registry.identityView(record.record);
      checkEditable(identityId, String(current.status));
      // Server-managed members of a patch follow the rule of full bodies: identityId is read-only (400), the dates
      // must be date-times and are then ignored.
      if ('identityId' in patch) throw new InvalidError(`Identity ${identityId}: identityId is read-only (set by the server)`);
      const merged = applyMergePatch(current, patch) as Identity;
      const problems = this.validator.check('Identity', merged);
      if (problems) throw new InvalidError(`Identity ${identityId} would not be valid after this patch: ${problems}`);
      await this.store(record, merged, transactionId, 'partialUpdateIdentity');
    });
  }

  async setStatus(personId: string, identityId: string, status: string, transactionId: string): Promise<void> {
    await this.registry.change(async () => {
      const { record, version } = await this.existing(personId, identityId);
      const current = String(record.identity.status);
      this.statusRules.checkTransition(identityId, current, status);
      if (current === status) return;
      const identity = { ...record.identity, status, updatedDate: this.clock().toISOString() };
      const doc = { ...record, identity, lastTransactionId: transactionId };
      await this.registry.commit([
        { collection: IDENTITIES, op: 'put', doc, expectedVersion: version },
        ...this.registry.changeOps(transactionId, 'setIdentityStatus', { personId, identityId }),
      ]);
    });
  }

  async delete(personId: string, identityId: string, transactionId: string): Promise<void> {
    await this.registry.change(async () => {
      const person = await this.persons.existingVersioned(personId);
      const { record, version } = await this.existing(personId, identityId);
      await this.registry.commit(
        [
          this.registry.personOp(person, this.withoutReference(person.record, identityId, transactionId)),
          { collection: IDENTITIES, op: 'delete', id: record._id, expectedVersion: version },
          ...this.registry.changeOps(transactionId, 'deleteIdentity', { personId, identityId }),
        ],
        { removed: record.blobIds },
      );
    });
  }

  /** Moves one identity (id kept) to another person; the source person stays, even with no identity left. */
  async move(targetId: string, sourceId: string, identityId: string, transactionId: string): Promise<void> {
    if (targetId === sourceId) throw new InvalidError(`Identity ${identityId} is already held by person ${targetId}`);
    await this.registry.change(async () => {
      const target = await this.persons.existingVersioned(targetId);
      const source = await this.persons.existingVersioned(sourceId);
      const { record } = await this.existing(sourceId, identityId);
      if (await this.registry.identity(targetId, identityId)) {
        throw new ConflictError(`Person ${targetId} already has an identity ${identityId}`);
      }
      // Both persons' versions first: a change that raced this one fails it there and the move runs again.
      await this.registry.commit([
        this.registry.personOp(target),
        this.registry.personOp(source, this.withoutReference(source.record, identityId, transactionId)),
        ...this.persons.moveOps(record, targetId, transactionId),
        ...this.registry.changeOps(transactionId, 'moveIdentity', { personId: targetId, sourcePersonId: sourceId, identityId }),
      ]);
    });
  }

  async defineReference(personId: string, identityId: string, transactionId: string): Promise<void> {
    await this.registry.change(async () => {
      const versioned = await this.persons.existingVersioned(personId);
      const person = versioned.record;
      const { record } = await this.existing(personId, identityId);
      const previous = person.referenceId ? await this.registry.identity(personId, person.referenceId) : undefined;
      const ops: WriteOp[] = [];
      if (previous && previous._id !== record._id) {
        ops.push({ collection: IDENTITIES, op: 'put', doc: { ...previous, isReference: false } });
      }
      await this.registry.commit([
        ...ops,
        { collection: IDENTITIES, op: 'put', doc: { ...record, isReference: true, lastTransactionId: transactionId } },
        this.registry.personOp(versioned, { ...person, referenceId: identityId, lastTransactionId: transactionId }),
        ...this.registry.changeOps(transactionId, 'defineReference', { personId, identityId }),
      ]);
    });
  }

  async readReference(personId: string): Promise<Identity> {
    const view = await this.registry.readReference(personId);
    if (!view) throw new NotFoundError(`No person ${personId}`);
    if (!view.identity) throw new NotFoundError(`Person ${personId} has no reference identity`);
    return withSections(view.identity);
  }

  private async existing(personId: string, identityId: string): Promise<{ record: IdentityRecord; version: number }> {
    await this.persons.existing(personId);
    const found = await this.registry.versionedIdentity(personId, identityId);
    if (!found) throw new NotFoundError(`Person ${personId} has no identity ${identityId}`);
    return found;
  }

  /** When the identity leaving a person was its reference, the person is left without one. */
  private withoutReference(person: PersonRecord, identityId: string, transactionId: string): PersonRecord {
    if (person.referenceId !== identityId) return person;
    const { referenceId: _dropped, ...rest } = person;
    return { ...rest, lastTransactionId: transactionId };
  }

  /** Replaces the content of a CLAIMED identity: new binaries in, old ones out once the record no longer needs them. */
  private async store(
    { record, version }: { record: IdentityRecord; version: number },
    identity: Identity,
    transactionId: string,
    operationId: string,
  ): Promise<void> {
    const { personId, identityId, isReference } = record;
    const status = String(record.identity.status);
    checkEditable(identityId, status);
    this.statusRules.checkTransition(identityId, status, String(identity.status));
    const sent = withoutAllGallery(clientContent(identity));
    const content = { ...sent, createdDate: record.identity.createdDate, updatedDate: this.clock().toISOString() };
    const next = await this.registry.identityRecord({ personId, identityId, isReference, lastTransactionId: transactionId }, content);
    await this.registry.commit(
      [
        { collection: IDENTITIES, op: 'put', doc: next, expectedVersion: version },
        ...this.registry.galleryOps(sent),
        ...this.registry.changeOps(transactionId, operationId, { personId, identityId }),
      ],
      { added: next.blobIds, removed: record.blobIds },
    );
  }
}
