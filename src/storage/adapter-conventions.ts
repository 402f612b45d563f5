/**
 * Conventions shared by the storage adapters so that the embedded store and MongoDB behave alike.
 *
 * MongoDB does not return documents in insertion order without a sort, so every stored document carries a
 * hidden, increasing `_seq` field: finds sort by it (as the only key, or as the tie-breaker after the caller's sort
 * keys) and it is stripped from every document handed back.
 */
import type { StoredDocument } from './document-store.port.js';

export const SEQ_FIELD = '_seq';
/** MongoDB keeps each record's version (see `WriteOp.expectedVersion`) in this hidden field too. */
export const VERSION_FIELD = '_v';

/** A document as stored: the caller's fields plus the hidden sequence number. */
export type SequencedDocument = StoredDocument & { [SEQ_FIELD]: number };

/** Returns a copy without `_seq` (and `_v`), keeping the key order of the stored document. */
export function withoutSeq(stored: Record<string, unknown>): StoredDocument {
  const { [SEQ_FIELD]: _seq, [VERSION_FIELD]: _version, ...doc } = stored;
  return doc as StoredDocument;
}

/** The caller's sort keys, then insertion order: results are deterministic, so skip/limit paging is stable. */
export function sortWithSeq(sort: Record<string, 1 | -1> = {}): Record<string, 1 | -1> {
  return { ...sort, [SEQ_FIELD]: 1 };
}

/**
 * Hands out increasing sequence numbers: microseconds of the wall clock, bumped by one whenever the clock has not
 * moved on (or went backwards). Clock-based rather than a stored counter so that MongoDB needs no extra round trip
 * and no hot counter document; several server instances sharing one database then order by wall clock.
 */
export class SequenceClock {
  #last = 0;

  next(): number {
    this.#last = Math.max(this.#last + 1, Date.now() * 1000);
    return this.#last;
  }

  /** Makes later numbers exceed one already stored (called with each collection's highest `_seq` on open). */
  observe(seq: unknown): void {
    if (typeof seq === 'number' && seq > this.#last) this.#last = seq;
  }
}

const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Collection names become table names (SQLite) and namespaces (MongoDB): keep them to a safe alphabet. */
export function assertCollectionName(name: string): void {
  if (!COLLECTION_NAME.test(name)) throw new RangeError(`invalid collection name: ${JSON.stringify(name)}`);
}
