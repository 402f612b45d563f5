/**
 * The progress of the issuance workflow for one enrolment, kept in the enrolment's `requestData.issuance` so that
 * the enrolment station sees it through readEnrollment, and so that a retry resumes where the last attempt stopped.
 */

/** The steps, in order. Each is idempotent: a retry after a crash between a step and its record is harmless. */
export const ISSUANCE_STEPS = [
  'checkRequest',
  'deduplicate',
  'generateUIN',
  'createPerson',
  'createIdentity',
  'reportDuplicate',
  'enrollFace',
  'validateIdentity',
  'defineReference',
  'createCredentialRequest',
] as const;

export type IssuanceStep = (typeof ISSUANCE_STEPS)[number];

/**
 * What the deduplication found: UNIQUE (no face of the national gallery matches), POSSIBLE_DUPLICATE (`candidates`
 * match: the workflow stops), or NOT_DEDUPLICATED (`reason`: no ABIS, no FACE image, issued before deduplication).
 */
export interface Deduplication {
  result: 'UNIQUE' | 'POSSIBLE_DUPLICATE' | 'NOT_DEDUPLICATED';
  reason?: string;
  gallery?: string;
  /** The matching persons (PR personIds), best first, with their scores. */
  candidates?: { personId: string; score: number }[];
  /** The ABIS encounter of person `uin` that holds the enrolment's faces, once enrolled (the identity's id). */
  encounterId?: string;
}

export interface IssuanceState {
  /**
   * RUNNING while steps remain, DONE when the credential request exists, FAILED when a step failed (retry: finalise
   * again), POSSIBLE_DUPLICATE when the face matched a person of the national gallery (stopped for an operator).
   */
  status: 'RUNNING' | 'DONE' | 'FAILED' | 'POSSIBLE_DUPLICATE';
  /**
   * The run that holds the enrolment (one per enrolment across processes) and until when: renewed at every record.
   * While RUNNING and not expired, another run leaves it alone; once expired (its process died), one may take over.
   */
  lease?: { owner: string; until: string };
  /** Completion time of every step done so far. */
  steps: Partial<Record<IssuanceStep, string>>;
  deduplication?: Deduplication;
  uin?: string;
  identityId?: string;
  credentialProfileId?: string;
  credentialRequestId?: string;
  /** The credential request's status when the workflow last looked (PENDING, ISSUED, FAILED …). */
  credentialRequestStatus?: string;
  credentialIds?: string[];
  /** Set while FAILED: the step that failed and why. */
  failure?: { step: IssuanceStep; message: string };
  attempts: number;
  updatedAt: string;
}

/** The state recorded on the enrolment (its `requestData.issuance`), or a fresh one. Anything malformed is started afresh. */
export function issuanceStateOf(issuance: unknown): IssuanceState {
  const recorded = issuance as Partial<IssuanceState> | undefined;
  if (recorded && typeof recorded === 'object' && typeof recorded.steps === 'object' && recorded.steps !== null) {
    return { attempts: 0, updatedAt: '', ...recorded, status: recorded.status ?? 'RUNNING', steps: recorded.steps };
  }
  return { status: 'RUNNING', steps: {}, attempts: 0, updatedAt: '' };
}
