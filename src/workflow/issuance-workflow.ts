/**
 * The OSIA credential issuance use case run inside the server: once an enrolment is finalised, generate a UIN,
 * create the person and its identity in the Population Registry, make that identity the reference, then ask the
 * CMS for the credential named by the enrolment. Every step goes through the same domain services as the OSIA
 * operations (same checks, same change log), is recorded on the enrolment as soon as it is done, and is idempotent,
 * so a failed or interrupted run resumes where it stopped when the enrolment is finalised again.
 */
import type { Logger } from 'pino';
import { ConflictError, HttpError } from '../errors/http-errors.js';
import { KeyedLock } from '../registry/keyed-lock.js';
import { ISSUANCE_STEPS, type IssuanceState, type IssuanceStep, issuanceStateOf } from './issuance-state.js';

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
    recordIssuance(enrollmentId: string, state: IssuanceState): Promise<void>;
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
  /** Property names of the CMS RequestData schema: the enrolment's requestData fields passed on to the CMS. */
  requestDataFields: ReadonlySet<string>;
  log: Logger;
}

/** The credential request the workflow creates for an enrolment: derived, so that a retry finds it again. */
export const credentialRequestIdOf = (enrollmentId: string) => `ENR-${enrollmentId}`;

class StepFailure extends Error {}

/** A conflict on create means an earlier attempt got that far (the ids are the workflow's own). */
async function ignoringConflict(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
  }
}

export class IssuanceWorkflow {
  readonly #running = new KeyedLock();

  constructor(private readonly p: IssuanceParticipants) {}

  /** Runs (or resumes) the workflow of a finalised enrolment; the outcome is recorded on the enrolment. */
  run(enrollmentId: string, transactionId: string): Promise<IssuanceState | undefined> {
    return this.#running.run([enrollmentId], () => this.#run(enrollmentId, transactionId));
  }

  async #run(enrollmentId: string, transactionId: string): Promise<IssuanceState | undefined> {
    const enrollment = await this.p.enrollments.read(enrollmentId);
    if (enrollment.status !== 'FINALIZED') return undefined;
    const state = issuanceStateOf(enrollment.requestData);
    state.attempts += 1;
    state.status = 'RUNNING';
    delete state.failure;
    for (const step of ISSUANCE_STEPS) {
      if (state.steps[step]) continue;
      try {
        await this.#step(step, enrollment, state, transactionId);
      } catch (err) {
        return this.#fail(enrollmentId, state, step, err);
      }
      state.steps[step] = new Date().toISOString();
      await this.#record(enrollmentId, state);
    }
    await this.#refreshCredentialRequest(state);
    state.status = 'DONE';
    await this.#record(enrollmentId, state);
    this.p.log.info({ enrollmentId, transactionId, attempts: state.attempts }, 'issuance workflow done');
    return state;
  }

  async #step(step: IssuanceStep, enrollment: EnrollmentSnapshot, state: IssuanceState, transactionId: string) {
    const { uin = '', identityId = enrollment.enrollmentId } = state;
    switch (step) {
      case 'checkRequest':
        state.credentialProfileId = this.#profileOf(enrollment);
        return;
      case 'generateUIN':
        state.uin = await this.p.uins.issue(transactionId, this.p.log);
        return;
      case 'createPerson':
        // The UIN is fresh: a person already holding it can only be this workflow's own, from an earlier attempt.
        return ignoringConflict(() => this.p.persons.create(uin, { status: 'ACTIVE', physicalStatus: 'ALIVE' }, transactionId));
      case 'createIdentity':
        state.identityId = identityId;
        return ignoringConflict(() => this.p.identities.create(uin, identityId, identityOf(enrollment), transactionId));
      case 'validateIdentity':
        return this.p.identities.setStatus(uin, identityId, 'VALID', transactionId);
      case 'defineReference':
        return this.p.identities.defineReference(uin, identityId, transactionId);
      case 'createCredentialRequest': {
        const credentialRequestId = credentialRequestIdOf(enrollment.enrollmentId);
        state.credentialRequestId = credentialRequestId;
        const request = this.#credentialRequestOf(enrollment, uin, state.credentialProfileId ?? '');
        return ignoringConflict(() => this.p.credentialRequests.create(credentialRequestId, request, transactionId));
      }
    }
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
      if (this.p.requestDataFields.has(key)) requestData[key] = value;
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
    const { status, credentialIds } = await this.p.credentialRequests.read(state.credentialRequestId);
    state.credentialRequestStatus = status;
    if (credentialIds) state.credentialIds = credentialIds;
  }

  async #fail(enrollmentId: string, state: IssuanceState, step: IssuanceStep, err: unknown): Promise<IssuanceState> {
    // Client-facing errors (a refused identity, an unknown profile) are the reason to show; anything else is logged
    // in full but shown only as an internal failure.
    const known = err instanceof HttpError || err instanceof StepFailure;
    const message = known ? (err as Error).message : 'internal error (see the server log)';
    if (!known) this.p.log.error({ err, enrollmentId, step }, 'issuance workflow step failed');
    state.status = 'FAILED';
    state.failure = { step, message };
    await this.#record(enrollmentId, state);
    return state;
  }

  #record(enrollmentId: string, state: IssuanceState): Promise<void> {
    state.updatedAt = new Date().toISOString();
    return this.p.enrollments.recordIssuance(enrollmentId, state);
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
