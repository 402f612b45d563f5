/**
 * The collections of the audit trail (ADR 0104). An answered request appends its event and, when it names persons,
 * an `audit_unindexed` marker, in one commit and nothing else: no per-person index key on the answer's path. The
 * indexer (audit-indexer.ts) later files the marked events in batches: one `audit_index_batches` record per batch
 * and one posting per person of the batch, keyed `<batch id>/<person id>` so that a batch's postings are appended
 * in one run of the primary key instead of scattered over a per-person index.
 */
import type { Collection, DocumentStore, Storage } from '../storage/document-store.port.js';
import { openCollection } from '../storage/typed-collection.js';

export const EVENTS = 'audit_events';
export const UNINDEXED = 'audit_unindexed';
export const BATCHES = 'audit_index_batches';
export const POSTINGS = 'audit_postings';
/** Facts about the trail itself (whether the events of an older store were handed to the indexer). */
export const META = 'audit_meta';

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
}

export interface AuditTrail {
  documents: DocumentStore;
  events: Collection<StoredAuditEvent>;
  unindexed: Collection<Marker>;
  /** Batches filed, oldest first; each `_id` is the id of its first event. */
  batches: Collection<Marker>;
  postings: Collection<Posting>;
  meta: Collection<Marker>;
}

export const postingId = (batchId: string, personId: string) => `${batchId}/${personId}`;

export async function openAuditTrail(storage: Storage): Promise<AuditTrail> {
  const { documents } = storage;
  return {
    documents,
    events: await openCollection<StoredAuditEvent>(documents, EVENTS),
    unindexed: await openCollection<Marker>(documents, UNINDEXED),
    batches: await openCollection<Marker>(documents, BATCHES),
    postings: await openCollection<Posting>(documents, POSTINGS),
    meta: await openCollection<Marker>(documents, META),
  };
}
