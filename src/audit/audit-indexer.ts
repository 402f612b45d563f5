/**
 * Files the audit events the answers appended (marked in `audit_unindexed`) into per-person postings, behind the
 * answers, in batches (ADR 0104). One batch is one atomic commit: its batch record, its postings in key order, and
 * the deletion of its markers at version 1. Several indexers (processes) may run at once: when two take the same
 * events, the second commit fails on a marker already gone (or a batch id already there) and writes nothing, so
 * no event is filed twice; an indexer that dies mid-batch has committed nothing, and its events stay marked.
 */
import { StoreConflictError } from '../storage/document-store.port.js';
import type { Versioned } from '../storage/store.js';
import { type AuditTrail, type Marker, type Posting, postingId } from './audit-trail.js';

/** At most this many events per batch, */
const BATCH_EVENTS = 500;
/**
 * and this many (event, person) entries: a batch's commit runs on the event loop in the store's group commit, so it
 * stays a few milliseconds long, and requests wait behind one batch at most.
 */
const BATCH_ENTRIES = 2500;
/**
 * Batches per `catchUp` (the job runs it every second): up to 5,000 events a second, more than a server's answers
 * append, without the indexer taking the event loop from requests when it works through a backlog.
 */
const ROUNDS = 10;

/** How often the server's indexer job runs. */
export const AUDIT_INDEX_INTERVAL_MS = 1000;

export class AuditIndexer {
  constructor(private readonly trail: AuditTrail) {}

  /** Files one batch of the oldest marked events; resolves how many (0 when none, or another indexer took them). */
  async runOnce(): Promise<number> {
    const { events, unindexed, batches, postings, store } = this.trail;
    const byPerson = new Map<string, Pick<Posting, 'eventIds' | 'clients'>>();
    const taken: Versioned<Marker>[] = [];
    let entries = 0;
    for (const marker of await unindexed.findVersioned({}, { limit: BATCH_EVENTS })) {
      const { _id } = marker.record;
      const event = await events.get(_id);
      // The marker and its event are committed together: a marker alone is a broken store.
      if (event === undefined) throw new Error(`audit event ${_id} is marked unindexed but not stored`);
      const persons = event.personIds;
      if (taken.length > 0 && entries + persons.length > BATCH_ENTRIES) break;
      taken.push(marker);
      entries += persons.length;
      for (const person of persons) {
        const posting = byPerson.get(person) ?? { eventIds: [], clients: [] };
        byPerson.set(person, posting);
        posting.eventIds.push(_id);
        posting.clients?.push(event.client ?? null);
      }
    }
    const batchId = taken[0]?.record._id;
    if (batchId === undefined) return 0;
    const filed = [...byPerson].sort(([a], [b]) => (a < b ? -1 : 1));
    try {
      await store.commit([
        batches.insert({ _id: batchId }),
        ...filed.map(([person, posting]) => postings.insert({ _id: postingId(batchId, person), ...posting })),
        ...taken.map((marker) => unindexed.delete(marker)),
      ]);
    } catch (error) {
      if (error instanceof StoreConflictError) return 0;
      throw error;
    }
    return taken.length;
  }

  /** Files batches until none is left (or `ROUNDS` were filed); the server's job runs it every second. */
  async catchUp(): Promise<number> {
    let filed = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const batch = await this.runOnce();
      if (batch === 0) break;
      filed += batch;
    }
    return filed;
  }
}
