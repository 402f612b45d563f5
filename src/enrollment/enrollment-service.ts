/**
 * Enrolments: create, read, update (PUT and merge patch), delete, finalise, find. Server-managed: `enrollmentId` and
 * `status` (read-only: a body naming them is refused) and `requestData.issuance` (written only by the issuance
 * workflow; what clients send there is dropped).
 * A FINALIZED enrolment no longer changes. A create inserts (the store refuses an existing id); every other change
 * writes the enrolment back at the version it read, so a check ("it exists", "it is still in progress") holds when
 * the write lands, in any server process (on a conflict the change runs again); `enrollmentFinalized` leaves after.
 */
import type { components } from '../../generated/enrollment.js';
import { ConflictError, InvalidError, NotFoundError } from '../shared/domain-errors.js';
import type { EventBus } from '../events/event-bus.js';
import { applyMergePatch } from '../shared/merge-patch.js';
import type { SchemaValidator } from '../openapi/schema-validator.js';
import { deleteBlobs, externalize, rehydrate } from '../shared/binary-fields.js';
import { retryOnConflict } from '../storage/optimistic.js';
import { type Expression, toCriteria } from '../registry/search-criteria.js';
import { criteriaFilter } from '../registry/search-filter.js';
import { decodeKeys, encodeKeys } from '../storage/stored-keys.js';
import { type Collection, DuplicateKeyError, type Storage, type WriteOp } from '../storage/document-store.port.js';
import { openCollection } from '../storage/typed-collection.js';
import { bufferReferences } from './buffer-references.js';
import { BUFFERS, type BufferRecord, ENROLLMENTS, type EnrollmentRecord, type EnrollmentStatus } from './enrollment-records.js';
import { isObject, selectAttributes } from '../shared/select-attributes.js';
import type { Clock } from '../shared/clock.js';

type Json = Record<string, unknown>;
export type Enrollment = components['schemas']['Enrollment'];

/** Read-only in the document, always answered: the path and the server set them. */
const READ_ONLY = ['enrollmentId', 'status'] as const;

export interface Change {
  enrollmentId: string;
  transactionId: string;
  finalize: boolean;
}

/**
 * The client's content: a read-only member is refused (the request validator already does so for full bodies; a
 * merge patch reaches us unchecked), the server-managed `requestData.issuance` is dropped.
 */
function clientContent(body: Json, operationId: string): Json {
  const named = READ_ONLY.filter((name) => Object.hasOwn(body, name));
  if (named.length > 0) {
    throw new InvalidError(`${operationId}: ${named.join(' and ')} ${named.length > 1 ? 'are' : 'is'} read-only (set by the server)`);
  }
  const { requestData } = body;
  if (!isObject(requestData) || !Object.hasOwn(requestData, 'issuance')) return body;
  const { issuance: _issuance, ...clientRequestData } = requestData;
  return { ...body, requestData: clientRequestData };
}

/**
 * OSIA describes requestData as a free-form JSON object but its schema has no type; the server writes `issuance`
 * into it, so it must be an object (or null: none).
 */
function checkRequestData(content: Json, operationId: string): void {
  const { requestData } = content;
  if (requestData !== undefined && requestData !== null && !isObject(requestData)) {
    throw new InvalidError(`${operationId}: requestData must be a JSON object`);
  }
}

/** Puts the server-managed issuance state back into new content. */
function keepIssuance(content: Json, previous: Json): Json {
  const issuance = (previous.requestData as Json | undefined)?.issuance;
  if (issuance === undefined) return content;
  return { ...content, requestData: { ...((content.requestData as Json | undefined) ?? {}), issuance } };
}

export class EnrollmentService {
  private constructor(
    private readonly storage: Storage,
    private readonly enrollments: Collection<EnrollmentRecord>,
    private readonly buffers: Collection<BufferRecord>,
    private readonly validator: SchemaValidator,
    private readonly events: EventBus,
    private readonly contentFields: ReadonlySet<string>,
    private readonly clock: Clock,
  ) {}

  static async open(storage: Storage, validator: SchemaValidator, events: EventBus, contentFields: ReadonlySet<string>, clock: Clock) {
    const { documents } = storage;
    return new EnrollmentService(
      storage,
      await openCollection<EnrollmentRecord>(documents, ENROLLMENTS, [{ fields: ['enrollment.status'] }, { fields: ['enrollment.enrollmentType'] }]),
      await openCollection<BufferRecord>(documents, BUFFERS, [{ fields: ['enrollmentId'] }]),
      validator,
      events,
      contentFields,
      clock,
    );
  }

