/**
 * Turns an answered operation into an audit event. The persons touched are the ones its path names (`personId`,
 * `personIdTarget`, `personIdSource`, Data Access `uin`, Third Party `identifier` when it is a UIN) plus those the
 * handler reports (search results); every other path id is kept as a record id.
 */
import type { Request } from 'express';
import type { DocumentName } from '../openapi/interfaces.js';
import type { AuditLog } from './audit-log.js';
import type { Clock } from '../shared/clock.js';

const PERSON_PARAMS = new Set(['personId', 'personIdTarget', 'personIdSource', 'uin']);

/** Interfaces whose operations read or change personal data. */
export const AUDITED: ReadonlySet<DocumentName> = new Set(['pr', 'dataaccess', 'enrollment', 'cms', 'thirdparty', 'abis', 'audit']);

export type AuditRecorder = (
  req: Request,
  outcome: { operationId: string; status: number; touchedPersons: readonly string[] },
) => Promise<void>;

function personParams(params: Record<string, string>, query: Request['query']): string[] {
  const ids = Object.entries(params).filter(([name]) => PERSON_PARAMS.has(name)).map(([, value]) => value);
  const identifierType = query.identifierType ?? 'uin';
  if (params.identifier !== undefined && identifierType === 'uin') ids.push(params.identifier);
  return ids;
}

export function auditRecorder(log: AuditLog, documentName: DocumentName, clock: Clock): AuditRecorder {
  return async (req, { operationId, status, touchedPersons }) => {
    const params = req.params as Record<string, string>;
    const personIds = [...new Set([...personParams(params, req.query), ...touchedPersons])];
    const recordIds = Object.entries(params)
      .filter(([name]) => !PERSON_PARAMS.has(name) && name !== 'identifier')
      .map(([, value]) => value);
    const transactionId = req.query.transactionId;
    await log.append({
      time: clock().toISOString(),
      interface: documentName,
      operationId,
      transactionId: typeof transactionId === 'string' ? transactionId : undefined,
      subject: req.principal?.subject,
      client: req.principal?.client,
      status,
      personIds,
      recordIds,
    });
  };
}
