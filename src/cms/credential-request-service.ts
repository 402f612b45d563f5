/**
 * Credential requests: accepted once checked (schema, profile of the catalogue, validity dates), then handed to the
 * producer of their profile, which issues at once (ISSUED), fails (FAILED) or answers later (PENDING: asked again on
 * every read and by the periodic sweep, and FAILED once the timeout has passed). CredentialRequest has no field for
 * a failure reason: it is written to `requestData.others.failureReason`.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { addDays, formatDateTime, normalizeDateTime, parseDateTime } from '../credentials/credential-dates.js';
import type { Clock } from '../shared/clock.js';
import type {
  CredentialProducer,
  ProducedCredential,
  ProducerState,
  ProductionOrder,
  ProductionOutcome,
  RequestData,
} from '../credentials/credential-producer.port.js';
import {
  type CredentialRequest,
  osiaView,
  REQUEST_FIELDS,
  type StoredCredential,
  type StoredRequest,
} from '../credentials/credential-records.js';
import type { Versioned } from '../credentials/credential-store.js';
import type { Credentials } from '../credentials/open-credentials.js';
import { type CatalogueProfile, osiaProfile, profileSettings } from '../credentials/profile-catalogue.js';
import { ConflictError, DomainError, InvalidError, NotFoundError } from '../shared/domain-errors.js';
import type { SchemaValidator } from '../openapi/schema-validator.js';
import { deleteBlobs, externalize, rehydrate } from '../shared/binary-fields.js';
import { retryOnConflict } from '../storage/optimistic.js';
import { selectAttributes } from '../shared/select-attributes.js';
import { checkAttributes } from './attribute-selection.js';

type Json = Record<string, unknown>;

export interface RequestServiceOptions {
  credentials: Pick<Credentials, 'catalogue' | 'store' | 'producers'>;
  /** Validates against the CMS document, for callers that do not come through the HTTP validator. */
  validator: SchemaValidator;
  clock: Clock;
  /** How long a request may stay PENDING. */
  timeoutSeconds: number;
  logger: Logger;
}

/** The fields the server manages: ignored when a client sends them. */
const SERVER_MANAGED = ['credentialRequestId', 'credentialIds', 'status'];
const REQUIRED = ['personId', 'biographicData', 'requestData'];

interface Accepted {
  request: CredentialRequest & { requestData: RequestData };
  profile: CatalogueProfile;
}

/**
 * The producer call of a change that `retryOnConflict` may run again is made once at most: a re-run after it was
 * made answers 409 instead, since the producer heard of a change the store then refused (the client decides anew).
 */
function producerCallOnce(credentialRequestId: string) {
  let made = false;
  return {
    /** On a re-run after the call: the 409 naming the status the request has now. */
    checkNotMade(status: string): void {
      if (made) throw new ConflictError(`Credential request ${credentialRequestId} changed concurrently (it is ${status} now): read it and try again`);
    },
    make<T>(call: () => Promise<T>): Promise<T> {
      made = true;
      return call();
    },
  };
}

export class CredentialRequestService {
  constructor(private readonly options: RequestServiceOptions) {}

  /**
   * createCredentialRequest: 409 when the id exists, 400 for a request the catalogue or the dates refuse. The
   * insert keeps the id unique across processes; the outcome is then recorded on the version it made (1).
   */
  async create(credentialRequestId: string, body: unknown, transactionId: string): Promise<void> {
    const { request, profile } = this.#accept(body, 'createCredentialRequest');
    const { store } = this.options.credentials;
    if (await store.getRequest(credentialRequestId)) throw this.#exists(credentialRequestId);
    const now = formatDateTime(this.options.clock());
    const { record, blobIds } = await this.#stored(request, credentialRequestId);
    const stored = {
      ...record,
      _id: credentialRequestId,
      createdAt: now,
      updatedAt: now,
      transactionId,
      producer: profile.producer,
      blobIds,
    } as StoredRequest;
    if (!(await store.insertRequest(stored))) {
      await deleteBlobs(blobIds, store.storage.blobs);
      throw this.#exists(credentialRequestId);
    }
    const order = this.#order(stored, request, profile, transactionId);
    const producer = this.options.credentials.producers.get(profile.producer);
    const outcome = await this.#outcome(producer, () => producer.produce(order));
    await this.#settle({ record: stored, version: 1 }, outcome, order, transactionId);
  }

