/**
 * POSTs the scheduled ABIS results to their callbacks (abis.yaml's `<operationId>CB`): the callback URL, its own
 * query kept, with `transactionId` and `taskId` added; the payload as application/json, an Error as
 * application/error+json. A 2xx (abis.yaml says 204) completes the task; anything else is tried again after a
 * growing pause, up to OSIA_ABIS_CALLBACK_RETRIES attempts, and then the task is RESPONSE_ERROR until
 * redeliverTaskResult. Each result is leased while it is sent, so processes sharing the store send it once (at least
 * once when one dies mid-send). A few callbacks are served side by side: a slow one holds only its own slot.
 */
import type { Logger } from 'pino';
import type { Sender } from '../shared/http-delivery.js';
import { LeasedQueue } from '../storage/leased-queue.js';
import type { Versioned } from '../storage/records.js';
import type { TaskMetrics } from './task-metrics.js';
import { type AbisTaskRecord, claimNext, type TaskRecords } from './task-records.js';

export interface CallbackDeliveryOptions {
  records: TaskRecords;
  sender: Sender;
  metrics: TaskMetrics;
  logger: Logger;
  now: () => number;
  /** Attempts before the task is RESPONSE_ERROR. */
  attempts: number;
  /** The longest one POST may take (the callback timeout). */
  sendTimeoutMs: number;
}

/** Callbacks sent side by side by one process. */
const LANES = 4;
/** Pause after the first failed attempt, doubled after each next one, up to an hour. */
const FIRST_PAUSE_MS = 30_000;
const LONGEST_PAUSE_MS = 3_600_000;

export const pauseAfter = (attempts: number): number => Math.min(FIRST_PAUSE_MS * 2 ** (attempts - 1), LONGEST_PAUSE_MS);

export class CallbackDelivery {
  readonly #queue: LeasedQueue<AbisTaskRecord>;

  constructor(private readonly options: CallbackDeliveryOptions) {
    // Twice the POST's timeout: a lease never ends while its POST may still be answered.
    const leaseMs = 2 * options.sendTimeoutMs;
    this.#queue = new LeasedQueue(options.records.store, options.records.tasks, { now: options.now, leaseMs });
  }

  /** Sends every due result, until none is left; resolves how many were tried. Tests await it. */
  async runOnce(): Promise<number> {
    let tried = 0;
    const lane = async () => {
      for (let claimed = await this.#next(); claimed; claimed = await this.#next()) {
        await this.#deliver(claimed);
        tried++;
      }
    };
    await Promise.all(Array.from({ length: LANES }, lane));
    return tried;
  }

  #next(): Promise<Versioned<AbisTaskRecord> | undefined> {
    return claimNext(this.#queue, { state: { $in: ['scheduled', 'retry'] }, dueAt: { $lte: this.options.now() } });
  }

  async #deliver(claimed: Versioned<AbisTaskRecord>): Promise<void> {
    const task = claimed.record;
    const url = new URL(task.callback);
    url.searchParams.set('transactionId', task.transactionId);
    url.searchParams.set('taskId', task._id);
    const outcome = await this.options.sender.send({
      address: url.toString(),
      headers: { 'content-type': task.resultType ?? 'application/json' },
      body: task.result,
    });
    const now = this.options.now();
    const attempts = task.attempts + 1;
    const { metrics, logger } = this.options;
    let next: AbisTaskRecord;
    if (outcome.ok) {
      metrics.callbacks.inc({ outcome: 'delivered' });
      next = { ...task, state: 'completed', attempts, finishedAt: now };
    } else if (attempts < this.options.attempts) {
      metrics.callbacks.inc({ outcome: 'retry' });
      logger.info({ taskId: task._id, attempts, reason: outcome.reason }, 'ABIS callback failed, will retry');
      next = { ...task, attempts, dueAt: now + pauseAfter(attempts) };
    } else {
      metrics.callbacks.inc({ outcome: 'failed' });
      logger.warn({ taskId: task._id, attempts, reason: outcome.reason }, 'ABIS callback failed for good: RESPONSE_ERROR until redeliverTaskResult');
      next = { ...task, state: 'error', attempts, finishedAt: now };
    }
    if (!(await this.#queue.commit([this.#queue.settle(claimed, next)]))) {
      // A redeliverTaskResult came meanwhile: the result goes out again, as it asked.
      logger.info({ taskId: task._id }, 'ABIS callback outcome not recorded: the task changed meanwhile');
    }
  }
}
