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
import type { RequestChange } from '../credentials/credential-store.js';
import type { Credentials } from '../credentials/open-credentials.js';
import { type CatalogueProfile, osiaProfile, profileSettings } from '../credentials/profile-catalogue.js';
import { ConflictError, DomainError, InvalidError } from '../shared/domain-errors.js';
import type { SchemaValidator } from '../openapi/schema-validator.js';
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
 * The producer call of a change that `Store.change` may run again is made once at most: a re-run after it was
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
    const { requests } = this.options.credentials.store;
    if (await requests.get(credentialRequestId)) throw this.#exists(credentialRequestId);
    const now = formatDateTime(this.options.clock());
    const stored = {
      ...this.#stored(request, credentialRequestId),
      _id: credentialRequestId,
      createdAt: now,
      updatedAt: now,
      transactionId,
      producer: profile.producer,
    } as StoredRequest;
    if (!(await requests.insert(stored))) throw this.#exists(credentialRequestId);
    const order = this.#order(stored, request, profile, transactionId);
    const producer = this.options.credentials.producers.get(profile.producer);
    const outcome = await this.#outcome(producer, () => producer.produce(order));
    await this.#settle(credentialRequestId, outcome, order, transactionId);
  }

  /** readCredentialRequest; a PENDING request is brought up to date first (its producer asked under `transactionId`). */
  async read(credentialRequestId: string, attributes?: readonly string[], transactionId?: string): Promise<CredentialRequest> {
    checkAttributes(attributes, REQUEST_FIELDS);
    await this.refresh(credentialRequestId, transactionId);
    const record = await this.options.credentials.store.requests.load(credentialRequestId);
    return selectAttributes(osiaView<CredentialRequest>(record, REQUEST_FIELDS), attributes, REQUIRED);
  }

  /**
   * updateCredentialRequest: replaces the content of a PENDING request (409 otherwise). Written at the version
   * read; a concurrent change (a cancel, a poll) makes it run again on fresh data, unless the producer was told of
   * the update already (see producerCallOnce).
   */
  async update(credentialRequestId: string, body: unknown, transactionId: string): Promise<void> {
    const producerCall = producerCallOnce(credentialRequestId);
    const { store, producers } = this.options.credentials;
    await store.requests.change(credentialRequestId, async (current) => {
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
      const next = {
        ...this.#stored(request, credentialRequestId),
        _id: credentialRequestId,
        createdAt: current.createdAt,
        updatedAt: formatDateTime(this.options.clock()),
        transactionId,
        producer: current.producer,
        ...(current.producerState ? { producerState: current.producerState } : {}),
      } as StoredRequest;
      const producer = producers.get(current.producer);
      if (producer.updated) {
        const updated = producer.updated.bind(producer);
        const order = this.#order(next, request, profile, transactionId);
        const state = await producerCall.make(() => updated(order, current.producerState ?? {}));
        if (state) next.producerState = state;
      }
      return { request: next };
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
    const { personId } = await this.options.credentials.store.requests.change(credentialRequestId, async (record) => {
      if (record.status === 'CANCELLED') return undefined;
      producerCall.checkNotMade(record.status);
      if (record.status !== 'PENDING') {
        const hint = record.status === 'ISSUED' ? ' (revoke its credentials instead)' : '';
        throw new ConflictError(`Credential request ${credentialRequestId} is ${record.status}: only a PENDING request can be cancelled${hint}`);
      }
      const producer = this.options.credentials.producers.get(record.producer);
      if (producer.cancel) {
        const cancel = producer.cancel.bind(producer);
        const order = this.#orderOf(record, transactionId);
        await producerCall.make(() => cancel(order, record.producerState ?? {}));
      }
      return { request: this.#next(record, 'CANCELLED', transactionId) };
    });
    return { personId };
  }

  /**
   * Asks the producer of a PENDING request how it stands, and fails it once the timeout has passed. Every process
   * may sweep, so another may settle the request meanwhile: #settle decides which outcome stands.
   */
  async refresh(credentialRequestId: string, transactionId = `refresh-${randomUUID()}`): Promise<void> {
    const record = await this.options.credentials.store.requests.get(credentialRequestId);
    if (record?.status !== 'PENDING') return;
    let current = record;
    const producer = this.options.credentials.producers.get(record.producer);
    const order = this.#orderOf(record, transactionId);
    if (producer.poll) {
      const poll = producer.poll.bind(producer);
      const outcome = await this.#tolerate(producer, 'poll', () => poll(order, record.producerState ?? {}));
      if (outcome && (outcome.status !== 'PENDING' || !sameState(outcome.producerState, record.producerState))) {
        current = await this.#settle(credentialRequestId, outcome, order, transactionId);
        if (current.status !== 'PENDING') return;
      }
    }
    const deadline = new Date(Date.parse(record.createdAt) + this.options.timeoutSeconds * 1000);
    if (this.options.clock() < deadline) return;
    // Best effort: the producer may still finish, but nobody will collect the result.
    if (producer.cancel) {
      const cancel = producer.cancel.bind(producer);
      const state = current.producerState ?? {};
      await this.#tolerate(producer, 'cancel', () => cancel(order, state));
    }
    const reason = `no result from producer ${record.producer} within ${this.options.timeoutSeconds} seconds`;
    await this.#settle(credentialRequestId, { status: 'FAILED', reason }, order, transactionId);
  }

  /** Refreshes every PENDING request (the periodic sweep; tests call it directly). */
  async runPending(): Promise<void> {
    const transactionId = `sweep-${randomUUID()}`;
    for (const id of await this.options.credentials.store.requests.pendingIds()) {
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

  /** The OSIA fields of an accepted request, as first recorded. */
  #stored(request: CredentialRequest, credentialRequestId: string): CredentialRequest {
    return osiaView<CredentialRequest>({ ...request, credentialRequestId, status: 'PENDING', credentialIds: [] }, REQUEST_FIELDS);
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

  /** The order of a stored request (for poll and cancel). */
  #orderOf(record: StoredRequest, transactionId: string): ProductionOrder {
    return this.#order(record, osiaView(record, REQUEST_FIELDS), undefined, transactionId);
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
   * Records a production outcome on the PENDING request: its new status and, when ISSUED, its credentials, all at
   * once. Another process (its sweep, a cancel) may have moved the request on meanwhile: while it is still PENDING
   * the outcome is recorded on the fresh record; otherwise what the other process recorded stands and this outcome
   * is dropped. Resolves the request as it stands afterwards.
   */
  #settle(credentialRequestId: string, outcome: ProductionOutcome, order: ProductionOrder, transactionId: string): Promise<StoredRequest> {
    return this.options.credentials.store.requests.change(credentialRequestId, async (current) => {
      if (current.status === 'PENDING') return this.#settled(current, outcome, order, transactionId);
      this.options.logger.debug({ credentialRequestId, status: current.status }, 'credential request moved on elsewhere: outcome dropped');
      return undefined;
    });
  }

  /** The request with a production outcome, and the credentials it issues. */
  #settled(record: StoredRequest, outcome: ProductionOutcome, order: ProductionOrder, transactionId: string): RequestChange {
    if (outcome.status === 'PENDING') {
      return { request: { ...this.#next(record, 'PENDING', transactionId), producerState: outcome.producerState } };
    }
    if (outcome.status === 'FAILED') {
      const next = this.#next(record, 'FAILED', transactionId);
      next.requestData = { ...next.requestData, others: { ...next.requestData.others, failureReason: outcome.reason } };
      return { request: next };
    }
    const issued = outcome.credentials.map((produced) => this.#credential(produced, record, order, transactionId));
    const next = this.#next(record, 'ISSUED', transactionId);
    next.credentialIds = issued.map(({ credentialId }) => credentialId);
    return { request: next, issued };
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

  #exists(credentialRequestId: string) {
    return new ConflictError(`Credential request ${credentialRequestId} already exists`);
  }
}

function sameState(a: ProducerState | undefined, b: ProducerState | undefined): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
}