  /** readCredentialRequest; a PENDING request is brought up to date first (its producer asked under `transactionId`). */
  async read(credentialRequestId: string, attributes?: readonly string[], transactionId?: string): Promise<CredentialRequest> {
    checkAttributes(attributes, REQUEST_FIELDS);
    await this.refresh(credentialRequestId, transactionId);
    const { record } = await this.#get(credentialRequestId);
    const view = selectAttributes(osiaView<CredentialRequest>(record, REQUEST_FIELDS), attributes, REQUIRED);
    return (await rehydrate(view as Json, this.options.credentials.store.storage.blobs)) as CredentialRequest;
  }

  /**
   * updateCredentialRequest: replaces the content of a PENDING request (409 otherwise). Written at the version
   * read; a concurrent change (a cancel, a poll) makes it run again on fresh data, unless the producer was told of
   * the update already (see producerCallOnce).
   */
  async update(credentialRequestId: string, body: unknown, transactionId: string): Promise<void> {
    const producerCall = producerCallOnce(credentialRequestId);
    await retryOnConflict(async () => {
      const { record: current, version } = await this.#get(credentialRequestId);
      producerCall.checkNotMade(current.status);
      if (current.status !== 'PENDING') {
        throw new ConflictError(`Credential request ${credentialRequestId} is ${current.status}: only a PENDING request can be updated`);
      }
      const { request, profile } = this.#accept(body, 'updateCredentialRequest');
      if (profile.producer !== current.producer) {
        throw new ConflictError(
          `Credential request ${credentialRequestId} is being produced by ${current.producer}; profile ${profile.credentialProfileId} is produced by ${profile.producer}: cancel it and create a new request`,
        );
      }
      const { record, blobIds } = await this.#stored(request, credentialRequestId);
      const { store, producers } = this.options.credentials;
      const next = {
        ...record,
        _id: credentialRequestId,
        createdAt: current.createdAt,
        updatedAt: formatDateTime(this.options.clock()),
        transactionId,
        producer: current.producer,
        ...(current.producerState ? { producerState: current.producerState } : {}),
        blobIds,
      } as StoredRequest;
      const producer = producers.get(current.producer);
      try {
        if (producer.updated) {
          const updated = producer.updated.bind(producer);
          const order = this.#order(next, request, profile, transactionId);
          const state = await producerCall.make(() => updated(order, current.producerState ?? {}));
          if (state) next.producerState = state;
        }
        const { blobs } = store.storage;
        await store.save({ record: next, version }, [], [...blobs.claim(blobIds), ...blobs.release(current.blobIds)]);
      } catch (err) {
        await deleteBlobs(blobIds, store.storage.blobs);
        throw err;
      }
      await deleteBlobs(current.blobIds, store.storage.blobs);
    });
  }

