/**
 * The OSIA credential issuance use case run inside the server: once an enrolment is finalised, look for its face in
 * the ABIS's national gallery, generate a UIN, create the person and its identity in the Population Registry, enrol
 * the face in the ABIS under the person, make the identity the reference, then ask the CMS for the credential named
 * by the enrolment. A face matching another person stops the workflow once the person and its CLAIMED identity
 * exist, and announces `duplicatePerson`. Every step goes through the same domain services as the OSIA
 * operations (same checks, same change log), is recorded on the enrolment as soon as it is done, and is idempotent,
 * so a failed or interrupted run resumes where it stopped when the enrolment is finalised again.
 * One run per enrolment, across the server processes sharing the store: a run claims the enrolment with a lease
 * recorded by compare-and-set on the enrolment, and records every step only while it still holds the lease.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { type AbisClient, facesOf } from '../biometrics/abis-client.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/domain-errors.js';
import { ignoringConflict } from '../shared/ignoring-conflict.js';
import { type Deduplication, ISSUANCE_STEPS, type IssuanceState, type IssuanceStep, issuanceStateOf } from './issuance-state.js';

type Json = Record<string, unknown>;

export interface EnrollmentSnapshot {
  enrollmentId: string;
  status: string;
  enrollmentType?: string;
  requestData?: Json;
  contextualData?: Json;
  biographicData?: Json;
  biometricData?: Json[];
  documentData?: Json[];
}

/** What the workflow needs of each building block; the composition root hands it the app's shared services. */
export interface IssuanceParticipants {
  enrollments: {
    read(enrollmentId: string): Promise<EnrollmentSnapshot>;
    /**
     * Compare-and-set of the recorded state: `change` gets it (unknown: whatever is recorded) and returns the state
     * to record, or undefined to leave it; resolves the state recorded afterwards.
     */
    changeIssuance(enrollmentId: string, change: (recorded: unknown) => IssuanceState | undefined): Promise<unknown>;
    /** The bytes of a buffer of this enrolment that `imageRef` points at; undefined for any other URI. */
    bufferAt(enrollmentId: string, imageRef: string): Promise<Buffer | undefined>;
  };
  uins: { issue(transactionId: string, log?: Logger): Promise<string> };
  persons: { create(personId: string, person: { status: string; physicalStatus: string }, transactionId: string): Promise<void> };
  identities: {
    create(personId: string, identityId: string, identity: Json, transactionId: string): Promise<unknown>;
    setStatus(personId: string, identityId: string, status: string, transactionId: string): Promise<void>;
    defineReference(personId: string, identityId: string, transactionId: string): Promise<void>;
  };
  credentialRequests: {
    create(credentialRequestId: string, request: Json, transactionId: string): Promise<void>;
    read(credentialRequestId: string): Promise<{ status?: string; credentialIds?: string[] }>;
  };
  /** The ABIS, when the Biometrics interface is served: deduplication and enrolment of the face. */
  biometrics: Pick<AbisClient, 'gallery' | 'identify' | 'enrol'> | undefined;
  /** Publishes `duplicatePerson {uin: kept, duplicates}` (undefined when the PR publishes no such event). */
  announceDuplicate: ((uin: string, duplicates: string[]) => Promise<void>) | undefined;
  /** Property names of the CMS RequestData schema: the enrolment's requestData fields passed on to the CMS. */
  requestDataFields: ReadonlySet<string>;
  clock: Clock;
  log: Logger;
}

/**
 * How long a run holds its enrolment without recording anything. Far longer than a step takes; a run whose process
 * died is taken over once it has passed.
 */
export const ISSUANCE_LEASE_MS = 5 * 60_000;

/** The credential request the workflow creates for an enrolment: derived, so that a retry finds it again. */
export const credentialRequestIdOf = (enrollmentId: string) => `ENR-${enrollmentId}`;

/** Candidates a deduplication asks the ABIS for: enough for an operator to compare. */
const DEDUPLICATION_CANDIDATES = 10;

class StepFailure extends Error {}

/** Another run took the enrolment over (this one outlived its lease): this run stops, recording nothing more. */
class LeaseLost extends Error {
  constructor(readonly recorded: IssuanceState) {
    super('issuance lease lost');
  }
}

export class IssuanceWorkflow {
  constructor(private readonly participants: IssuanceParticipants) {}