  async create(change: Change, body: Json): Promise<void> {
    const { enrollmentId, transactionId, finalize } = change;
    const exists = () => new ConflictError(`Enrollment ${enrollmentId} already exists`);
    if (await this.enrollments.get(enrollmentId)) throw exists();
    const content = clientContent(body, 'createEnrollment');
    checkRequestData(content, 'createEnrollment');
    await this.#checkReferences(enrollmentId, content);
    const now = this.clock().toISOString();
    const status: EnrollmentStatus = finalize ? 'FINALIZED' : 'IN_PROGRESS';
    const record = await this.#record(enrollmentId, { ...content, status }, transactionId, now);
    try {
      await this.#written(record, () =>
        this.storage.documents.applyAtomically([
          { collection: ENROLLMENTS, op: 'insert', doc: record },
          ...this.storage.blobs.claim(record.blobIds),
        ]),
      );
    } catch (err) {
      // Another request (in any process sharing the store) created it meanwhile.
      throw err instanceof DuplicateKeyError ? exists() : err;
    }
    if (finalize) await this.#announce(change);
  }

  /** The enrolment as answered (see #answer); NotFoundError when there is none. */
  async read(enrollmentId: string, attributes?: readonly string[]): Promise<Enrollment> {
    return this.#answer(await this.existing(enrollmentId), attributes);
  }

  /** PUT as OSIA describes it: the members sent replace the stored ones, members left out stay as they are. */
  update(change: Change, body: Json): Promise<void> {
    return this.#change(change, 'updateEnrollment', (current) => ({ ...current, ...clientContent(body, 'updateEnrollment') }));
  }

  /** RFC 7396 merge patch; the result must still be a valid Enrollment. */
  patch(change: Change, patch: Json): Promise<void> {
    const operationId = 'partialUpdateEnrollment';
    return this.#change(change, operationId, (current) => applyMergePatch(current, clientContent(patch, operationId)) as Json);
  }

  async finalize(change: Change): Promise<void> {
    await retryOnConflict(async () => {
      const { record, version } = await this.#versioned(change.enrollmentId);
      if (record.enrollment.status === 'FINALIZED') return;
      await this.#putAt(this.#touched({ ...record, enrollment: { ...record.enrollment, status: 'FINALIZED' } }, change), version);
    });
    // Also for an enrolment finalised earlier: listeners may resume work that failed.
    await this.#announce(change);
  }

  /** The record and its buffers go in one atomic batch that releases their blobs; the blobs go afterwards. */
  async delete(enrollmentId: string): Promise<void> {
    await retryOnConflict(async () => {
      const { record, version } = await this.#versioned(enrollmentId);
      const buffers = await this.buffers.find({ enrollmentId });
      const blobIds = [...record.blobIds, ...buffers.map(({ blobId }) => String(blobId))];
      // At the version read: a buffer attached meanwhile changed it (see attachBuffer), so none is left behind.
      await this.storage.documents.applyAtomically([
        { collection: ENROLLMENTS, op: 'delete', id: enrollmentId, expectedVersion: version },
        ...buffers.map(({ _id }) => ({ collection: BUFFERS, op: 'delete' as const, id: _id })),
        ...this.storage.blobs.release(blobIds),
      ]);
      await deleteBlobs(blobIds, this.storage.blobs);
    });
  }

  /**
   * Enrolments matching every expression, in creation order. An attributeName is a dotted path within the
   * enrolment, a top-level Enrollment property (`status`, `enrollmentType` …), or else a `biographicData` member.
   */
  async find(expressions: readonly Expression[], offset: number, limit: number): Promise<Enrollment[]> {
    if (limit === 0) return [];
    const filter = criteriaFilter(toCriteria(expressions, this.contentFields), {}, 'enrollment');
    const records = await this.enrollments.find(filter, { skip: offset, limit });
    return Promise.all(records.map((record) => this.#answer(record)));
  }

  /**
   * Changes the issuance workflow's state in `requestData.issuance`, FINALIZED or not: `change` gets the state
   * recorded now and returns the one to store, or undefined to store nothing. Written at the version read, so it
   * is a compare-and-set across processes (on a conflict `change` runs again on fresh data). Resolves the state
   * recorded afterwards.
   */
  async changeIssuance(enrollmentId: string, change: (recorded: unknown) => object | undefined): Promise<unknown> {
    return retryOnConflict(async () => {
      const { record, version } = await this.#versioned(enrollmentId);
      const requestData = (record.enrollment.requestData as Json | undefined) ?? {};
      const recorded = requestData.issuance === undefined ? undefined : decodeKeys(requestData.issuance);
      const issuance = change(recorded);
      if (issuance === undefined) return recorded;
      const enrollment = { ...record.enrollment, requestData: { ...requestData, issuance: encodeKeys(issuance) } };
      await this.#putAt({ ...record, enrollment }, version);
      return issuance;
    });
  }

  /**
   * Files an uploaded buffer under its enrolment, which must exist and still be in progress: the enrolment is
   * written back at the version read, in the same batch, so a finalisation or deletion meanwhile fails it.
   */
  async attachBuffer(buffer: BufferRecord): Promise<void> {
    await retryOnConflict(async () => {
      const { record, version } = await this.#versioned(buffer.enrollmentId);
      checkInProgress(buffer.enrollmentId, record, 'createBuffer');
      await this.storage.documents.applyAtomically([
        { collection: ENROLLMENTS, op: 'put', doc: record, expectedVersion: version },
        { collection: BUFFERS, op: 'insert', doc: buffer },
        ...this.storage.blobs.claim([buffer.blobId]),
      ]);
    });
  }

  async buffer(enrollmentId: string, bufferId: string): Promise<BufferRecord | undefined> {
    await this.existing(enrollmentId);
    const record = await this.buffers.get(bufferId);
    return record?.enrollmentId === enrollmentId ? record : undefined;
  }

  async existing(enrollmentId: string): Promise<EnrollmentRecord> {
    return (await this.#versioned(enrollmentId)).record;
  }

  async #versioned(enrollmentId: string): Promise<{ record: EnrollmentRecord; version: number }> {
    const found = await this.enrollments.getVersioned(enrollmentId);
    if (!found) throw new NotFoundError(`No enrollment ${enrollmentId}`);
    return { record: found.doc, version: found.version };
  }

  /** Writes the enrolment back only if it is still at `version` (else VersionConflictError: read again). */
  #putAt(record: EnrollmentRecord, version: number, blobOps: WriteOp[] = []): Promise<void> {
    return this.storage.documents.applyAtomically([
      { collection: ENROLLMENTS, op: 'put', doc: record, expectedVersion: version },
      ...blobOps,
    ]);
  }

  async #change(change: Change, operationId: string, apply: (current: Json) => Json): Promise<void> {
    const { enrollmentId, transactionId, finalize } = change;
    await retryOnConflict(async () => {
      const { record, version } = await this.#versioned(enrollmentId);
      checkInProgress(enrollmentId, record, operationId);
      const current = await rehydrate(decodeKeys(record.enrollment), this.storage.blobs);
      const applied = apply(current);
      checkRequestData(applied, operationId);
      const next = keepIssuance(applied, current);
      const problems = this.validator.check('Enrollment', { enrollmentId, ...next });
      if (problems) throw new InvalidError(`Enrollment ${enrollmentId} would not be valid after ${operationId}: ${problems}`);
      await this.#checkReferences(enrollmentId, next);
      const status: EnrollmentStatus = finalize ? 'FINALIZED' : 'IN_PROGRESS';
      const replaced = await this.#record(enrollmentId, { ...next, status }, transactionId, record.createdDate);
      const { blobs } = this.storage;
      await this.#written(replaced, () => this.#putAt(replaced, version, [...blobs.claim(replaced.blobIds), ...blobs.release(record.blobIds)]));
      await deleteBlobs(record.blobIds, this.storage.blobs);
    });
    if (finalize) await this.#announce(change);
  }

  /** The enrolment as answered: id and status first, binaries back in place, optionally only some attributes. */
  async #answer(record: EnrollmentRecord, attributes?: readonly string[]): Promise<Enrollment> {
    const { status, ...rest } = await rehydrate(decodeKeys(record.enrollment), this.storage.blobs);
    const enrollment = { enrollmentId: record._id, status, ...rest };
    const answer = attributes && attributes.length > 0 ? selectAttributes(enrollment, attributes, READ_ONLY) : enrollment;
    // Stored content is what validated requests carried plus the server's fields: it matches the schema.
    return answer as unknown as Enrollment;
  }

  /** Runs the write of a freshly externalised record; when it fails, the blobs written for it go too. */
  async #written(record: EnrollmentRecord, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (err) {
      await deleteBlobs(record.blobIds, this.storage.blobs);
      throw err;
    }
  }

  /** Refuses references to buffers of this server that do not exist or belong to another enrolment. */
  async #checkReferences(enrollmentId: string, content: Json): Promise<void> {
    for (const { uri, enrollmentId: owner, bufferId } of bufferReferences(content)) {
      const buffer = owner === enrollmentId ? await this.buffers.get(bufferId) : undefined;
      if (!buffer || buffer.enrollmentId !== enrollmentId) {
        throw new InvalidError(`Enrollment ${enrollmentId} references ${uri}, which is not a buffer of this enrollment`);
      }
    }
  }

  async #record(enrollmentId: string, content: Json, transactionId: string, createdDate: string): Promise<EnrollmentRecord> {
    const { record, blobIds } = await externalize(content, this.storage.blobs);
    const now = this.clock().toISOString();
    const enrollment = encodeKeys(record) as EnrollmentRecord['enrollment'];
    return { _id: enrollmentId, enrollment, blobIds, createdDate, updatedDate: now, lastTransactionId: transactionId };
  }

  #touched(record: EnrollmentRecord, change: Change): EnrollmentRecord {
    return { ...record, updatedDate: this.clock().toISOString(), lastTransactionId: change.transactionId };
  }

  #announce({ enrollmentId, transactionId }: Change): Promise<void> {
    return this.events.emit('enrollmentFinalized', { enrollmentId, transactionId });
  }
}

/** A FINALIZED enrolment is handed over to back-end processing: it no longer changes. */
export function checkInProgress(enrollmentId: string, record: EnrollmentRecord, operationId: string): void {
  if (record.enrollment.status === 'FINALIZED') {
    throw new ConflictError(`Enrollment ${enrollmentId} is FINALIZED: ${operationId} is refused (a finalized enrollment can no longer be changed)`);
  }
}