  /**
   * cancelCredentialRequest: PENDING → CANCELLED once the producer was told. Cancelling a CANCELLED request again
   * changes nothing (204); an ISSUED or FAILED one cannot be cancelled (409). Resolves the person concerned.
   * Written at the version read; a concurrent change makes it run again on fresh data: CANCELLED by then answers
   * as cancelled, anything else is a 409 once the producer was told (see producerCallOnce).
   */
  async cancel(credentialRequestId: string, transactionId: string): Promise<{ personId: string }> {
    const producerCall = producerCallOnce(credentialRequestId);
    return retryOnConflict(async () => {
      const { record, version } = await this.#get(credentialRequestId);
      if (record.status === 'CANCELLED') return { personId: record.personId };
      producerCall.checkNotMade(record.status);
      if (record.status !== 'PENDING') {
        const hint = record.status === 'ISSUED' ? ' (revoke its credentials instead)' : '';
        throw new ConflictError(`Credential request ${credentialRequestId} is ${record.status}: only a PENDING request can be cancelled${hint}`);
      }
      const producer = this.options.credentials.producers.get(record.producer);
      if (producer.cancel) {
        const cancel = producer.cancel.bind(producer);
        const order = await this.#orderOf(record, transactionId);
        await producerCall.make(() => cancel(order, record.producerState ?? {}));
      }
      await this.options.credentials.store.save({ record: this.#next(record, 'CANCELLED', transactionId), version });
      return { personId: record.personId };
    });
  }

  /**
   * Asks the producer of a PENDING request how it stands, and fails it once the timeout has passed. Every process
   * may sweep, so another may settle the request meanwhile: #settle decides which outcome stands.
   */
  async refresh(credentialRequestId: string, transactionId = `refresh-${randomUUID()}`): Promise<void> {
    let current = await this.options.credentials.store.getRequestVersioned(credentialRequestId);
    if (current?.record.status !== 'PENDING') return;
    const { record } = current;
    const producer = this.options.credentials.producers.get(record.producer);
    const order = await this.#orderOf(record, transactionId);
    if (producer.poll) {
      const poll = producer.poll.bind(producer);
      const outcome = await this.#tolerate(producer, 'poll', () => poll(order, record.producerState ?? {}));
      if (outcome && (outcome.status !== 'PENDING' || !sameState(outcome.producerState, record.producerState))) {
        current = await this.#settle(current, outcome, order, transactionId);
        if (!current || outcome.status !== 'PENDING') return;
      }
    }
    const deadline = new Date(Date.parse(record.createdAt) + this.options.timeoutSeconds * 1000);
    if (this.options.clock() < deadline) return;
    // Best effort: the producer may still finish, but nobody will collect the result.
    if (producer.cancel) {
      const cancel = producer.cancel.bind(producer);
      const state = current.record.producerState ?? {};
      await this.#tolerate(producer, 'cancel', () => cancel(order, state));
    }
    const reason = `no result from producer ${record.producer} within ${this.options.timeoutSeconds} seconds`;
    await this.#settle(current, { status: 'FAILED', reason }, order, transactionId);
  }

  /** Refreshes every PENDING request (the periodic sweep; tests call it directly). */
  async runPending(): Promise<void> {
    const transactionId = `sweep-${randomUUID()}`;
    for (const id of await this.options.credentials.store.pendingRequestIds()) {
      try {
        await this.refresh(id, transactionId);
      } catch (err) {
        this.options.logger.error({ err, credentialRequestId: id }, 'credential request refresh failed');
      }
    }
  }

  /** Checks a client's request: schema, profile, validity dates. Dates are normalised to RFC 3339 UTC. */
  #accept(body: unknown, operationId: string): Accepted {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new InvalidError(`${operationId} needs a request body (CredentialRequest)`);
    }
    const request = Object.fromEntries(Object.entries(body).filter(([key]) => !SERVER_MANAGED.includes(key))) as Json;
    const requestData = request.requestData as Json | undefined;
    if (requestData !== null && typeof requestData === 'object') {
      const dates: Json = {};
      for (const field of ['validFromDate', 'validToDate']) {
        const value = requestData[field];
        if (typeof value === 'string') dates[field] = normalizeDateTime(value, `requestData.${field}`);
      }
      request.requestData = { ...requestData, ...dates };
    }
    const problems = this.options.validator.check('CredentialRequest', request);
    if (problems) throw new InvalidError(`${operationId}: ${problems}`);
    const accepted = request as Accepted['request'];
    const { credentialProfileId, validFromDate, validToDate } = accepted.requestData;
    const profile = this.options.credentials.catalogue.get(credentialProfileId);
    if (!profile) {
      throw new InvalidError(`requestData.credentialProfileId: no credential profile ${credentialProfileId} (see findCredentialProfiles)`);
    }
    const now = this.options.clock();
    const requested = validFromDate ? parseDateTime(validFromDate, 'requestData.validFromDate') : now;
    // A start at or before now (a client's own "now", a little behind ours) means "valid from now", and is stored so.
    const start = requested > now ? requested : now;
    if (validFromDate && start !== requested) accepted.requestData.validFromDate = formatDateTime(now);
    if (validToDate) {
      const end = parseDateTime(validToDate, 'requestData.validToDate');
      if (validFromDate && end <= requested) throw new InvalidError(`requestData.validToDate must be later than validFromDate, got ${validToDate}`);
      if (end <= start) throw new InvalidError(`requestData.validToDate must be later than now (${formatDateTime(now)}), got ${validToDate}`);
      const defaultExpiry = profile.defaultLifetime ? addDays(start, profile.defaultLifetime) : undefined;
      if (defaultExpiry && end > defaultExpiry) {
        throw new InvalidError(
          `requestData.validToDate may shorten the validity but not extend it: profile ${credentialProfileId} gives ${profile.defaultLifetime} days, ending ${formatDateTime(defaultExpiry)}; got ${validToDate}`,
        );
      }
    }
    return { request: accepted, profile };
  }

