/**
 * The population registry's records, shared by the Population Registry interface (which owns the rules for
 * changing them) and the Data Access interface (which reads reference identities).
 */
import { randomUUID } from 'node:crypto';
import type { Collection, DocumentStore, Storage, StoredRecord, WriteOp } from '../storage/document-store.port.js';
import { openCollection } from '../storage/typed-collection.js';
import { deleteBlobs, externalize, rehydrate } from '../shared/binary-fields.js';
import { retryOnConflict } from '../storage/optimistic.js';
import {
  CHANGES,
  GALLERIES,
  IDENTITIES,
  type IdentityRecord,
  identityIndexes,
  identityKey,
  PERSONS,
  type PersonRecord,
} from './registry-records.js';
import { type Criterion, criteriaFilter, type SearchOptions } from './search-filter.js';
import { decodeKeys, encodeKeys } from '../storage/stored-keys.js';
import { type Clock, systemClock } from '../shared/clock.js';

export type { Criterion, SearchOptions } from './search-filter.js';

export interface PersonView {
  personId: string;
  status: string;
  physicalStatus: string;
}

export interface ReferenceView {
  person: PersonView;
  /** The reference identity as readReference answers it; absent when the person has none. */
  identity?: Record<string, unknown>;
}

/** What a change-log entry names: ids only, never personal data. */
export type ChangedIds = Record<string, string | string[]>;

/** A change-log entry as written: who asked (transaction), which operation, which ids. */
export interface ChangeEntry {
  operationId: string;
  ids: ChangedIds;
}

/**
 * Writes to add to the atomic batch of every change (the event outbox): what they record then commits with the
 * change, or not at all.
 */
export type ChangeRecorder = (change: ChangeEntry) => WriteOp[];

/** A person record with the version it was read at. */
export interface VersionedPerson {
  record: PersonRecord;
  version: number;
}

/** Identities read per page by a search for persons (more than the persons asked for when they hold several). */
const MIN_SEARCH_PAGE = 100;

export class PopulationRegistry {
  /** Galleries already recorded, so that the common case (a known gallery) costs no write. */
  readonly #knownGalleries = new Set<string>();

  private constructor(
    readonly storage: Storage,
    readonly persons: Collection<PersonRecord>,
    readonly identities: Collection<IdentityRecord>,
    readonly galleries: Collection<StoredRecord>,
    private readonly clock: Clock,
    private readonly recordChange: ChangeRecorder | undefined,
  ) {}

  /**
   * `clock` dates the change log (the system clock for tools that load the store directly); `recordChange` adds
   * its writes to the batch of every change.
   */
  static async open(
    storage: Storage,
    options: { indexedAttributes: readonly string[]; clock?: Clock; recordChange?: ChangeRecorder },
  ): Promise<PopulationRegistry> {
    const { documents } = storage;
    return new PopulationRegistry(
      storage,
      await openCollection<PersonRecord>(documents, PERSONS),
      await openCollection<IdentityRecord>(documents, IDENTITIES, identityIndexes(options.indexedAttributes)),
      await openCollection<StoredRecord>(documents, GALLERIES),
      options.clock ?? systemClock,
      options.recordChange,
    );
  }

  get documents(): DocumentStore {
    return this.storage.documents;
  }

  async person(personId: string): Promise<PersonRecord | undefined> {
    return this.persons.get(personId);
  }

  async versionedPerson(personId: string): Promise<VersionedPerson | undefined> {
    const found = await this.persons.getVersioned(personId);
    return found && { record: found.doc, version: found.version };
  }

  /**
   * Writes the person back at the version it was read (with `changes`). Every change to a person's set of
   * identities does so, which serialises it against any other change to that set, in any server process.
   */
  personOp(person: VersionedPerson, record: PersonRecord = person.record): WriteOp {
    return { collection: PERSONS, op: 'put', doc: record, expectedVersion: person.version };
  }

  /**
   * Runs a change (reads, checks, one `commit`), again on fresh data when a record it read changed before its
   * batch landed. The store's versions and constraints, not this process, make the checks hold.
   */
  change<T>(task: () => Promise<T>): Promise<T> {
    return retryOnConflict(task);
  }

  async identity(personId: string, identityId: string): Promise<IdentityRecord | undefined> {
    return this.identities.get(identityKey(personId, identityId));
  }

  async versionedIdentity(personId: string, identityId: string): Promise<{ record: IdentityRecord; version: number } | undefined> {
    const found = await this.identities.getVersioned(identityKey(personId, identityId));
    return found && { record: found.doc, version: found.version };
  }

  /** A person's identities in creation order. */
  async identitiesOf(personId: string): Promise<IdentityRecord[]> {
    return this.identities.find({ personId });
  }

  personView(record: PersonRecord): PersonView {
    return { personId: record._id, status: record.status, physicalStatus: record.physicalStatus };
  }

  /** The identity as the client stored it: `identityId` first, binaries back in place. */
  async identityView(record: IdentityRecord): Promise<Record<string, unknown>> {
    return { identityId: record.identityId, ...(await rehydrate(decodeKeys(record.identity), this.storage.blobs)) };
  }

