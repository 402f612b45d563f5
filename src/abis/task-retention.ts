/**
 * Deletes the finished ABIS tasks (COMPLETED, or RESPONSE_ERROR given up) older than OSIA_ABIS_TASK_RETENTION, with
 * their results: readTaskStatus and redeliverTaskResult then answer 404. A task an asynchronous engine was given
 * and never settled within that age gets a 504 Error as its outcome, delivered like any other, so no task stays
 * PENDING for ever. Tasks waiting for delivery stay whatever their age. Safe with several processes sweeping: each
 * write is at the version read, and a task that changed meanwhile fails its batch, which the next sweep takes up.
 */
import type { Logger } from 'pino';
import type { TaskSettler } from '../biometrics/abis-engine.port.js';
import { StoreConflictError } from '../storage/document-store.port.js';
import type { TaskRecords } from './task-records.js';

export interface TaskRetentionOptions {
  records: TaskRecords;
  /** Records the 504 of a task the engine never settled. */
  settler: TaskSettler;
  now: () => number;
  retentionMs: number;
  logger: Logger;
}

/** How often each process sweeps: the retention is counted in days, an hour late is nothing. */
export const TASK_SWEEP_INTERVAL_MS = 3_600_000;

/** Tasks deleted per batch. */
const PAGE = 200;

export class TaskRetention {
  constructor(private readonly options: TaskRetentionOptions) {}

  /** Resolves how many tasks were deleted. */
  async sweep(): Promise<number> {
    const { store, tasks } = this.options.records;
    const cutoff = this.options.now() - this.options.retentionMs;
    const unanswered = await tasks.select({ state: 'started', acceptedAt: { $lt: cutoff } }, ['_id'], { limit: PAGE });
    for (const { _id } of unanswered) {
      const message = `the ABIS engine gave no outcome within OSIA_ABIS_TASK_RETENTION (${this.options.retentionMs / 1000} s)`;
      await this.options.settler.settle(_id, { ok: false, status: 504, error: { code: 504, message } });
    }
    let deleted = 0;
    for (;;) {
      const old = await tasks.findVersioned({ state: { $in: ['completed', 'error'] }, finishedAt: { $lt: cutoff } }, { limit: PAGE });
      if (old.length === 0) return deleted;
      try {
        await store.commit(old.map((read) => tasks.delete(read)));
      } catch (err) {
        if (!(err instanceof StoreConflictError)) throw err;
        this.options.logger.info({ err }, 'ABIS task sweep stopped: a task changed meanwhile; the next sweep goes on');
        return deleted;
      }
      deleted += old.length;
    }
  }
}
