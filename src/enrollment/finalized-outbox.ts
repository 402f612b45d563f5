/**
 * `enrollmentFinalized` through a durable outbox (ADR 0142): a finalisation writes one record in the same commit as
 * the enrolment change, so the event exists if and only if the change committed, kill -9 or not. The relay claims
 * the records through the leased queue and runs the reaction (the issuance workflow, idempotent and lease-protected
 * itself); a record is deleted once the reaction has run, or released for a later try when it failed. A finalising
 * request runs its own record at once after its commit (`promptly`), so that its outcome is visible when it answers;
 * the record is what guarantees it, a periodic round (`runOnce`) what finds those left by a process that died.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Filter } from '../storage/document-store.port.js';
import { LeasedQueue, type LeasedRecord } from '../storage/leased-queue.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Operation, Store } from '../storage/store.js';

export interface EnrollmentFinalized {
  enrollmentId: string;
  transactionId: string;
}

export interface FinalizedRecord extends LeasedRecord, EnrollmentFinalized {
  createdAt: string;
  /** Failed runs so far. */
  attempts: number;
}

const FINALIZED_OUTBOX: RecordSpec<FinalizedRecord> = { name: 'enrollment_finalized_outbox', indexes: [{ fields: ['leaseUntil'] }] };

export type FinalizedReaction = (event: EnrollmentFinalized) => Promise<void>;

/** A finalisation's record, for its commit, and what runs it once committed. */
export interface Announcement {
  operations: Operation[];
  promptly(): Promise<void>;
}

export interface FinalizedOutboxOptions {
  now: () => number;
  /** How long a claim holds: longer than a run of the reaction. */
  leaseMs: number;
  /** How long a record waits after a failed run. */
  retryMs: number;
  /** False when this process leaves the records to others (OSIA_OUTBOX_INTERVAL=0): nothing runs here. */
  relays: boolean;
  logger: Logger;
}

/** Records looked at per round. */
const ROUND = 100;

export class FinalizedOutbox {
  #reaction: FinalizedReaction | undefined;

  private constructor(
    private readonly queue: LeasedQueue<FinalizedRecord>,
    private readonly options: FinalizedOutboxOptions,
  ) {}

  static async open(store: Store, options: FinalizedOutboxOptions): Promise<FinalizedOutbox> {
    const { now, leaseMs } = options;
    return new FinalizedOutbox(new LeasedQueue(store, await store.records(FINALIZED_OUTBOX), { now, leaseMs }), options);
  }

  /** Sets what reacts to finalisations (the issuance workflow); without a reaction, finalisations announce nothing. */
  react(reaction: FinalizedReaction): void {
    this.#reaction = reaction;
  }

  announce(event: EnrollmentFinalized): Announcement {
    if (!this.#reaction) return { operations: [], promptly: async () => {} };
    const record: FinalizedRecord = { _id: randomUUID(), ...event, createdAt: new Date(this.queue.now()).toISOString(), attempts: 0, leaseUntil: 0 };
    return { operations: [this.queue.records.insert(record)], promptly: async () => void (await this.runOnce({ _id: record._id })) };
  }

  /** One round: runs the reaction of every due record (of `filter`); resolves how many ran. Tests await it. */
  async runOnce(filter: Filter = {}): Promise<number> {
    const reaction = this.#reaction;
    if (!reaction || !this.options.relays) return 0;
    let ran = 0;
    for (const read of await this.queue.due({ ...filter, leaseUntil: { $lte: this.queue.now() } }, { limit: ROUND })) {
      // One at a time: each run is long, and the records left are free for other processes meanwhile.
      const [claimed] = await this.queue.claim([read]);
      if (!claimed) continue;
      const { enrollmentId, transactionId, attempts } = claimed.record;
      try {
        await reaction({ enrollmentId, transactionId });
      } catch (err) {
        this.options.logger.error({ err, enrollmentId, transactionId }, 'enrollmentFinalized: reaction failed, tried again later');
        const retry = { ...claimed.record, attempts: attempts + 1, dueAt: this.queue.now() + this.options.retryMs };
        await this.queue.commit([this.queue.settle(claimed, retry)]);
        continue;
      }
      await this.queue.commit([this.queue.remove(claimed)]);
      ran += 1;
    }
    return ran;
  }
}
