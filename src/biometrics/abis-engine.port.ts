/**
 * The port behind the Biometrics interface: one engine runs every ABIS operation except the two task operations.
 * `builtin` keeps encounters in our store and matches faces itself; `gateway` forwards to a vendor's OSIA ABIS.
 * The HTTP handlers call it at once (no `callback`) or through the task layer (with `callback`), which delivers the
 * answer (or the error) to the caller's callback; the engine knows nothing of either.
 */
import type { operations } from '../../generated/abis.js';

export type TaskOperationId = 'readTaskStatus' | 'redeliverTaskResult';
export type AbisOperationId = Exclude<keyof operations, TaskOperationId>;

/** One call of an operation, as validated: plain data, so that a task can keep it and run it later. */
export interface AbisCall {
  operationId: AbisOperationId;
  transactionId: string;
  path: Record<string, string>;
  /** The operation's other query parameters (threshold, maxNbCand, status, offset…), without `callback` and `priority`. */
  query: Record<string, unknown>;
  body?: unknown;
}

/** The success payload; none for the operations answering 204 (their callback receives the JSON string "OK"). */
export interface AbisAnswer {
  body?: unknown;
}

export interface AbisEngine {
  readonly name: 'builtin' | 'gateway';
  /** Runs the call to its end. Refusals are thrown as domain errors (src/shared/domain-errors.ts). */
  run(call: AbisCall): Promise<AbisAnswer>;
  /**
   * An engine that is itself asynchronous (the gateway) starts the call and resolves once it was accepted; its
   * outcome reaches the task later through `TaskSettler.settle`. Without it the task layer awaits `run`.
   */
  start?(call: AbisCall, taskId: string): Promise<void>;
}

/** How an asynchronous outcome ends up: the payload, or the OSIA Error object with the status it stands for. */
export type TaskOutcome = { ok: true; body?: unknown } | { ok: false; status: number; error: { code: number; message: string } };

/** Given by the task layer to an engine with `start`: records a task's outcome once it is known. */
export interface TaskSettler {
  settle(taskId: string, outcome: TaskOutcome): Promise<void>;
}
