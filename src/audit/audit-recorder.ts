/**
 * Turns an answered operation into an audit event: the interface router hands over the operation, its outcome, the
 * caller and the ids the operation touched (those its interface's module reads from the validated input, plus those
 * the handler reported, such as search results).
 */
import type { Principal } from '../auth/principal.js';
import type { DocumentName } from '../openapi/interfaces.js';
import type { AuditLog } from './audit-log.js';
import type { Clock } from '../shared/clock.js';

export interface AnsweredOperation {
  operationId: string;
  status: number;
  transactionId: string | undefined;
  /** The verified caller; absent when authentication is off. */
  principal: Principal | undefined;
  personIds: string[];
  recordIds: string[];
}

export type AuditRecorder = (answered: AnsweredOperation) => Promise<void>;

export function auditRecorder(log: AuditLog, documentName: DocumentName, clock: Clock): AuditRecorder {
  return ({ principal, ...answered }) =>
    log.append({ time: clock().toISOString(), interface: documentName, ...answered, subject: principal?.subject, client: principal?.client });
}
