/**
 * The one leased queue (ADR 0142) over records that the server processes sharing a store work through: notification
 * deliveries, the PR's event outbox, `enrollmentFinalized`. A claim leases due and free records in one commit at the
 * versions read (of two processes, the store lets one claim through, whole; no in-process lock); each claimed record
 * is then settled, released or removed at the version its claim wrote. A dead claimer's records come back once its
 * lease has passed: at least once, never lost. Time comes from the injected clock only.
 */
import { randomUUID } from 'node:crypto';
import { type Filter, type FindOptions, StoreConflictError } from './document-store.port.js';
import type { Records, Versioned } from './records.js';
import type { Operation, Store } from './store.js';

/** The members the queue keeps on its records (times in ms since the epoch). */
export interface LeasedRecord {
  _id: string;
  /** Not before (absent: at once). */
  dueAt?: number;
  /** Claimed by `leaseOwner` until then; 0 when free. */
  leaseUntil: number;
  leaseOwner?: string;
}

export interface LeasedQueueOptions {
  now: () => number;
  /** How long a claim holds: longer than the work on a claimed record takes. */
  leaseMs: number;
}

/** Records `workEach` looks at per round. */
const ROUND = 100;

export class LeasedQueue<T extends LeasedRecord> {
  /** This claimer, in the records it holds. */
  readonly owner = randomUUID();

  constructor(
    private readonly store: Store,
    readonly records: Records<T>,
    private readonly options: LeasedQueueOptions,
  ) {}

  now(): number {
    return this.options.now();
  }

  /** The records of `filter` that may be claimed now; `inOrder` stops at the first that may not (never skips one). */
  async due(filter: Filter, options?: FindOptions & { inOrder?: boolean }): Promise<Versioned<T>[]> {
    const now = this.now();
    const free = ({ record }: Versioned<T>) => (record.dueAt ?? 0) <= now && record.leaseUntil <= now;
    // A record whose blob a commit released between reading the record and reading its blob (another claimer settled
    // it) reads as a conflict: it moved on, and the store's `change` reads again.
    const found = await this.store.change(() => this.records.findVersioned(filter, options));
    if (!options?.inOrder) return found.filter(free);
    const held = found.findIndex((read) => !free(read));
    return held < 0 ? found : found.slice(0, held);
  }

  /** Leases the records read to this claimer in one commit; resolves them as claimed, or none when another writer came first. */
  async claim(reads: readonly Versioned<T>[]): Promise<Versioned<T>[]> {
    const leaseUntil = this.now() + this.options.leaseMs;
    const claimed = reads.map((read) => ({ read, record: { ...read.record, leaseOwner: this.owner, leaseUntil } }));
    if (claimed.length === 0 || !(await this.commit(claimed.map(({ read, record }) => this.records.put(record, read))))) return [];
    // The store counts a version one up per write.
    return claimed.map(({ read, record }) => ({ record, version: read.version + 1 }));
  }

  /** Whether a claim still holds for `ms` more: work that may take that long starts only then. */
  holds(claimed: Versioned<T>, ms: number): boolean {
    return this.now() + ms <= claimed.record.leaseUntil;
  }

  /** Writes the outcome of a claimed record, free again. */
  settle(claimed: Versioned<T>, outcome: T): Operation {
    const { leaseOwner: _owner, ...rest } = outcome;
    // Without its lease members a record is still a T: they are optional or set here.
    return this.records.put({ ...rest, leaseUntil: 0 } as T, claimed);
  }

  /** Frees a claimed record as it was, due again at once or at `dueAt`. */
  release(claimed: Versioned<T>, dueAt?: number): Operation {
    return this.settle(claimed, dueAt === undefined ? claimed.record : { ...claimed.record, dueAt });
  }

  remove(claimed: Versioned<T>): Operation {
    return this.records.delete(claimed);
  }

  /**
   * Works the due records of `filter` one at a time, each claimed alone (a long work holds one record, the others stay
   * free for other processes), and removes each once `work` resolved. When it throws, `retryAt` says when the record
   * is due again, or undefined to end the round and leave the record to its lease. Resolves how many were worked.
   */
  async workEach(filter: Filter, work: (record: T) => Promise<void>, retryAt: (err: unknown, record: T) => number | undefined): Promise<number> {
    let worked = 0;
    for (const read of await this.due({ ...filter, leaseUntil: { $lte: this.now() } }, { limit: ROUND })) {
      const [claimed] = await this.claim([read]);
      if (!claimed) continue;
      try {
        await work(claimed.record);
      } catch (err) {
        const dueAt = retryAt(err, claimed.record);
        if (dueAt === undefined) return worked;
        await this.commit([this.release(claimed, dueAt)]);
        continue;
      }
      await this.commit([this.remove(claimed)]);
      worked += 1;
    }
    return worked;
  }

  /** Commits; resolves false when another writer changed one of the records first (a lease outlived, a delete). */
  async commit(operations: readonly Operation[]): Promise<boolean> {
    try {
      await this.store.commit(operations);
      return true;
    } catch (err) {
      if (err instanceof StoreConflictError) return false;
      throw err;
    }
  }
}