  /**
   * Runs (or resumes) the workflow of a finalised enrolment; the outcome is recorded on the enrolment. While another
   * run holds the enrolment (in any process), resolves the state it recorded and starts nothing.
   */
  async run(enrollmentId: string, transactionId: string): Promise<IssuanceState | undefined> {
    const enrollment = await this.participants.enrollments.read(enrollmentId);
    if (enrollment.status !== 'FINALIZED') return undefined;
    const owner = randomUUID();
    const claimed = await this.participants.enrollments.changeIssuance(enrollmentId, (recorded) => this.#claim(issuanceStateOf(recorded), owner));
    const state = issuanceStateOf(claimed);
    if (state.lease?.owner !== owner) {
      this.participants.log.info({ enrollmentId, transactionId }, 'issuance workflow already running elsewhere: not started again');
      return state;
    }
    try {
      return await this.#run(enrollment, state, transactionId);
    } catch (err) {
      if (!(err instanceof LeaseLost)) throw err;
      this.participants.log.warn({ enrollmentId, transactionId }, 'issuance workflow outlived its lease and was taken over: stopped');
      return err.recorded;
    }
  }

  /** The state that starts a run, or undefined while another run's lease is live. */
  #claim(recorded: IssuanceState, owner: string): IssuanceState | undefined {
    const live = recorded.status === 'RUNNING' && recorded.lease && Date.parse(recorded.lease.until) > this.participants.clock().getTime();
    if (live) return undefined;
    const { failure: _failure, ...rest } = recorded;
    return this.#leased({ ...rest, status: 'RUNNING', attempts: recorded.attempts + 1 }, owner);
  }

