/**
 * The audit trail: an append-only collection of who touched which person's data, when, and how it ended. Records
 * carry ids, never personal data. This class offers no way to change or remove a record, and no route does either.
 */
import { randomUUID } from 'node:crypto';
import type { Collection, Storage } from '../storage/document-store.port.js';

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

const COLLECTION = 'audit_events';

export class AuditLog {
  private constructor(private readonly events: Collection) {}

  static async open(storage: Storage): Promise<AuditLog> {
    return new AuditLog(await storage.documents.collection(COLLECTION, [{ fields: ['personIds'] }]));
  }

  /** Durable before it resolves: callers answer the request only afterwards. */
  async append(event: AuditEvent): Promise<void> {
    await this.events.insert({ _id: randomUUID(), ...withoutEmpty(event) });
  }

  /** The person's records, oldest first. */
  async accessesOf(personId: string, offset: number, limit: number): Promise<AccessRecord[]> {
    const stored = await this.events.find({ personIds: personId }, { skip: offset, limit });
    return stored.map(({ _id, personIds, ...record }) => record as unknown as AccessRecord);
  }
}

/** Optional fields that are absent stay absent in the record (no `subject: undefined` when auth is off). */
function withoutEmpty(event: AuditEvent): Record<string, unknown> {
  return Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined));
}
