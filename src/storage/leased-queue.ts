/**
 * The one leased queue (ADR 0142): records that any number of server processes sharing one store work through —
 * notification deliveries, the PR's event outbox, the enrolment outbox. A worker reads the records that are due and
 * free with their versions and claims them in one commit at those versions (compare-and-set through the store: of
 * two processes that read the same versions, the store lets one claim through and refuses the other whole). It then
 * settles each claimed record at the version its claim wrote: an outcome written back, the record deleted, or
 * released for a later try. A claimer that dies leaves its records to whoever looks once their lease has passed: at
 * least once, never lost. No in-process lock; time only from the injected clock.
 */
import { randomUUID } from 'node:crypto';
import { type Filter, type FindOptions, StoreConflictError } from './document-store.port.js';
import type { Records, Versioned } from './records.js';
import type { Operation, Store } from './store.js';

/** The members the queue keeps on its records. */
export interface LeasedRecord {
  _id: string;
  /** ms since the epoch: not before (absent: at once). */
  dueAt?: number;
  /** ms since the epoch: claimed by `leaseOwner` until then; 0 when free. */
  leaseUntil: number;
  leaseOwner?: string;
}

export interface LeasedQueueOptions {
  /** The time, in ms since the epoch, of the injected clock. */
  now: () => number;
  /** How long a claim holds: longer than the work on a claimed record takes. */
  leaseMs: number;
}

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

  /**
   * The records of `filter`, in the order of `options`, that may be claimed now. `inOrder` ends the list at the
   * first one that may not: a queue served in order never skips a record.
   */
  async due(filter: Filter, options?: FindOptions & { inOrder?: boolean }): Promise<Versioned<T>[]> {
    const now = this.now();
    const free = ({ record }: Versioned<T>) => (record.dueAt ?? 0) <= now && record.leaseUntil <= now;
    const found = await this.records.findVersioned(filter, options);
    if (!options?.inOrder) return found.filter(free);
    const held = found.findIndex((read) => !free(read));
    return held < 0 ? found : found.slice(0, held);
  }

  /** Leases the records read to this claimer in one commit; resolves them as claimed, or none when another writer got there first. */
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
    // The record without the lease members is still a T: they are optional or set here.
    return this.records.put({ ...rest, leaseUntil: 0 } as T, claimed);
  }

  /** Frees a claimed record as it was, due again at once or at `dueAt`. */
  release(claimed: Versioned<T>, dueAt?: number): Operation {
    return this.settle(claimed, dueAt === undefined ? claimed.record : { ...claimed.record, dueAt });
  }

  /** Deletes a claimed record: its work is done. */
  remove(claimed: Versioned<T>): Operation {
    return this.records.delete(claimed);
  }

  /** Commits the operations; resolves false when another writer changed one of the records first (a lease outlived, a delete). */
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
