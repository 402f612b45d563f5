/**
 * Background identifications (identify answering 202). A task is a record of `tp_identify_tasks`: what to search,
 * who asked, and, once done, the persons found (ids only: the attribute sets are built when the result is read).
 * Records survive a restart; tasks still RUNNING then are run again. A task expires OSIA_IDENTIFY_TASK_TTL seconds
 * after it started: it then reads as unknown (404) and its record is deleted.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import type { Criterion } from '../registry/search-filter.js';
import { StoreConflictError } from '../storage/document-store.port.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Records } from '../storage/records.js';
import type { Store, Versioned } from '../storage/store.js';

export interface IdentifyQuery {
  criteria: Criterion[];
  /** Persons holding the credentials named in the request; undefined when it names none. */
  credentialHolders?: string[];
  /** Persons the ABIS found for the request's biometrics, best first; undefined when it has none. */
  biometricCandidates?: string[];
}

export interface TaskOwner {
  clientId?: string;
  outputAttributeSetName: string;
}

export type TaskState = { status: 'RUNNING' } | { status: 'FAILED' } | { status: 'DONE'; personIds: string[]; owner: TaskOwner };

type TaskRecord = {
  _id: string;
  status: 'RUNNING' | 'DONE' | 'FAILED';
  query: IdentifyQuery;
  owner: TaskOwner;
  startedAt: string;
  expiresAt: string;
  personIds?: string[];
};

const TASKS: RecordSpec<TaskRecord> = { name: 'tp_identify_tasks' };

export type Search = (query: IdentifyQuery) => Promise<string[]>;

export class IdentifyTasks {
  #gate: Promise<void> = Promise.resolve();
  readonly #running = new Set<Promise<void>>();

  private constructor(
    private readonly store: Store,
    private readonly tasks: Records<TaskRecord>,
    private readonly search: Search,
    private readonly ttlSeconds: number,
    /** The time source; tests move it to expire tasks without waiting. */
    private readonly clock: () => Date,
    private readonly log: Logger,
  ) {}

  static async open(store: Store, options: { search: Search; ttlSeconds: number; clock: Clock; logger: Logger }): Promise<IdentifyTasks> {
    const records = await store.records(TASKS);
    const tasks = new IdentifyTasks(store, records, options.search, options.ttlSeconds, options.clock, options.logger);
    for (const task of await records.findVersioned({ status: 'RUNNING' })) tasks.#run(task);
    return tasks;
  }

  /** Holds every task at its start until the returned function is called (tests observe the RUNNING state). */
  hold(): () => void {
    let release = () => {};
    this.#gate = new Promise((resolve) => {
      release = resolve;
    });
    return release;
  }

  /** Settles when no task is running. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  async start(query: IdentifyQuery, owner: TaskOwner): Promise<string> {
    await this.#dropExpired();
    const now = this.clock();
    const record: TaskRecord = {
      _id: randomUUID(),
      status: 'RUNNING',
      query,
      owner,
      startedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.ttlSeconds * 1000).toISOString(),
    };
    await this.store.commit([this.tasks.insert(record)]);
    const started = await this.tasks.getVersioned(record._id);
    if (started) this.#run(started);
    return record._id;
  }

  /** The task as `clientId` may see it: undefined when unknown, expired, or started by another client. */
  async read(taskId: string, clientId: string | undefined): Promise<TaskState | undefined> {
    await this.#dropExpired();
    const record = await this.tasks.get(taskId);
    if (!record || record.owner.clientId !== clientId) return undefined;
    if (record.status !== 'DONE') return { status: record.status };
    return { status: 'DONE', personIds: record.personIds ?? [], owner: record.owner };
  }

  #run(started: Versioned<TaskRecord>): void {
    const { record } = started;
    const work = (async () => {
      await this.#gate;
      try {
        const personIds = await this.search(record.query);
        await this.#settle(started, { ...record, status: 'DONE', personIds });
      } catch (err) {
        // Readers learn at once that no result will come (instead of 204 until the task expires).
        this.log.error({ err, taskId: record._id }, 'identify task failed');
        await this.#settle(started, { ...record, status: 'FAILED' });
      }
    })();
    this.#running.add(work);
    void work.finally(() => this.#running.delete(work));
  }

  /** Records the outcome over the task as started: nothing when it expired (deleted) or was settled elsewhere. */
  async #settle(started: Versioned<TaskRecord>, settled: TaskRecord): Promise<void> {
    try {
      await this.store.commit([this.tasks.put(settled, started)]);
    } catch (err) {
      if (!(err instanceof StoreConflictError)) throw err;
    }
  }

  async #dropExpired(): Promise<void> {
    const expired = await this.tasks.select({ expiresAt: { $lte: this.clock().toISOString() } }, ['_id']);
    await this.store.commit(expired.map(({ _id }) => this.tasks.delete(_id)));
  }
}
