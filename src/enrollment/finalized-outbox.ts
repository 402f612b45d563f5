/**
 * `enrollmentFinalized` through a durable outbox (ADR 0142): a finalisation writes one record in the same commit as
 * the enrolment change, so the event exists if and only if the change committed, kill -9 or not. Records are worked
 * through the leased queue by the reaction (the issuance workflow, idempotent and lease-protected itself): deleted
 * once it ran, due again a minute later when it threw. A finalising request runs its own record once committed
 * (`promptly`), so that the outcome is visible when it answers; the record is what guarantees it, and the periodic
 * round (`runOnce`) finds those left by a process that died.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Filter } from '../storage/document-store.port.js';
import { LeasedQueue, type LeasedQueueOptions, type LeasedRecord } from '../storage/leased-queue.js';
import type { Operation, Store } from '../storage/store.js';

export interface EnrollmentFinalized {
  enrollmentId: string;
  transactionId: string;
}

interface FinalizedRecord extends LeasedRecord, EnrollmentFinalized {
  createdAt: string;
}

/** A finalisation's record, for its commit, and what runs it once committed. */
export interface Announcement {
  operations: Operation[];
  promptly(): Promise<void>;
}

export interface FinalizedOutboxOptions extends LeasedQueueOptions {
  /** False when this process leaves the records to others (OSIA_OUTBOX_INTERVAL=0): nothing runs here. */
  relays: boolean;
  logger: Logger;
}

const RETRY_MS = 60_000;

export class FinalizedOutbox {
  #reaction: ((event: EnrollmentFinalized) => Promise<void>) | undefined;

  private constructor(
    private readonly queue: LeasedQueue<FinalizedRecord>,
    private readonly options: FinalizedOutboxOptions,
  ) {}

  static async open(store: Store, options: FinalizedOutboxOptions): Promise<FinalizedOutbox> {
    const records = await store.records<FinalizedRecord>({ name: 'enrollment_finalized_outbox', indexes: [{ fields: ['leaseUntil'] }] });
    return new FinalizedOutbox(new LeasedQueue(store, records, options), options);
  }

  /** Sets what reacts to finalisations (the issuance workflow); without a reaction, finalisations announce nothing. */
  react(reaction: (event: EnrollmentFinalized) => Promise<void>): void {
    this.#reaction = reaction;
  }

  announce(event: EnrollmentFinalized): Announcement {
    if (!this.#reaction) return { operations: [], promptly: async () => {} };
    const record: FinalizedRecord = { _id: randomUUID(), ...event, createdAt: new Date(this.queue.now()).toISOString(), leaseUntil: 0 };
    return { operations: [this.queue.records.insert(record)], promptly: async () => void (await this.runOnce({ _id: record._id })) };
  }

  /** One round over the due records (of `filter`); resolves how many ran. Tests await it. */
  runOnce(filter: Filter = {}): Promise<number> {
    const reaction = this.#reaction;
    if (!reaction || !this.options.relays) return Promise.resolve(0);
    return this.queue.workEach(filter, ({ enrollmentId, transactionId }) => reaction({ enrollmentId, transactionId }), (err, { enrollmentId, transactionId }) => {
      this.options.logger.error({ err, enrollmentId, transactionId }, 'enrollmentFinalized: reaction failed, tried again later');
      return this.queue.now() + RETRY_MS;
    });
  }
}
