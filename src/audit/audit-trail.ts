/**
 * The collections of the audit trail (ADR 0104). An answered request appends its event and, when it names persons,
 * an `audit_unindexed` marker, in one commit and nothing else: no per-person index key on the answer's path. The
 * indexer (audit-indexer.ts) later files the marked events in batches: one `audit_index_batches` record per batch
 * and one posting per person of the batch, keyed `<batch id>/<person id>` so that a batch's postings are appended
 * in one run of the primary key instead of scattered over a per-person index.
 */
import type { RecordSpec } from '../storage/record-spec.js';
import type { Records, Store } from '../storage/store.js';

/** What an answered request appends: who touched which persons' data (and which other records), and the outcome. */
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
  /** The attribute or claim names read or released (names, never values). */
  attributes?: string[];
  /** The organisation behind the client, and the purpose it declared (OpenID Connect clients' configuration). */
  organisation?: string;
  purpose?: string;
  /** The level of assurance of the login that released claims (OpenID Connect). */
  acr?: string;
}

/** An event as stored: absent optional fields are left out. */
export type StoredAuditEvent = AuditEvent & { _id: string };

/** A record that is only its id: an event not yet in the postings, a batch, a fact. */
export interface Marker {
  _id: string;
}

/** One person's events of one batch, oldest first. */
export interface Posting {
  _id: string;
  eventIds: string[];
  /**
   * The client of each event, in the same order (null for none): the access report tells a restricted client's
   * events from the posting alone. Absent in postings filed before it was added.
   */
  clients?: (string | null)[];
}

export const EVENTS: RecordSpec<StoredAuditEvent> = { name: 'audit_events' };

export interface AuditTrail {
  store: Store;
  events: Records<StoredAuditEvent>;
  unindexed: Records<Marker>;
  /** Batches filed, oldest first; each `_id` is the id of its first event. */
  batches: Records<Marker>;
  postings: Records<Posting>;
  /** Facts about the trail itself (whether the events of an older store were handed to the indexer). */
  meta: Records<Marker>;
}

export const postingId = (batchId: string, personId: string) => `${batchId}/${personId}`;

export async function openAuditTrail(store: Store): Promise<AuditTrail> {
  return {
    store,
    events: await store.records(EVENTS),
    unindexed: await store.records<Marker>({ name: 'audit_unindexed' }),
    batches: await store.records<Marker>({ name: 'audit_index_batches' }),
    postings: await store.records<Posting>({ name: 'audit_postings' }),
    meta: await store.records<Marker>({ name: 'audit_meta' }),
  };
}
