/**
 * Enrolments: create, read, update (PUT and merge patch), delete, finalise, find. Server-managed: `enrollmentId` and
 * `status` (read-only: a body naming them is refused) and `requestData.issuance` (written only by the issuance
 * workflow; what clients send there is dropped).
 * A FINALIZED enrolment no longer changes. A create inserts (the store refuses an existing id); every other change
 * writes the enrolment back at the version it read, so a check ("it exists", "it is still in progress") holds when
 * the write lands, in any server process (on a conflict the change runs again). A finalisation writes its
 * `enrollmentFinalized` record in the same commit (finalized-outbox.ts) and has it run once committed.
 */
import { ConflictError, InvalidError, NotFoundError } from '../shared/domain-errors.js';
import { applyMergePatch } from '../shared/merge-patch.js';
import type { SchemaValidator } from '../openapi/schema-validator.js';
import { type Expression, toCriteria } from '../registry/search-criteria.js';
import { criteriaFilter } from '../registry/search-filter.js';
import type { Records } from '../storage/records.js';
import type { Operation, Store, Versioned } from '../storage/store.js';
import { bufferReferences } from './buffer-references.js';
import { BUFFERS, type BufferRecord, ENROLLMENTS, type Enrollment, type EnrollmentRecord, type EnrollmentStatus } from './enrollment-records.js';
import type { FinalizedOutbox } from './finalized-outbox.js';
import { isObject, selectAttributes } from '../shared/select-attributes.js';
import type { Clock } from '../shared/clock.js';

