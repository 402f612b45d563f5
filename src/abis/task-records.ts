/**
 * The ABIS tasks: one record per call accepted with a `callback`, from acceptance to the delivered result. The call
 * (its body may hold images) and the result are binary members, kept as blobs, never inside the JSON record; the
 * call is dropped once the engine has it, the result once the task is purged.
 */
import type { AbisOperationId, TaskOutcome } from '../biometrics/abis-engine.port.js';
import type { Filter } from '../storage/document-store.port.js';
import type { LeasedQueue, LeasedRecord } from '../storage/leased-queue.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Records, Versioned } from '../storage/records.js';
import type { Store } from '../storage/store.js';
import { NO_CONTENT } from './abis-operations.js';
import type { TaskStatus } from './abis-services.js';

/**
 * queued: waits for the runner; started: an asynchronous engine has it and settles it later; scheduled: the result
 * waits for delivery (retries included); retry: redeliverTaskResult asked for it again; error: the attempts ran out;
 * completed: the callback took it.
 */
export type TaskState = 'queued' | 'started' | 'scheduled' | 'retry' | 'error' | 'completed';

export type ResultType = 'application/json' | 'application/error+json';

export interface AbisTaskRecord extends LeasedRecord {
  _id: string;
  state: TaskState;
  operationId: AbisOperationId;
  transactionId: string;
  callback: string;
  /** 0 (least urgent) to 9: the runner takes the highest first, then acceptance order. */
  priority: number;
  acceptedAt: number;
  /** The `AbisCall` as JSON, until the engine has it. */
  call?: Buffer;
  /** The bytes POSTed to the callback, and their media type. */
  result?: Buffer;
  resultType?: ResultType;
  /** Who made the call (token `sub` and client), for the audit of its result. */
  subject?: string;
  client?: string;
  /** Delivery attempts since the result was scheduled, or since the last redeliverTaskResult. */
  attempts: number;
  dueAt: number;
  /** When it was completed or gave up: what retention counts from. */
  finishedAt?: number;
  [key: string]: unknown;
}

export const ABIS_TASKS: RecordSpec<AbisTaskRecord> = {
  name: 'abis-tasks',
  indexes: [{ fields: ['state'] }, { fields: ['finishedAt'] }],
  binaries: ['call', 'result'],
};

export interface TaskRecords {
  store: Store;
  tasks: Records<AbisTaskRecord>;
}

export async function openTaskRecords(store: Store): Promise<TaskRecords> {
  return { store, tasks: await store.records(ABIS_TASKS) };
}

const STATUS: Record<TaskState, TaskStatus> = {
  queued: 'PENDING',
  started: 'PENDING',
  scheduled: 'RESPONSE_SCHEDULED',
  retry: 'RESPONSE_RETRY',
  error: 'RESPONSE_ERROR',
  completed: 'COMPLETED',
};

export const statusOf = (state: TaskState): TaskStatus => STATUS[state];

/** Whether the task has a result to deliver (or delivered). */
export const holdsResult = (state: TaskState): boolean => state !== 'queued' && state !== 'started';

/**
 * The task with its outcome, scheduled for delivery and free of any lease: the payload (the JSON string "OK" for
 * the operations answering 204) as application/json, or the OSIA Error object as application/error+json.
 */
export function scheduled(task: AbisTaskRecord, outcome: TaskOutcome): AbisTaskRecord {
  const { call: _run, leaseOwner: _owner, ...rest } = task;
  const payload = outcome.ok ? (NO_CONTENT.has(task.operationId) ? 'OK' : (outcome.body ?? null)) : outcome.error;
  return {
    ...rest,
    state: 'scheduled',
    result: Buffer.from(JSON.stringify(payload)),
    resultType: outcome.ok ? 'application/json' : 'application/error+json',
    attempts: 0,
    dueAt: 0,
    leaseUntil: 0,
  };
}

/** Due tasks read per claim: enough to step over those another process claims at the same moment. */
const CANDIDATES = 10;

/** The most urgent due and free task of `filter` (highest priority, then acceptance order), leased to `queue`. */
export async function claimNext(queue: LeasedQueue<AbisTaskRecord>, filter: Filter): Promise<Versioned<AbisTaskRecord> | undefined> {
  const free = { ...filter, leaseUntil: { $lte: queue.now() } };
  for (const read of await queue.due(free, { sort: { priority: -1 }, limit: CANDIDATES })) {
    const [claimed] = await queue.claim([read]);
    if (claimed) return claimed;
  }
  return undefined;
}
