/**
 * The audit trail: an append-only collection of who touched which person's data, when, and how it ended. Records
 * carry ids, never personal data. This class offers no way to change or remove a record, and no route does either.
 * An event is durable before the answer; the index of events by person is built behind the answers (ADR 0104), and
 * the access report reads it together with the events not yet indexed.
 */
import type { Operation, Store } from '../storage/store.js';
import { timeOrderedId } from '../shared/time-ordered-id.js';
import { AuditIndexer } from './audit-indexer.js';
import { type AuditEvent, type AuditTrail, openAuditTrail, type Posting, postingId, type StoredAuditEvent } from './audit-trail.js';
import { type EventRef, FiledRefs } from './filed-refs.js';
import { retireLegacyIndex } from './legacy-events.js';

export type AccessRecord = Omit<AuditEvent, 'personIds'>;

const refOf = (_id: string, client: string | null | undefined): EventRef => (client ? { _id, client } : { _id });

/** How many events one read fetches by id (one query instead of one lookup each). */
const EVENTS_PER_READ = 500;

/** The filed refs this process keeps, over all persons: a few MiB (a person with 10,000 accesses holds 10,000). */
const FILED_REFS_HELD = 200_000;

export class AuditLog {
  readonly indexer: AuditIndexer;
  readonly #filed = new FiledRefs(FILED_REFS_HELD);
  /** Every filed batch's id, in the store's order, as last read (replaced, never changed: requests hold it). */
  #batches: readonly string[] = [];

  private constructor(private readonly trail: AuditTrail) {
    this.indexer = new AuditIndexer(trail);
  }

  static async open(store: Store): Promise<AuditLog> {
    const trail = await openAuditTrail(store);
    await retireLegacyIndex(trail);
    return new AuditLog(trail);
  }

  /**
   * Durable before it resolves: callers answer the request only afterwards. One commit of the store's own group
   * commit (SQLite; MongoDB groups concurrent commits in its journal): the event, and its marker for the indexer.
   */
  async append(event: AuditEvent): Promise<void> {
    await this.trail.store.commit(this.appended(event));
  }

  /** The writes appending `event`: the event, and when it names persons its marker for the indexer. */
  appended(event: AuditEvent): Operation[] {
    const _id = timeOrderedId(new Date(event.time));
    const marker = event.personIds.length > 0 ? [this.trail.unindexed.insert({ _id })] : [];
    return [this.trail.events.insert({ _id, ...withoutEmpty(event) }), ...marker];
  }

  /** The person's records, oldest first. */
  async accessesOf(personId: string, offset: number, limit: number): Promise<AccessRecord[]> {
    const ids = (await this.eventsNaming(personId)).slice(offset, offset + limit).map(({ _id }) => _id);
    return (await this.eventsOf(ids)).map(({ _id, ...record }) => record);
  }

  /**
   * The ids of the person's events, oldest first, each with its client: what a report pages over (and filters by
   * client) before it reads any event. Each batch filed since this process last read the person's costs one posting
   * lookup (FiledRefs keeps the rest), and each event not yet indexed (or filed in a posting older than its
   * `clients`) one read (ADR 0104).
   */
  async eventsNaming(personId: string): Promise<EventRef[]> {
    const { events, unindexed } = this.trail;
    // The marked ones are read first: a batch filed between the two reads then shows in both (and is counted
    // once), never in neither.
    const marked = await Promise.all((await unindexed.find({})).map(({ _id }) => events.get(_id)));
    const tail = marked.flatMap((event) => (event?.personIds.includes(personId) ? [refOf(event._id, event.client)] : []));
    const batchIds = await this.#batchIds();
    const filed = await this.#filed.of(personId, batchIds, (unread) => this.#postedIn(unread, personId));
    if (tail.length === 0) return [...filed];
    const tailIds = new Set(tail.map(({ _id }) => _id));
    for (const { _id } of filed) tailIds.delete(_id);
    return [...filed, ...tail.filter(({ _id }) => tailIds.has(_id))];
  }

  /**
   * Every filed batch's id, in the store's order. Batches are only ever added (ADR 0104): the ids read before are
   * kept and the store steps over them, returning the last one read and those after it; when that one is no longer
   * where it was (another process's sequence put a batch before it), every id is read again.
   */
  async #batchIds(): Promise<readonly string[]> {
    const known = this.#batches;
    if (known.length > 0) {
      const [last, ...added] = (await this.trail.batches.find({}, { skip: known.length - 1 })).map(({ _id }) => _id);
      if (last === known.at(-1)) {
        if (added.length > 0) this.#batches = [...known, ...added];
        return this.#batches;
      }
    }
    this.#batches = (await this.trail.batches.find({})).map(({ _id }) => _id);
    return this.#batches;
  }

  /** The person's refs in these batches' postings, in their order; an event named twice in a posting counts once. */
  async #postedIn(batchIds: readonly string[], personId: string): Promise<EventRef[]> {
    const postings = await Promise.all(batchIds.map((batchId) => this.trail.postings.get(postingId(batchId, personId))));
    const refs = await Promise.all(postings.map((posting) => (posting ? this.#refsOf(posting) : [])));
    return refs.flatMap((posted) => [...new Map(posted.map((ref) => [ref._id, ref])).values()]);
  }

  async #refsOf({ eventIds, clients }: Posting): Promise<EventRef[]> {
    if (clients) return eventIds.map((id, i) => refOf(id, clients[i] ?? undefined));
    return (await this.eventsOf(eventIds)).map(({ _id, client }) => refOf(_id, client));
  }

  /** The events of `ids`, in that order, without the persons they name (a report shows one person's). */
  async eventsOf(ids: readonly string[]): Promise<(AccessRecord & { _id: string })[]> {
    const read: StoredAuditEvent[] = [];
    for (let start = 0; start < ids.length; start += EVENTS_PER_READ) {
      read.push(...(await this.trail.events.find({ _id: { $in: ids.slice(start, start + EVENTS_PER_READ) } })));
    }
    const byId = new Map(read.map(({ personIds, ...record }) => [record._id, record]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}

const OPTIONAL_FIELDS = ['transactionId', 'subject', 'client', 'attributes', 'organisation', 'purpose', 'acr'] as const;

/** Optional fields that are absent stay absent in the record (no `subject: undefined` when auth is off). */
function withoutEmpty(event: AuditEvent): AuditEvent {
  const present = { ...event };
  for (const key of OPTIONAL_FIELDS) if (present[key] === undefined) delete present[key];
  return present;
}
