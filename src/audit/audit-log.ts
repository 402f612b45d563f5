/**
 * The audit trail: an append-only collection of who touched which person's data, when, and how it ended. Records
 * carry ids, never personal data. This class offers no way to change or remove a record, and no route does either.
 */
import type { Collection, Storage } from '../storage/document-store.port.js';
import { openCollection } from '../storage/typed-collection.js';
import { timeOrderedId } from '../shared/time-ordered-id.js';

export interface AuditEvent {
  time: string;
  interface: string;
  operationId: string;
  transactionId?: string;
  subject?: string;
  client?: string;
  status: number;
  personIds: string[];
  recordIds: string[];
}

export type AccessRecord = Omit<AuditEvent, 'personIds'>;

/** An event as stored: absent optional fields are left out (see `withoutEmpty`). */
type StoredAuditEvent = AuditEvent & { _id: string };

const COLLECTION = 'audit_events';

/**
 * Group commit: events appended while a write is in flight are stored together in the next write, so that a busy
 * server pays one storage round trip per batch instead of one per request. Each caller still waits until its own
 * event is stored.
 */
class GroupCommit<T> {
  #pending: { item: T; done: () => void; failed: (err: unknown) => void }[] = [];
  #writing = false;

  constructor(private readonly write: (items: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    return new Promise((done, failed) => {
      this.#pending.push({ item, done, failed });
      if (!this.#writing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#writing = true;
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        await this.write(batch.map(({ item }) => item));
        for (const { done } of batch) done();
      } catch (err) {
        for (const { failed } of batch) failed(err);
      }
    }
    this.#writing = false;
  }
}

export class AuditLog {
  readonly #commits: GroupCommit<AuditEvent>;

  private constructor(private readonly events: Collection<StoredAuditEvent>) {
    this.#commits = new GroupCommit((batch) => this.#store(batch));
  }

  static async open(storage: Storage): Promise<AuditLog> {
    return new AuditLog(await openCollection<StoredAuditEvent>(storage.documents, COLLECTION, [{ fields: ['personIds'] }]));
  }

  /** Durable before it resolves: callers answer the request only afterwards. */
  append(event: AuditEvent): Promise<void> {
    return this.#commits.add(event);
  }

  async #store(batch: AuditEvent[]): Promise<void> {
    await this.events.insertMany(batch.map((event) => ({ _id: timeOrderedId(new Date(event.time)), ...withoutEmpty(event) })));
  }

  /** The person's records, oldest first. */
  async accessesOf(personId: string, offset: number, limit: number): Promise<AccessRecord[]> {
    const stored = await this.events.find({ personIds: personId }, { skip: offset, limit });
    return stored.map(({ _id, personIds, ...record }) => record);
  }
}

const OPTIONAL_FIELDS = ['transactionId', 'subject', 'client'] as const;

/** Optional fields that are absent stay absent in the record (no `subject: undefined` when auth is off). */
function withoutEmpty(event: AuditEvent): AuditEvent {
  const present = { ...event };
  for (const key of OPTIONAL_FIELDS) if (present[key] === undefined) delete present[key];
  return present;
}