type Json = Record<string, unknown>;
type Content = EnrollmentRecord['enrollment'];

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
    private readonly store: Store,
    private readonly enrollments: Records<EnrollmentRecord>,
    private readonly buffers: Records<BufferRecord>,
    private readonly finalized: FinalizedOutbox,
    private readonly validator: SchemaValidator,
    private readonly contentFields: ReadonlySet<string>,
    private readonly clock: Clock,
  ) {}

  static async open(store: Store, validator: SchemaValidator, finalized: FinalizedOutbox, contentFields: ReadonlySet<string>, clock: Clock) {
    const [enrollments, buffers] = [await store.records(ENROLLMENTS), await store.records(BUFFERS)];
    return new EnrollmentService(store, enrollments, buffers, finalized, validator, contentFields, clock);
  }

  /** Another request creating the same id (in any process sharing the store) makes the insert conflict: run again, refused. */
  async create(change: Change, body: Json): Promise<void> {
    const { enrollmentId, transactionId, finalize } = change;
    await this.#committed(change, finalize, async () => {
      if ((await this.enrollments.count({ _id: enrollmentId })) > 0) throw new ConflictError(`Enrollment ${enrollmentId} already exists`);
      const content = clientContent(body, 'createEnrollment');
      checkRequestData(content, 'createEnrollment');
      await this.#checkReferences(enrollmentId, content);
      const now = this.clock().toISOString();
      return [this.enrollments.insert(this.#record(enrollmentId, { ...content, status: finalize ? 'FINALIZED' : 'IN_PROGRESS' }, transactionId, now))];
    });
  }

  /** The enrolment as answered (see #answer); NotFoundError when there is none. */
  async read(enrollmentId: string, attributes?: readonly string[]): Promise<Enrollment> {
    return this.#answer((await this.#versioned(enrollmentId)).record, attributes);
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

  /** Also for an enrolment finalised earlier, which it announces again: the reaction may resume work that failed. */
  finalize(change: Change): Promise<void> {
    return this.#committed(change, true, async () => {
      const read = await this.#versioned(change.enrollmentId);
      const { record } = read;
      if (record.enrollment.status === 'FINALIZED') return [];
      const finalized = this.#record(record._id, { ...record.enrollment, status: 'FINALIZED' }, change.transactionId, record.createdDate);
      return [this.enrollments.put(finalized, read)];
    });
  }

  /** The record and its buffers go in one commit, which releases their blobs. */
  async delete(enrollmentId: string): Promise<void> {
    await this.store.change(async () => {
      const read = await this.#versioned(enrollmentId);
      const buffers = await this.buffers.findVersioned({ enrollmentId });
      // At the version read: a buffer attached meanwhile changed it (see attachBuffer), so none is left behind.
      await this.store.commit([this.enrollments.delete(read), ...buffers.map((buffer) => this.buffers.delete(buffer))]);
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
    return records.map((record) => this.#answer(record));
  }

  /**
   * Changes the issuance workflow's state in `requestData.issuance`, FINALIZED or not: `change` gets the state
   * recorded now and returns the one to store, or undefined to store nothing. Written at the version read, so it
   * is a compare-and-set across processes (on a conflict `change` runs again on fresh data). Resolves the state
   * recorded afterwards.
   */
  async changeIssuance(enrollmentId: string, change: (recorded: unknown) => object | undefined): Promise<unknown> {
    return this.store.change(async () => {
      const read = await this.#versioned(enrollmentId);
      const { record } = read;
      const requestData = (record.enrollment.requestData as Json | undefined) ?? {};
      const issuance = change(requestData.issuance);
      if (issuance === undefined) return requestData.issuance;
      const enrollment = { ...record.enrollment, requestData: { ...requestData, issuance } };
      await this.store.commit([this.enrollments.put(this.#stored(record, enrollment), read)]);
      return issuance;
    });
  }

  /**
   * Files an uploaded buffer under its enrolment, which must exist and still be in progress: the enrolment is
   * written back at the version read, in the same commit, so a finalisation or deletion meanwhile fails it.
   */
  async attachBuffer(buffer: BufferRecord): Promise<void> {
    await this.store.change(async () => {
      const read = await this.#versioned(buffer.enrollmentId);
      checkInProgress(buffer.enrollmentId, read.record.enrollment.status, 'createBuffer');
      await this.store.commit([this.enrollments.put(this.#stored(read.record, read.record.enrollment), read), this.buffers.insert(buffer)]);
    });
  }

  async buffer(enrollmentId: string, bufferId: string): Promise<BufferRecord | undefined> {
    await this.status(enrollmentId);
    const record = await this.buffers.get(bufferId);
    return record?.enrollmentId === enrollmentId ? record : undefined;
  }

  /** The enrolment's status, without reading its content; NotFoundError when there is none. */
  async status(enrollmentId: string): Promise<EnrollmentStatus> {
    if ((await this.enrollments.count({ _id: enrollmentId })) === 0) throw new NotFoundError(`No enrollment ${enrollmentId}`);
    return (await this.enrollments.count({ _id: enrollmentId, 'enrollment.status': 'FINALIZED' })) > 0 ? 'FINALIZED' : 'IN_PROGRESS';
  }

  async #versioned(enrollmentId: string): Promise<Versioned<EnrollmentRecord>> {
    const found = await this.enrollments.getVersioned(enrollmentId);
    if (!found) throw new NotFoundError(`No enrollment ${enrollmentId}`);
    return found;
  }

  async #change(change: Change, operationId: string, apply: (current: Json) => Json): Promise<void> {
    const { enrollmentId, transactionId, finalize } = change;
    await this.#committed(change, finalize, async () => {
      const read = await this.#versioned(enrollmentId);
      checkInProgress(enrollmentId, read.record.enrollment.status, operationId);
      const current = read.record.enrollment;
      const applied = apply(current);
      checkRequestData(applied, operationId);
      const next = keepIssuance(applied, current);
      const problems = this.validator.check('Enrollment', { enrollmentId, ...next });
      if (problems) throw new InvalidError(`Enrollment ${enrollmentId} would not be valid after ${operationId}: ${problems}`);
      await this.#checkReferences(enrollmentId, next);
      const replaced = this.#record(enrollmentId, { ...next, status: finalize ? 'FINALIZED' : 'IN_PROGRESS' }, transactionId, read.record.createdDate);
      return [this.enrollments.put(replaced, read)];
    });
  }

  /**
   * Runs `write` on fresh data until its operations commit; a finalising change commits its `enrollmentFinalized`
   * with them, and runs it once committed.
   */
  async #committed({ enrollmentId, transactionId }: Change, finalizes: boolean, write: () => Promise<Operation[]>): Promise<void> {
    const announcement = await this.store.change(async () => {
      const operations = await write();
      const announcement = finalizes ? this.finalized.announce({ enrollmentId, transactionId }) : undefined;
      await this.store.commit([...operations, ...(announcement?.operations ?? [])]);
      return announcement;
    });
    await announcement?.promptly();
  }

  /** The enrolment as answered: id and status first, optionally only some attributes. */
  #answer(record: EnrollmentRecord, attributes?: readonly string[]): Enrollment {
    const { status, ...rest } = record.enrollment;
    // Stored content is what validated requests carried plus the server's fields: it matches the schema.
    const enrollment = { enrollmentId: record._id, status, ...rest } as Enrollment;
    return attributes && attributes.length > 0 ? selectAttributes(enrollment, attributes, READ_ONLY) : enrollment;
  }

  /** Refuses references to buffers of this server that do not exist or belong to another enrolment. */
  async #checkReferences(enrollmentId: string, content: Json): Promise<void> {
    for (const { uri, enrollmentId: owner, bufferId } of bufferReferences(content)) {
      const [buffer] = owner === enrollmentId ? await this.buffers.select({ _id: bufferId }, ['enrollmentId'], { limit: 1 }) : [];
      if (!buffer || buffer.enrollmentId !== enrollmentId) {
        throw new InvalidError(`Enrollment ${enrollmentId} references ${uri}, which is not a buffer of this enrollment`);
      }
    }
  }

  #record(enrollmentId: string, enrollment: Content, transactionId: string, createdDate: string): EnrollmentRecord {
    return { _id: enrollmentId, enrollment, createdDate, updatedDate: this.clock().toISOString(), lastTransactionId: transactionId };
  }

  /** The record with `enrollment`, dates untouched (server-side writes: the issuance state, a buffer filed). */
  #stored({ _id, createdDate, updatedDate, lastTransactionId }: EnrollmentRecord, enrollment: Content): EnrollmentRecord {
    // Member by member: records of earlier stores also carry `blobIds`, which the store tracks itself now.
    return { _id, enrollment, createdDate, updatedDate, lastTransactionId };
  }
}

/** A FINALIZED enrolment is handed over to back-end processing: it no longer changes. */
export function checkInProgress(enrollmentId: string, status: EnrollmentStatus, operationId: string): void {
  if (status === 'FINALIZED') {
    throw new ConflictError(`Enrollment ${enrollmentId} is FINALIZED: ${operationId} is refused (a finalized enrollment can no longer be changed)`);
  }
}
