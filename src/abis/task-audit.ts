/**
 * The audit of an asynchronous result. The router audits the accepted call (its path's persons, status 202); a result
 * that names further persons (candidates of a search, a gallery's content) is recorded once it is known, under the
 * caller of the call, like the persons a synchronous search reports. `src/audit` is another interface: the
 * composition root gives the recorder.
 */
import type { TaskOutcome } from '../biometrics/abis-engine.port.js';
import type { AbisTaskRecord } from './task-records.js';

export interface TaskAuditEvent {
  operationId: string;
  transactionId: string;
  status: number;
  personIds: string[];
  /** The task's id. */
  recordIds: string[];
  subject?: string;
  client?: string;
}

export type TaskAudit = (event: TaskAuditEvent) => Promise<void>;

/** The persons a result names: the `personId` of each item of an array payload. */
function personsIn(outcome: TaskOutcome): string[] {
  if (!outcome.ok || !Array.isArray(outcome.body)) return [];
  const ids = outcome.body.flatMap((item: unknown) => {
    const personId = (item as { personId?: unknown } | null)?.personId;
    return typeof personId === 'string' ? [personId] : [];
  });
  return [...new Set(ids)];
}

/** Records the persons the task's result names, if any. */
export async function auditResult(audit: TaskAudit | undefined, task: AbisTaskRecord, outcome: TaskOutcome): Promise<void> {
  const personIds = personsIn(outcome);
  if (!audit || personIds.length === 0) return;
  const { subject, client } = task;
  await audit({
    operationId: task.operationId,
    transactionId: task.transactionId,
    status: 200,
    personIds,
    recordIds: [task._id],
    ...(subject === undefined ? {} : { subject }),
    ...(client === undefined ? {} : { client }),
  });
}
