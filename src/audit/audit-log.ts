/**
 * The audit trail: an append-only collection of who touched which person's data, when, and how it ended. Records
 * carry ids, never personal data. This class offers no way to change or remove a record, and no route does either.
 * An event is durable before the answer; the index of events by person is built behind the answers (ADR 0104), and
 * the access report reads it together with the events not yet indexed.
 */
import type { Operation, Store } from '../storage/store.js';
import { timeOrderedId } from '../shared/time-ordered-id.js';
import { AuditIndexer } from './audit-indexer.js';
import { type AuditEvent, type AuditTrail, openAuditTrail, type Posting, postingId } from './audit-trail.js';
import { retireLegacyIndex } from './legacy-events.js';

export type AccessRecord = Omit<AuditEvent, 'personIds'>;

/** An event of a person's report before it is read: its id, and the client that made it (when one did). */
export interface EventRef {
  _id: string;
  client?: string;
}

const refOf = (_id: string, client: string | null | undefined): EventRef => (client ? { _id, client } : { _id });

export class AuditLog {
  readonly indexer: AuditIndexer;

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
   * client) before it reads any event. Each filed batch costs one posting lookup, and each event not yet indexed
   * (or filed in a posting older than its `clients`) one read (ADR 0104).
   */
  async eventsNaming(personId: string): Promise<EventRef[]> {
    const { events, unindexed, batches, postings } = this.trail;
    // The marked ones are read first: a batch filed between the two reads then shows in both (and is counted
    // once), never in neither.
    const marked = await Promise.all((await unindexed.find({})).map(({ _id }) => events.get(_id)));
    const tail = marked.flatMap((event) => (event?.personIds.includes(personId) ? [refOf(event._id, event.client)] : []));
    const filed = await Promise.all((await batches.find({})).map(({ _id }) => postings.get(postingId(_id, personId))));
    const refs = await Promise.all(filed.map((posting) => (posting ? this.#refsOf(posting) : [])));
    const seen = new Set<string>();
    return [...refs.flat(), ...tail].filter(({ _id }) => !seen.has(_id) && seen.add(_id));
  }

  async #refsOf({ eventIds, clients }: Posting): Promise<EventRef[]> {
    if (clients) return eventIds.map((id, i) => refOf(id, clients[i] ?? undefined));
    return (await this.eventsOf(eventIds)).map(({ _id, client }) => refOf(_id, client));
  }

  /** The events of `ids`, in that order, without the persons they name (a report shows one person's). */
  async eventsOf(ids: readonly string[]): Promise<(AccessRecord & { _id: string })[]> {
    const events = await Promise.all(ids.map((id) => this.trail.events.get(id)));
    return events.filter((event) => event !== undefined).map(({ personIds, ...record }) => record);
  }
}

const OPTIONAL_FIELDS = ['transactionId', 'subject', 'client', 'attributes', 'organisation', 'purpose', 'acr'] as const;

/** Optional fields that are absent stay absent in the record (no `subject: undefined` when auth is off). */
function withoutEmpty(event: AuditEvent): AuditEvent {
  const present = { ...event };
  for (const key of OPTIONAL_FIELDS) if (present[key] === undefined) delete present[key];
  return present;
}
