import { ConflictError } from '../shared/domain-errors.js';

/**
 * Runs a create whose 409 means "there already": an earlier attempt of the same work got that far (the issuance
 * workflow and the event reactions create under ids of their own, and resume after a failure).
 */
export async function ignoringConflict(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
  }
}
