/**
 * The ABIS as the rest of the system uses it (issuance deduplication, Third Party, the PR mirror): a few OSIA calls
 * made through the engine port, the same engine object the Biometrics interface serves, so that a vendor's ABIS
 * behind the gateway engine is used alike. Persons are PR persons (personId = UIN) and their faces sit in the
 * national gallery. Answers that mean "already done" or "nothing there" (404, 409) are folded here, where each call
 * says which.
 */
import type { components } from '../../generated/abis.js';
import { ConflictError, NotFoundError } from '../shared/domain-errors.js';
import type { AbisCall, AbisEngine, AbisOperationId } from './abis-engine.port.js';

type Json = Record<string, unknown>;
type Candidate = components['schemas']['Candidate'];

/** A candidate of a search: the person and its best score. */
export interface Match {
  personId: string;
  score: number;
}

/** The FACE items that carry an image: what the built-in engine matches, and what is sent as a probe or enrolled. */
export function facesOf(biometricData: readonly Json[] | undefined): Json[] {
  return (biometricData ?? []).filter((item) => item.biometricType === 'FACE' && typeof item.image === 'string' && item.image !== '');
}

type ErrorClass = typeof NotFoundError | typeof ConflictError;

/** Resolves undefined instead of throwing one of `errors`. */
async function unless<T>(errors: readonly ErrorClass[], call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (errors.some((error) => err instanceof error)) return undefined;
    throw err;
  }
}

export class AbisClient {
  constructor(
    private readonly engine: AbisEngine,
    /** The gallery of the persons of the population registry (OSIA_ABIS_NATIONAL_GALLERY). */
    readonly gallery: string,
  ) {}

  /** Persons whose biometrics match the probe, best first; none when the gallery holds nobody yet (404). */
  async identify(biometricData: readonly Json[], transactionId: string, maxNbCand: number): Promise<Match[]> {
    const body = { filter: {}, biometricData };
    const found = await unless([NotFoundError], () => this.#run('identify', transactionId, { galleryId: this.gallery }, { maxNbCand }, body));
    return ((found ?? []) as Candidate[]).map(({ personId, score }) => ({ personId, score }));
  }

  /** Enrols the faces as encounter `encounterId` of the person in the national gallery; an existing one is kept (409). */
  async enrol(personId: string, encounterId: string, encounter: { encounterType: string; biometricData: Json[] }, transactionId: string) {
    const body = { status: 'ACTIVE', galleries: [this.gallery], ...encounter };
    await unless([ConflictError], () => this.#run('createEncounter', transactionId, { personId, encounterId }, {}, body));
  }

  /** Whether the biometrics are the person's; undefined when the national gallery holds nothing of the person (404). */
  async verify(personId: string, biometricData: readonly Json[], transactionId: string): Promise<boolean | undefined> {
    const path = { galleryId: this.gallery, personId };
    const answer = await unless([NotFoundError], () => this.#run('verifyFromId', transactionId, path, {}, { biometricData }));
    return answer === undefined ? undefined : (answer as { decision: boolean }).decision;
  }

  /** Runs one operation; resolves its answer, or undefined when it answered 404 (unknown person, encounter or gallery) or, with `orConflict`, 409. */
  run(operationId: AbisOperationId, transactionId: string, path: Record<string, string>, options: { body?: unknown; orConflict?: boolean } = {}) {
    const done: ErrorClass[] = options.orConflict ? [NotFoundError, ConflictError] : [NotFoundError];
    return unless(done, () => this.engine.run(callOf(operationId, transactionId, path, {}, options.body)));
  }

  async #run(operationId: AbisOperationId, transactionId: string, path: Record<string, string>, query: Json, body?: unknown) {
    return (await this.engine.run(callOf(operationId, transactionId, path, query, body))).body;
  }
}

function callOf(operationId: AbisOperationId, transactionId: string, path: Record<string, string>, query: Json, body?: unknown): AbisCall {
  return { operationId, transactionId, path, query, ...(body === undefined ? {} : { body }) };
}
