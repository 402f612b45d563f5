/**
 * The identity status machine of OSIA (advisory in the standard, enforced here): an identity starts CLAIMED;
 * CLAIMED → VALID | INVALID; VALID → REVOKED | INVALID. Its content can change only while it is CLAIMED.
 */
import { BadRequestError, ForbiddenError } from '../errors/http-errors.js';

const NEXT: Record<string, readonly string[]> = {
  CLAIMED: ['VALID', 'INVALID'],
  VALID: ['REVOKED', 'INVALID'],
  INVALID: [],
  REVOKED: [],
};

/** Refuses a status change the machine does not allow; staying in the same status is always allowed. */
export function checkTransition(identityId: string, from: string, to: string): void {
  if (!(to in NEXT)) {
    throw new BadRequestError(`Unknown identity status "${to}" (expected one of ${Object.keys(NEXT).join(', ')})`);
  }
  if (from !== to && !NEXT[from]?.includes(to)) {
    throw new BadRequestError(`Identity ${identityId} cannot go from ${from} to ${to}`);
  }
}

/** Content updates (PUT, PATCH) are for claims still being examined. */
export function checkEditable(identityId: string, status: string): void {
  if (status !== 'CLAIMED') {
    throw new ForbiddenError(`Identity ${identityId} is ${status}: only a CLAIMED identity can be updated`);
  }
}
