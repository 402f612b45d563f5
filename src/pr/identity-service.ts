/**
 * Identities of the Population Registry. Server-managed fields: `identityId` (first key on reads), `createdDate`
 * and `updatedDate` (set here; values sent by clients are ignored). Everything else is stored as sent.
 */
import { randomUUID } from 'node:crypto';
import { BadRequestError, ConflictError, NotFoundError } from '../errors/http-errors.js';
import type { SchemaValidator } from '../openapi/schema-validator.js';
import type { PopulationRegistry } from '../registry/population-registry.js';
import { IDENTITIES, type IdentityRecord, PERSONS, type PersonRecord } from '../registry/registry-records.js';
import { DuplicateKeyError, type WriteOp } from '../storage/document-store.port.js';
import { checkEditable, checkTransition } from './identity-status.js';
import { applyMergePatch } from './merge-patch.js';
import type { PersonService } from './person-service.js';

type Identity = Record<string, unknown>;

/** The client's content, without the fields the server manages, followed by the server's dates. */
function content(identity: Identity, createdDate: string, updatedDate: string): Identity {
  const { identityId: _id, createdDate: _created, updatedDate: _updated, ...rest } = identity;
  return { ...rest, createdDate, updatedDate };
}

export class IdentityService {
  constructor(
    private readonly registry: PopulationRegistry,
    private readonly persons: PersonService,
    private readonly validator: SchemaValidator,
  ) {}

  private async existing(personId: string, identityId: string): Promise<IdentityRecord> {
    await this.persons.existing(personId);
    const record = await this.registry.identity(personId, identityId);
    if (!record) throw new NotFoundError(`Person ${personId} has no identity ${identityId}`);
    return record;
  }

  /** Creates an identity; the server picks the id when the client does not. Unknown person: 404. */
  async create(personId: string, identityId: string | undefined, identity: Identity, transactionId: string) {
    await this.persons.existing(personId);
    const id = identityId ?? randomUUID();
    const now = new Date().toISOString();
    const record = await this.registry.identityRecord(
      { personId, identityId: id, isReference: false, lastTransactionId: transactionId },
      content(identity, now, now),
    );
    try {
      await this.registry.identities.insert(record);
    } catch (err) {
      await this.registry.deleteBlobs(record.blobIds);
      if (err instanceof DuplicateKeyError) throw new ConflictError(`Person ${personId} already has identity ${id}`);
      throw err;
    }
    await this.registry.noteGalleries(identity);
    return id;
  }

  async read(personId: string, identityId: string): Promise<Identity> {
    return this.registry.identityView(await this.existing(personId, identityId));
  }

  async readAll(personId: string): Promise<Identity[]> {
    await this.persons.existing(personId);
    const records = await this.registry.identitiesOf(personId);
    return Promise.all(records.map((record) => this.registry.identityView(record)));
  }

  /** Full replacement of a CLAIMED identity; a status change in the body must be an allowed transition. */
  async replace(personId: string, identityId: string, identity: Identity, transactionId: string): Promise<void> {
    const record = await this.existing(personId, identityId);
    const current = record.identity;
    checkEditable(identityId, String(current.status));
    checkTransition(identityId, String(current.status), String(identity.status));
    const next = content(identity, String(current.createdDate), new Date().toISOString());
    await this.store(record, next, transactionId);
  }

  /** RFC 7396 merge patch of a CLAIMED identity; the result must still be a valid Identity. */
  async patch(personId: string, identityId: string, patch: Identity, transactionId: string): Promise<void> {
    const record = await this.existing(personId, identityId);
    const { identityId: _id, ...current } = await this.registry.identityView(record);
    checkEditable(identityId, String(current.status));
    const merged = applyMergePatch(current, patch) as Identity;
    const problems = this.validator.check('Identity', { ...merged, identityId });
    if (problems) throw new BadRequestError(`The patched identity is not valid: ${problems}`);
    await this.replace(personId, identityId, merged, transactionId);
  }

  async setStatus(personId: string, identityId: string, status: string, transactionId: string): Promise<void> {
    const record = await this.existing(personId, identityId);
    const current = String(record.identity.status);
    checkTransition(identityId, current, status);
    if (current === status) return;
    const next = { ...record.identity, status, updatedDate: new Date().toISOString() };
    await this.registry.identities.replace({ ...record, identity: next, lastTransactionId: transactionId });
  }

  async delete(personId: string, identityId: string, transactionId: string): Promise<void> {
    const person = await this.persons.existing(personId);
    const record = await this.existing(personId, identityId);
    await this.registry.documents.applyAtomically([
      { collection: IDENTITIES, op: 'delete', id: record._id },
      ...this.dropReference(person, identityId, transactionId),
      this.registry.changeEntry(transactionId, 'deleteIdentity', { personId, identityId }),
    ]);
    await this.registry.deleteBlobs(record.blobIds);
  }

  /** Moves one identity (id kept) to another person; the source person stays, even with no identity left. */
  async move(targetId: string, sourceId: string, identityId: string, transactionId: string): Promise<void> {
    if (targetId === sourceId) throw new BadRequestError(`Identity ${identityId} is already held by person ${targetId}`);
    await this.persons.existing(targetId);
    const source = await this.persons.existing(sourceId);
    const record = await this.existing(sourceId, identityId);
    if (await this.registry.identity(targetId, identityId)) {
      throw new ConflictError(`Person ${targetId} already has an identity ${identityId}`);
    }
    await this.registry.documents.applyAtomically([
      ...this.persons.moveOps(record, targetId, transactionId),
      ...this.dropReference(source, identityId, transactionId),
      this.registry.changeEntry(transactionId, 'moveIdentity', { personId: targetId, sourcePersonId: sourceId, identityId }),
    ]);
  }

  async defineReference(personId: string, identityId: string, transactionId: string): Promise<void> {
    const person = await this.persons.existing(personId);
    const record = await this.existing(personId, identityId);
    const previous = person.referenceId ? await this.registry.identity(personId, person.referenceId) : undefined;
    const ops: WriteOp[] = [];
    if (previous && previous._id !== record._id) {
      ops.push({ collection: IDENTITIES, op: 'put', doc: { ...previous, isReference: false } });
    }
    ops.push(
      { collection: IDENTITIES, op: 'put', doc: { ...record, isReference: true, lastTransactionId: transactionId } },
      { collection: PERSONS, op: 'put', doc: { ...person, referenceId: identityId, lastTransactionId: transactionId } },
    );
    await this.registry.documents.applyAtomically(ops);
  }

  async readReference(personId: string): Promise<Identity> {
    const view = await this.registry.readReference(personId);
    if (!view) throw new NotFoundError(`No person ${personId}`);
    if (!view.identity) throw new NotFoundError(`Person ${personId} has no reference identity`);
    return view.identity;
  }

  /** When the identity leaving a person was its reference, the person is left without one. */
  private dropReference(person: PersonRecord, identityId: string, transactionId: string): WriteOp[] {
    if (person.referenceId !== identityId) return [];
    const { referenceId: _dropped, ...rest } = person;
    return [{ collection: PERSONS, op: 'put', doc: { ...rest, lastTransactionId: transactionId } }];
  }

  private async store(record: IdentityRecord, identity: Identity, transactionId: string): Promise<void> {
    const next = await this.registry.identityRecord(
      { personId: record.personId, identityId: record.identityId, isReference: record.isReference, lastTransactionId: transactionId },
      identity,
    );
    await this.registry.identities.replace(next);
    await this.registry.deleteBlobs(record.blobIds);
    await this.registry.noteGalleries(identity);
  }
}
