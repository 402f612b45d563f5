/**
 * Trims the outbox of what nobody needs any more, once older than the retention age: delivered deliveries (by the
 * time they were delivered), then messages that no delivery names (by publish time; a topic's messages published
 * while nobody was subscribed never had one). Pending and failed deliveries stay, and so do their messages: a
 * failed subscription subscribed again is retried from them.
 *
 * Safe with several processes sweeping at once, without a lease: a delivered delivery never changes again, and a
 * message gains no delivery after the publish batch that wrote it, so one found unreferenced stays so; two sweeps
 * deleting the same record both just go on.
 */
import type { NotificationRecords } from './notification-records.js';

export interface RetentionSweepOptions {
  store: NotificationRecords;
  now: () => number;
  retentionMs: number;
}

/** How often each process sweeps: the age is counted in days, so an hour late is nothing. */
export const RETENTION_SWEEP_INTERVAL_MS = 3_600_000;

/** Messages looked at per read (and deleted per batch). */
const PAGE = 500;

export class RetentionSweep {
  constructor(private readonly options: RetentionSweepOptions) {}

  async sweep(): Promise<void> {
    const { store, deliveries, messages } = this.options.store;
    const cutoff = this.options.now() - this.options.retentionMs;
    for (let page = PAGE; page === PAGE; ) {
      const delivered = await deliveries.select({ state: 'delivered', finishedAt: { $lt: cutoff } }, ['_id'], { limit: PAGE });
      await store.commit(delivered.map(({ _id }) => deliveries.delete(_id)));
      page = delivered.length;
    }
    const before = new Date(cutoff).toISOString();
    // Messages still needed stay in the filter's results: skip over them, page after page.
    for (let kept = 0; ; ) {
      const page = await messages.select({ timestamp: { $lt: before } }, ['_id'], { skip: kept, limit: PAGE });
      const unneeded: string[] = [];
      for (const message of page) {
        if ((await deliveries.count({ message: message._id })) === 0) unneeded.push(message._id);
      }
      await store.commit(unneeded.map((id) => messages.delete(id)));
      kept += page.length - unneeded.length;
      if (page.length < PAGE) return;
    }
  }
}
