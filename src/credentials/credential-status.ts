/**
 * The credential status machine (OSIA's advisory one, made binding): NEW → ACTIVE (issue); ACTIVE ⇄ SUSPENDED;
 * ACTIVE | SUSPENDED → REVOKED; REVOKED is final. OTHER (a deployment-specific status named in `statusOther`) may be
 * entered from any status but REVOKED and left for ACTIVE, SUSPENDED, REVOKED or another OTHER status.
 */
import { ConflictError, InvalidError } from '../shared/domain-errors.js';
import type { CredentialStatus } from './credential-producer.port.js';

const NEXT: Record<CredentialStatus, readonly CredentialStatus[]> = {
  NEW: ['ACTIVE', 'OTHER'],
  ACTIVE: ['SUSPENDED', 'REVOKED', 'OTHER'],
  SUSPENDED: ['ACTIVE', 'REVOKED', 'OTHER'],
  OTHER: ['ACTIVE', 'SUSPENDED', 'REVOKED', 'OTHER'],
  REVOKED: [],
};

const OSIA_STATUSES = Object.keys(NEXT) as CredentialStatus[];

/** A status as the machine sees it: one of OSIA's, with the deployment's name when it is OTHER. */
export interface StatusTarget {
  status: CredentialStatus;
  statusOther?: string;
}

const OTHER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/**
 * Reads setCredentialStatus's free `status`: an OSIA status, or the name of a deployment-specific one (stored as
 * OTHER with that name in `statusOther`). A bare OTHER says nothing, since the body has no statusOther: refused.
 */
export function statusTarget(status: string): StatusTarget {
  if (status === 'OTHER') {
    throw new InvalidError('status OTHER needs a name: send the deployment-specific status itself (e.g. "LOST"), stored as OTHER with statusOther');
  }
  if ((OSIA_STATUSES as string[]).includes(status)) return { status: status as CredentialStatus };
  if (!OTHER_NAME.test(status)) {
    throw new InvalidError(`status must be one of ${OSIA_STATUSES.filter((s) => s !== 'OTHER').join(', ')} or a deployment-specific name of letters, digits, _ and - (got "${status}")`);
  }
  return { status: 'OTHER', statusOther: status };
}

export const statusName = ({ status, statusOther }: StatusTarget) => (status === 'OTHER' ? `OTHER (${statusOther})` : status);

/** True when nothing would change; throws 409 naming both statuses when the machine forbids the move. */
export function checkTransition(credentialId: string, from: StatusTarget, to: StatusTarget): boolean {
  if (from.status === to.status && from.statusOther === to.statusOther) return true;
  if (!NEXT[from.status].includes(to.status)) {
    const final = from.status === 'REVOKED' ? ' (REVOKED is final)' : '';
    throw new ConflictError(`Credential ${credentialId} cannot go from ${statusName(from)} to ${statusName(to)}${final}`);
  }
  return false;
}