  async readReference(personId: string): Promise<ReferenceView | undefined> {
    const person = await this.person(personId);
    if (!person) return undefined;
    const reference = person.referenceId ? await this.identity(personId, person.referenceId) : undefined;
    return {
      person: this.personView(person),
      ...(reference ? { identity: await this.identityView(reference) } : {}),
    };
  }

  /** Identities matching every criterion, in creation order. */
  async findIdentities(criteria: readonly Criterion[], options: SearchOptions = {}): Promise<IdentityRecord[]> {
    const { offset, limit } = options;
    // Stores read a limit of 0 as "no limit".
    if (limit === 0) return [];
    return this.identities.find(criteriaFilter(criteria, options), { skip: offset, limit });
  }

  /**
   * Persons with an identity matching every criterion, each once, in the order of their first match. Identities
   * are read a page at a time until the page asked for is full: a common name matches hundreds of identities at
   * national scale, and a reference-only search (one per person) needs exactly `offset + limit` of them.
   */
  async findPersonIds(criteria: readonly Criterion[], options: SearchOptions = {}): Promise<string[]> {
    const { offset = 0, limit, ...filters } = options;
    if (limit === 0) return [];
    if (limit === undefined) {
      const matches = await this.findIdentities(criteria, filters);
      return [...new Set(matches.map((match) => match.personId))].slice(offset);
    }
    const wanted = offset + limit;
    const pageSize = Math.max(wanted, MIN_SEARCH_PAGE);
    const personIds = new Set<string>();
    for (let skip = 0; personIds.size < wanted; skip += pageSize) {
      const page = await this.findIdentities(criteria, { ...filters, offset: skip, limit: pageSize });
      for (const match of page) personIds.add(match.personId);
      if (page.length < pageSize) break;
    }
    return [...personIds].slice(offset, wanted);
  }


  /**
   * Builds the stored record of an identity: large binaries moved to the blob store (the caller commits the record
   * with `commit`, which removes those blobs again if the write fails), member names encoded for the store.
   */
  async identityRecord(
    fields: { personId: string; identityId: string; isReference: boolean; lastTransactionId: string },
    identity: Record<string, unknown>,
  ): Promise<IdentityRecord> {
    const { record, blobIds } = await externalize(identity, this.storage.blobs);
    const bioCount = Array.isArray(identity.biometricData) ? identity.biometricData.length : 0;
    return { _id: identityKey(fields.personId, fields.identityId), ...fields, bioCount, blobIds, identity: encodeKeys(record) };
  }

  /** Writes recording the galleries an identity names, so that they can be listed. */
  galleryOps(identity: Record<string, unknown>): WriteOp[] {
    const named = (identity.galleries as string[] | undefined) ?? [];
    return named
      .filter((gallery) => !this.#knownGalleries.has(gallery))
      .map((gallery) => ({ collection: GALLERIES, op: 'put', doc: { _id: gallery } }));
  }

  /**
   * The writes recording a change, to go in the same atomic batch as the change: its change-log entry, and what the
   * recorder adds for it (the event outbox).
   */
  changeOps(transactionId: string, operationId: string, ids: ChangedIds): WriteOp[] {
    const doc = { _id: randomUUID(), time: this.clock().toISOString(), transactionId, operationId, ...ids };
    return [{ collection: CHANGES, op: 'put', doc }, ...(this.recordChange?.({ operationId, ids }) ?? [])];
  }

  /**
   * Applies a change in one atomic batch, which claims the blobs written for it (`added`) and releases those it
   * made unreachable (`removed`). The added ones are deleted when the batch fails, the removed ones once it has
   * succeeded; a crash in between leaves them to the blob sweep.
   */
  async commit(ops: WriteOp[], blobs: { added?: readonly string[]; removed?: readonly string[] } = {}): Promise<void> {
    const { added = [], removed = [] } = blobs;
    try {
      await this.documents.applyAtomically([
        ...ops,
        ...this.storage.blobs.claim(added),
        ...this.storage.blobs.release(removed),
      ]);
    } catch (err) {
      await deleteBlobs(added, this.storage.blobs);
      throw err;
    }
    for (const op of ops) if (op.op === 'put' && op.collection === GALLERIES) this.#knownGalleries.add(op.doc._id);
    await deleteBlobs(removed, this.storage.blobs);
  }

  /** Total of biometric items across identities, from counts (records are not loaded). */
  async biometricRecordCount(): Promise<number> {
    let remaining = await this.identities.count({ bioCount: { $gt: 0 } });
    let total = 0;
    // Identities hold few items (a face, ten fingers, two irises…): one count per size seen, largest sizes summed.
    for (let size = 1; remaining > 0 && size <= 32; size += 1) {
      const count = await this.identities.count({ bioCount: size });
      total += size * count;
      remaining -= count;
    }
    if (remaining > 0) {
      const large = await this.identities.find({ bioCount: { $gt: 32 } });
      total += large.reduce((sum, record) => sum + Number(record.bioCount), 0);
    }
    return total;
  }
}
