/**
 * The asynchronous side of the ABIS interface: a call with a `callback` is stored as a task (durable before the 202),
 * run by the task runner, and its outcome POSTed to the callback by the callback delivery. Also the settler through
 * which an asynchronous engine (the gateway) records an outcome that reached it later.
 */
import type { AbisCall, TaskOutcome, TaskSettler } from '../biometrics/abis-engine.port.js';
import type { AddressCheck } from '../shared/address-check.js';
import { InvalidError, NotFoundError } from '../shared/domain-errors.js';
import { timeOrderedId } from '../shared/time-ordered-id.js';
import type { AbisTasks, TaskCaller, TaskStatus } from './abis-services.js';
import { auditResult, type TaskAudit } from './task-audit.js';
import type { TaskMetrics } from './task-metrics.js';
import { type AbisTaskRecord, holdsResult, scheduled, statusOf, type TaskRecords } from './task-records.js';

export interface TaskServiceOptions {
  records: TaskRecords;
  /** The callback address checks (OSIA_ABIS_CALLBACK_ALLOW). */
  check: AddressCheck;
  metrics: TaskMetrics;
  now: () => number;
  /** Called once a task is stored, so that the local runner looks at once. */
  wakeRunner: () => void;
  /** Called once a result is scheduled, so that the local delivery looks at once. */
  wakeDelivery: () => void;
  /** Records the persons a result names (absent: no audit trail). */
  audit?: TaskAudit;
}

/** abis.yaml names no default: the middle of 0–9, so that a caller can ask for less or more urgency. */
export const DEFAULT_PRIORITY = 5;

export class TaskService implements AbisTasks, TaskSettler {
  constructor(private readonly options: TaskServiceOptions) {}

  async accept(call: AbisCall, callback: string, priority: number | undefined, caller: TaskCaller): Promise<string> {
    this.options.check.checkHttpAddress(callback, 'callback');
    if (priority !== undefined && !(Number.isInteger(priority) && priority >= 0 && priority <= 9)) {
      throw new InvalidError(`priority must be an integer from 0 (least urgent) to 9 (most urgent), got ${priority}`);
    }
    const now = this.options.now();
    const task: AbisTaskRecord = {
      _id: timeOrderedId(new Date(now)),
      state: 'queued',
      operationId: call.operationId,
      transactionId: call.transactionId,
      callback,
      priority: priority ?? DEFAULT_PRIORITY,
      acceptedAt: now,
      call: Buffer.from(JSON.stringify(call)),
      ...(caller.subject === undefined ? {} : { subject: caller.subject }),
      ...(caller.client === undefined ? {} : { client: caller.client }),
      attempts: 0,
      dueAt: 0,
      leaseUntil: 0,
    };
    const { store, tasks } = this.options.records;
    await store.commit([tasks.insert(task)]);
    this.options.metrics.accepted.inc();
    this.options.wakeRunner();
    return task._id;
  }

  async status(taskId: string): Promise<TaskStatus> {
    // The state alone: the call and the result (blobs) are not read.
    const [task] = await this.options.records.tasks.select({ _id: taskId }, ['state'], { limit: 1 });
    if (!task) throw new NotFoundError(`task ${taskId} not found (unknown, or purged after its retention)`);
    return statusOf(task.state);
  }

  /**
   * A held result is sent again, attempts counted anew. A task still PENDING has none yet: abis.yaml's 400 (its
   * result goes out once there is one, without being asked).
   */
  async redeliver(taskId: string): Promise<void> {
    const { store, tasks } = this.options.records;
    await store.change(async () => {
      const found = await tasks.getVersioned(taskId);
      if (!found) throw new NotFoundError(`task ${taskId} not found (unknown, or purged after its retention)`);
      if (!holdsResult(found.record.state)) {
        throw new InvalidError(`task ${taskId} is still PENDING: it has no result to redeliver yet; the result is sent once there is one`);
      }
      // A delivery in flight loses its lease: its outcome is not recorded, and the result goes out again (at least once).
      const { leaseOwner: _owner, finishedAt: _finished, ...rest } = found.record;
      await store.commit([tasks.put({ ...rest, state: 'retry', attempts: 0, dueAt: 0, leaseUntil: 0 }, found)]);
    });
    this.options.wakeDelivery();
  }

  /** Records the outcome of a started task; an outcome for a task that already has one (a repeated callback) is ignored. */
  async settle(taskId: string, outcome: TaskOutcome): Promise<void> {
    const { store, tasks } = this.options.records;
    const recorded = await store.change(async () => {
      const found = await tasks.getVersioned(taskId);
      if (!found) throw new NotFoundError(`task ${taskId} not found`);
      if (holdsResult(found.record.state)) return undefined;
      // Also while the runner still holds it (the engine answered before the runner wrote `started`): its write then fails.
      await store.commit([tasks.put(scheduled(found.record, outcome), found)]);
      return found.record;
    });
    if (!recorded) return;
    await auditResult(this.options.audit, recorded, outcome);
    this.options.metrics.ran.inc({ outcome: outcome.ok ? 'result' : 'error' });
    this.options.wakeDelivery();
  }
}
