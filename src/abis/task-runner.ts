/**
 * Runs the queued ABIS tasks, one at a time, the most urgent first (priority 9 first, then acceptance order): each is
 * leased (src/storage/leased-queue.ts), handed to the engine, and its outcome (the payload or the OSIA Error object
 * of a refusal) recorded with the state RESPONSE_SCHEDULED in one commit. An engine that is itself asynchronous
 * (`start`) gets the call and the task waits, unleased, for `TaskSettler.settle`.
 *
 * At least once: a task whose runner died is claimed again once its lease has passed, so its operation may run twice
 * (docs/behaviour/abis.md says what that means for each kind of operation).
 */
import type { Logger } from 'pino';
import type { AbisCall, AbisEngine, TaskOutcome } from '../biometrics/abis-engine.port.js';
import { osiaErrorOf } from '../errors/osia-error.js';
import { LeasedQueue } from '../storage/leased-queue.js';
import type { Versioned } from '../storage/records.js';
import { auditResult, type TaskAudit } from './task-audit.js';
import type { TaskMetrics } from './task-metrics.js';
import { type AbisTaskRecord, claimNext, scheduled, type TaskRecords } from './task-records.js';

export interface TaskRunnerOptions {
  records: TaskRecords;
  engine: AbisEngine;
  metrics: TaskMetrics;
  logger: Logger;
  now: () => number;
  /** How long a claim holds: longer than one engine call may take. */
  leaseMs: number;
  wakeDelivery: () => void;
  /** Records the persons a result names (absent: no audit trail). */
  audit?: TaskAudit;
}

/** Tasks run per round at most, so that stopping the server waits for little. */
const ROUND = 20;

/** A refusal as the caller would have had it synchronously: the error middleware's status and Error object. */
function failure(err: unknown): TaskOutcome {
  const { status, body } = osiaErrorOf(err);
  return { ok: false, status, error: body };
}

export class TaskRunner {
  readonly #queue: LeasedQueue<AbisTaskRecord>;

  constructor(private readonly options: TaskRunnerOptions) {
    this.#queue = new LeasedQueue(options.records.store, options.records.tasks, { now: options.now, leaseMs: options.leaseMs });
  }

  /** Runs due tasks until none is left (or a round's worth); resolves how many. Tests await it. */
  async runOnce(): Promise<number> {
    let ran = 0;
    for (let claimed = await this.#next(); claimed; claimed = ran < ROUND ? await this.#next() : undefined) {
      await this.#run(claimed);
      ran++;
    }
    return ran;
  }

  #next(): Promise<Versioned<AbisTaskRecord> | undefined> {
    return claimNext(this.#queue, { state: 'queued' });
  }

  async #run(claimed: Versioned<AbisTaskRecord>): Promise<void> {
    const task = claimed.record;
    const call = JSON.parse(String(task.call)) as AbisCall;
    const { engine } = this.options;
    if (engine.start) {
      try {
        await engine.start(call, task._id);
      } catch (err) {
        return this.#record(claimed, this.#failure(task, err));
      }
      // The engine has the call: the task waits for its outcome without a lease (it may come to any process).
      const { call: _started, ...rest } = task;
      if (!(await this.#queue.commit([this.#queue.settle(claimed, { ...rest, state: 'started' })]))) {
        this.options.logger.info({ taskId: task._id }, 'ABIS task settled before it was marked started');
      }
      return;
    }
    let outcome: TaskOutcome;
    try {
      outcome = { ok: true, body: (await engine.run(call)).body };
    } catch (err) {
      outcome = this.#failure(task, err);
    }
    await this.#record(claimed, outcome);
  }

  #failure(task: AbisTaskRecord, err: unknown): TaskOutcome {
    const outcome = failure(err);
    // What the error middleware logs of a failure with a stack; refusals (4xx) are the caller's, not ours.
    if (outcome.ok === false && outcome.status >= 500) {
      this.options.logger.error({ taskId: task._id, operationId: task.operationId, err }, 'ABIS task failed');
    }
    return outcome;
  }

  async #record(claimed: Versioned<AbisTaskRecord>, outcome: TaskOutcome): Promise<void> {
    if (await this.#queue.commit([this.#queue.records.put(scheduled(claimed.record, outcome), claimed)])) {
      this.options.metrics.ran.inc({ outcome: outcome.ok ? 'result' : 'error' });
      await auditResult(this.options.audit, claimed.record, outcome);
      this.options.wakeDelivery();
      return;
    }
    // Taken over after the lease passed, or settled meanwhile: the other writer's outcome stands.
    this.options.logger.warn({ taskId: claimed.record._id }, 'ABIS task outcome not recorded: the task changed meanwhile');
  }
}
