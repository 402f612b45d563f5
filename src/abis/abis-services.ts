/** What the Biometrics interface is given by the composition root: the engine, and the tasks of calls with a callback. */
import type { AbisCall, AbisEngine } from '../biometrics/abis-engine.port.js';

/** readTaskStatus's answer (abis.yaml). */
export type TaskStatus = 'PENDING' | 'RESPONSE_SCHEDULED' | 'RESPONSE_ERROR' | 'RESPONSE_RETRY' | 'COMPLETED';

/** Who made the call, from its verified token (absent when authentication is off). */
export interface TaskCaller {
  subject?: string;
  client?: string;
}

export interface AbisTasks {
  /**
   * Keeps the call as a durable task, run in `priority` order (9 first), whose outcome is POSTed to `callback`;
   * resolves its id once stored. A callback address the address checks refuse is an InvalidError. The caller is kept
   * for the audit of the result.
   */
  accept(call: AbisCall, callback: string, priority: number | undefined, caller: TaskCaller): Promise<string>;
  status(taskId: string): Promise<TaskStatus>;
  /** Schedules the held outcome to be sent again. */
  redeliver(taskId: string): Promise<void>;
}

export interface AbisServices {
  engine: AbisEngine;
  tasks: AbisTasks;
}