  /** The record fields of an accepted request, its large binaries moved to the blob store. */
  async #stored(request: CredentialRequest, credentialRequestId: string) {
    const view = osiaView<CredentialRequest>(
      { ...request, credentialRequestId, status: 'PENDING', credentialIds: [] },
      REQUEST_FIELDS,
    );
    return externalize(view as Json, this.options.credentials.store.storage.blobs);
  }

  #order(record: StoredRequest, request: CredentialRequest, profile: CatalogueProfile | undefined, transactionId: string): ProductionOrder {
    const credentialProfileId = request.requestData.credentialProfileId;
    const known = profile ?? this.options.credentials.catalogue.get(credentialProfileId);
    return {
      credentialRequestId: record.credentialRequestId,
      transactionId,
      personId: request.personId,
      biographicData: request.biographicData,
      ...(request.biometricData ? { biometricData: request.biometricData } : {}),
      requestData: request.requestData,
      profile: known ? osiaProfile(known) : { credentialProfileId },
      settings: known ? profileSettings(known) : { producer: record.producer },
    };
  }

  /** The order of a stored request, binaries back in place (for poll and cancel). */
  async #orderOf(record: StoredRequest, transactionId: string): Promise<ProductionOrder> {
    const request = (await rehydrate(osiaView(record, REQUEST_FIELDS), this.options.credentials.store.storage.blobs)) as CredentialRequest;
    return this.#order(record, request, undefined, transactionId);
  }

  /**
   * Runs produce or poll. A client error (4xx) the producer raises is its verdict on the request and becomes the
   * failure reason; anything else is logged, and shown only as an internal failure.
   */
  async #outcome(producer: CredentialProducer, call: () => Promise<ProductionOutcome>): Promise<ProductionOutcome> {
    try {
      return await call();
    } catch (err) {
      const verdict = err instanceof DomainError && err.kind !== 'upstream' && err.kind !== 'unavailable';
      if (!verdict) this.options.logger.error({ err, producer: producer.name }, 'credential producer failed');
      const reason = verdict ? err.message : 'internal error of the producer (see the server log)';
      return { status: 'FAILED', reason: `producer ${producer.name} failed: ${reason}` };
    }
  }

  /** Runs a call whose failure is transient (poll, cancel on timeout): logged, and the request stays as it was. */
  async #tolerate<T>(producer: CredentialProducer, step: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (err) {
      this.options.logger.warn({ err, producer: producer.name, step }, 'credential producer call failed; will retry');
      return undefined;
    }
  }

  /**
   * Records a production outcome on the request as read (`read`, PENDING): its new status and, when ISSUED, its
   * credentials, all at once, at the version read. A conflict means another process (its sweep, a cancel) moved
   * the request on: while it is still PENDING the outcome is recorded on the fresh record; otherwise what the other
   * process recorded stands and this outcome is dropped. Resolves the request as written, or undefined if dropped.
   */
  async #settle(read: Versioned<StoredRequest>, outcome: ProductionOutcome, order: ProductionOrder, transactionId: string) {
    const { store } = this.options.credentials;
    const id = read.record.credentialRequestId;
    let fresh: Versioned<StoredRequest> | undefined = read;
    return retryOnConflict(async (): Promise<Versioned<StoredRequest> | undefined> => {
      const current = fresh ?? (await store.getRequestVersioned(id));
      fresh = undefined;
      if (current?.record.status !== 'PENDING') {
        this.options.logger.debug({ credentialRequestId: id, status: current?.record.status }, 'credential request moved on elsewhere: outcome dropped');
        return undefined;
      }
      const { request, credentials } = this.#settled(current.record, outcome, order, transactionId);
      await store.save({ record: request, version: current.version }, credentials.map((record) => ({ record })));
      return { record: request, version: current.version + 1 };
    });
  }

  /** The request with a production outcome, and the credentials it brings (new records). */
  #settled(record: StoredRequest, outcome: ProductionOutcome, order: ProductionOrder, transactionId: string) {
    if (outcome.status === 'PENDING') {
      return { request: { ...this.#next(record, 'PENDING', transactionId), producerState: outcome.producerState }, credentials: [] };
    }
    if (outcome.status === 'FAILED') {
      const next = this.#next(record, 'FAILED', transactionId);
      next.requestData = { ...next.requestData, others: { ...next.requestData.others, failureReason: outcome.reason } };
      return { request: next, credentials: [] };
    }
    const credentials = outcome.credentials.map((produced) => this.#credential(produced, record, order, transactionId));
    const next = this.#next(record, 'ISSUED', transactionId);
    next.credentialIds = credentials.map(({ credentialId }) => credentialId);
    return { request: next, credentials };
  }

  #next(record: StoredRequest, status: StoredRequest['status'], transactionId: string): StoredRequest {
    return { ...record, status, updatedAt: formatDateTime(this.options.clock()), transactionId };
  }

  #credential(produced: ProducedCredential, record: StoredRequest, order: ProductionOrder, transactionId: string): StoredCredential {
    const { requestData, profile } = order;
    const credentialId = produced.credentialId ?? randomUUID();
    const now = formatDateTime(this.options.clock());
    const date = (value: string | undefined, field: string) => (value ? normalizeDateTime(value, field) : undefined);
    const fields = {
      credentialId,
      status: produced.status,
      credentialNumber: produced.credentialNumber,
      personId: record.personId,
      credentialProfileId: requestData.credentialProfileId,
      credentialProfileVersion: requestData.credentialProfileVersion ?? profile.credentialProfileVersion,
      credentialProfileSubtype: requestData.credentialProfileSubtype ?? profile.credentialProfileSubtype,
      numberOfPages: requestData.numberOfPages ?? profile.numberOfPages,
      issuedDate: date(produced.issuedDate, 'issuedDate'),
      expiryDate: date(produced.expiryDate, 'expiryDate'),
      serialNumber: produced.serialNumber,
      issuingAuthority: produced.issuingAuthority,
      issuingPlace: produced.issuingPlace,
      others: produced.others,
    };
    const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    return {
      ...defined,
      _id: credentialId,
      credentialRequestId: record.credentialRequestId,
      createdAt: now,
      updatedAt: now,
      transactionId,
      producer: record.producer,
      ...(produced.producerState ? { producerState: produced.producerState } : {}),
      history: [{ time: now, to: produced.status, reason: `issued for credential request ${record.credentialRequestId}`, transactionId }],
    } as StoredCredential;
  }

  async #get(credentialRequestId: string): Promise<Versioned<StoredRequest>> {
    const found = await this.options.credentials.store.getRequestVersioned(credentialRequestId);
    if (!found) throw new NotFoundError(`Credential request ${credentialRequestId} not found`);
    return found;
  }

  #exists(credentialRequestId: string) {
    return new ConflictError(`Credential request ${credentialRequestId} already exists`);
  }
}

function sameState(a: ProducerState | undefined, b: ProducerState | undefined): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
}
