/**
 * Turns an answered operation into an audit event: the interface router hands over the operation, its outcome, the
 * caller and the ids the operation touched (those its interface's module reads from the validated input, plus those
 * the handler reported, such as search results).
 */
import type { Principal } from '../auth/principal.js';
import type { DocumentName } from '../openapi/interfaces.js';
import type { AuditLog } from './audit-log.js';
import type { AuditEvent } from './audit-trail.js';
import type { Clock } from '../shared/clock.js';

/** An answered operation, by the verified caller (absent when authentication is off). */
export type AuditRecorder = (
  answered: Pick<AuditEvent, 'operationId' | 'status' | 'transactionId' | 'personIds' | 'recordIds' | 'attributes'> & { principal: Principal | undefined },
) => Promise<void>;

export function auditRecorder(log: AuditLog, documentName: DocumentName, clock: Clock): AuditRecorder {
  return ({ principal, ...answered }) =>
    log.append({ time: clock().toISOString(), interface: documentName, ...answered, subject: principal?.subject, client: principal?.client });
}