  async #run(enrollment: EnrollmentSnapshot, state: IssuanceState, transactionId: string): Promise<IssuanceState> {
    const { enrollmentId } = enrollment;
    for (const step of ISSUANCE_STEPS) {
      if (!state.steps[step]) {
        try {
          await this.#step(step, enrollment, state, transactionId);
        } catch (err) {
          return this.#fail(enrollmentId, state, step, err);
        }
        state.steps[step] = this.participants.clock().toISOString();
        await this.#record(enrollmentId, state);
      }
      // A possible duplicate stops here, on every run: the person and its CLAIMED identity exist, nothing more.
      if (step === 'reportDuplicate' && state.deduplication?.result === 'POSSIBLE_DUPLICATE') {
        state.status = 'POSSIBLE_DUPLICATE';
        await this.#record(enrollmentId, state);
        this.participants.log.warn({ enrollmentId, transactionId }, 'issuance workflow stopped: possible duplicate');
        return state;
      }
    }
    await this.#refreshCredentialRequest(state);
    state.status = 'DONE';
    await this.#record(enrollmentId, state);
    this.participants.log.info({ enrollmentId, transactionId, attempts: state.attempts }, 'issuance workflow done');
    return state;
  }

  async #step(step: IssuanceStep, enrollment: EnrollmentSnapshot, state: IssuanceState, transactionId: string) {
    const { uin = '', identityId = enrollment.enrollmentId } = state;
    switch (step) {
      case 'checkRequest':
        state.credentialProfileId = this.#profileOf(enrollment);
        return;
      case 'deduplicate':
        state.deduplication = await this.#deduplicate(enrollment, state, transactionId);
        return;
      case 'generateUIN':
        state.uin = await this.participants.uins.issue(transactionId, this.participants.log);
        return;
      case 'createPerson':
        // The UIN is fresh: a person already holding it can only be this workflow's own, from an earlier attempt.
        return ignoringConflict(() => this.participants.persons.create(uin, { status: 'ACTIVE', physicalStatus: 'ALIVE' }, transactionId));
      case 'createIdentity':
        state.identityId = identityId;
        return ignoringConflict(() => this.participants.identities.create(uin, identityId, identityOf(enrollment), transactionId));
      case 'reportDuplicate': {
        const { result, candidates = [] } = state.deduplication ?? {};
        const [kept] = candidates;
        if (result === 'POSSIBLE_DUPLICATE' && kept) await this.participants.announceDuplicate?.(kept.personId, [uin]);
        return;
      }
      case 'enrollFace': {
        const faces = await this.#faces(enrollment);
        const { biometrics } = this.participants;
        if (!biometrics || faces.length === 0) return;
        // The encounter is the identity (OSIA's issuance use case): its id is derived, so a retry finds it (409).
        const encounterType = enrollment.enrollmentType ?? 'ENROLLMENT';
        await biometrics.enrol(uin, identityId, { encounterType, biometricData: faces }, transactionId);
        state.deduplication = { ...(state.deduplication ?? { result: 'NOT_DEDUPLICATED' }), encounterId: identityId };
        return;
      }
      case 'validateIdentity':
        return this.participants.identities.setStatus(uin, identityId, 'VALID', transactionId);
      case 'defineReference':
        return this.participants.identities.defineReference(uin, identityId, transactionId);
      case 'createCredentialRequest': {
        const credentialRequestId = credentialRequestIdOf(enrollment.enrollmentId);
        state.credentialRequestId = credentialRequestId;
        const request = this.#credentialRequestOf(enrollment, uin, state.credentialProfileId ?? '');
        return ignoringConflict(() => this.participants.credentialRequests.create(credentialRequestId, request, transactionId));
      }
    }
  }

  /** Identifies the enrolment's faces in the national gallery, before any UIN is drawn. */
  async #deduplicate(enrollment: EnrollmentSnapshot, state: IssuanceState, transactionId: string): Promise<Deduplication> {
    const { biometrics } = this.participants;
    if (state.uin) return { result: 'NOT_DEDUPLICATED', reason: 'the UIN was drawn before deduplication was in place' };
    if (!biometrics) return { result: 'NOT_DEDUPLICATED', reason: 'no ABIS: the biometrics interface is not served' };
    const faces = await this.#faces(enrollment);
    if (faces.length === 0) return { result: 'NOT_DEDUPLICATED', reason: 'the enrolment has no FACE image' };
    const candidates = await biometrics.identify(faces, transactionId, DEDUPLICATION_CANDIDATES);
    const { gallery } = biometrics;
    return candidates.length > 0 ? { result: 'POSSIBLE_DUPLICATE', gallery, candidates } : { result: 'UNIQUE', gallery };
  }

  /** The enrolment's FACE images for the ABIS: embedded, or uploaded as a buffer of the enrolment (`imageRef`). */
  async #faces(enrollment: EnrollmentSnapshot): Promise<Json[]> {
    const items = (enrollment.biometricData ?? []).filter((item) => item.biometricType === 'FACE');
    const resolved = await Promise.all(
      items.map(async ({ imageRef, ...item }) => {
        if (item.image !== undefined || typeof imageRef !== 'string') return item;
        const bytes = await this.participants.enrollments.bufferAt(enrollment.enrollmentId, imageRef);
        return bytes ? { ...item, image: bytes.toString('base64') } : item;
      }),
    );
    return facesOf(resolved);
  }

  #profileOf(enrollment: EnrollmentSnapshot): string {
    const profile = enrollment.requestData?.credentialProfileId;
    if (typeof profile !== 'string' || profile === '') {
      throw new StepFailure('requestData.credentialProfileId must name the credential profile to issue');
    }
    return profile;
  }

  /** The enrolment's requestData fields that the CMS RequestData knows, with the defaults of a first issuance. */
  #credentialRequestOf(enrollment: EnrollmentSnapshot, uin: string, credentialProfileId: string): Json {
    const requestData: Json = { priority: 5, requestType: 'FIRST_ISSUANCE' };
    for (const [key, value] of Object.entries(enrollment.requestData ?? {})) {
      if (this.participants.requestDataFields.has(key)) requestData[key] = value;
    }
    const portraits = (enrollment.biometricData ?? []).filter((item) => item.biometricType === 'FACE');
    return {
      personId: uin,
      biographicData: enrollment.biographicData ?? {},
      ...(portraits.length > 0 ? { biometricData: portraits } : {}),
      requestData: { ...requestData, credentialProfileId },
    };
  }

  async #refreshCredentialRequest(state: IssuanceState): Promise<void> {
    if (!state.credentialRequestId) return;
    const { status, credentialIds } = await this.participants.credentialRequests.read(state.credentialRequestId);
    state.credentialRequestStatus = status;
    if (credentialIds) state.credentialIds = credentialIds;
  }

  async #fail(enrollmentId: string, state: IssuanceState, step: IssuanceStep, err: unknown): Promise<IssuanceState> {
    // Client-facing errors (a refused identity, an unknown profile) are the reason to show; anything else is logged
    // in full but shown only as an internal failure.
    const known = err instanceof DomainError || err instanceof StepFailure;
    const message = known ? (err as Error).message : 'internal error (see the server log)';
    if (!known) this.participants.log.error({ err, enrollmentId, step }, 'issuance workflow step failed');
    state.status = 'FAILED';
    state.failure = { step, message };
    await this.#record(enrollmentId, state);
    return state;
  }

  /** Records the state (its lease renewed) while this run still holds the lease; LeaseLost otherwise. */
  async #record(enrollmentId: string, state: IssuanceState): Promise<void> {
    const owner = state.lease?.owner ?? '';
    const next = this.#leased(state, owner);
    const recorded = await this.participants.enrollments.changeIssuance(enrollmentId, (current) =>
      issuanceStateOf(current).lease?.owner === owner ? next : undefined,
    );
    if (recorded !== next) throw new LeaseLost(issuanceStateOf(recorded));
    Object.assign(state, next);
  }

  /** The state held by `owner` for another lease period from now. */
  #leased(state: IssuanceState, owner: string): IssuanceState {
    const now = this.participants.clock();
    return { ...state, lease: { owner, until: new Date(now.getTime() + ISSUANCE_LEASE_MS).toISOString() }, updatedAt: now.toISOString() };
  }
}

/** The PR identity made of an enrolment: what was collected, as a CLAIMED identity of the enrolment's type. */
function identityOf(enrollment: EnrollmentSnapshot): Json {
  const { enrollmentType, contextualData, biographicData, biometricData, documentData } = enrollment;
  return {
    identityType: enrollmentType ?? 'ENROLLMENT',
    status: 'CLAIMED',
    ...(contextualData ? { contextualData } : {}),
    ...(biographicData ? { biographicData } : {}),
    ...(biometricData ? { biometricData } : {}),
    ...(documentData ? { documentData } : {}),
  };
}
