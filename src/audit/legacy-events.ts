/**
 * Stores written before ADR 0104 found a person's events through an index on `audit_events.personIds`, written on
 * the answer's path. At start-up, the first time, their events are marked for the indexer (which files them like
 * any other), and then that index is dropped. Until the indexer has filed them, the report reads them as not yet
 * indexed. Two processes starting together may both mark; an event filed twice is reported once (AuditLog.accessesOf).
 */
import { type AuditTrail, EVENTS } from './audit-trail.js';

const MARKED = 'legacy events marked';
const PAGE = 10_000;

export async function retireLegacyIndex(trail: AuditTrail): Promise<void> {
  const { events, unindexed, meta, store } = trail;
  if ((await meta.get(MARKED)) === undefined) {
    // Every event there is older than this process: none has been marked by ADR 0104's append yet, or a few have.
    for (let skip = 0; ; skip += PAGE) {
      const page = await events.find({}, { skip, limit: PAGE });
      const named = page.filter((event) => event.personIds.length > 0);
      // A marker already there stays at version 1, the version the indexer deletes it at.
      await Promise.all(named.map((event) => store.getOrInsert(unindexed, { _id: event._id })));
      if (page.length < PAGE) break;
    }
    await store.getOrInsert(meta, { _id: MARKED });
  }
  await store.records({ ...EVENTS, indexes: [{ fields: ['personIds'], retired: true }] });
}
