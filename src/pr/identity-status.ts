/**
 * Identity status changes. OSIA defines the four statuses but no rule between them, and clients in the field move a
 * VALID identity back to CLAIMED to correct it: by default any status may follow any other. A country profile may
 * declare a transition table (`identityStatusTransitions`, docs/profile.md); a move it does not list answers 403,
 * which setIdentityStatus declares for "operation not allowed". Content can change only while an identity is CLAIMED.
 */
import { InvalidError, NotAllowedError } from '../shared/domain-errors.js';
import { IDENTITY_STATUSES, type IdentityStatus, type TransitionTable } from '../profile/profile-settings.js';

const isStatus = (value: string): value is IdentityStatus => IDENTITY_STATUSES.includes(value as IdentityStatus);

export class IdentityStatusRules {
  /** `table`: the profile's transitions; undefined allows every move. */
  constructor(private readonly table?: TransitionTable) {}

  /** Refuses a status change the rules do not allow; staying in the same status is always allowed. */
  checkTransition(identityId: string, from: string, to: string): void {
    if (!isStatus(to)) {
      throw new InvalidError(`Unknown identity status "${to}" (expected one of ${IDENTITY_STATUSES.join(', ')})`);
    }
    if (from === to || !this.table || !isStatus(from)) return;
    if (!this.table[from].includes(to)) {
      throw new NotAllowedError(`Identity ${identityId} cannot go from ${from} to ${to} (country profile transitions)`);
    }
  }
}

/** Content updates (PUT, PATCH) are for claims still being examined. */
export function checkEditable(identityId: string, status: string): void {
  if (status !== 'CLAIMED') {
    throw new NotAllowedError(`Identity ${identityId} is ${status}: only a CLAIMED identity can be updated`);
  }
}
