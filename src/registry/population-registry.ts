/**
 * The population registry: persons with their identities, one aggregate per person. Shared by the Population
 * Registry interface (which owns the rules for changing it), Data Access and Third Party (which read reference
 * identities). Every change goes through `change`: the persons are loaded at their versions, the domain mutates
 * them, and one commit writes the difference, the change-log entry and what the change recorder adds (the event
 * outbox). Each person is written back at the version read, so concurrent changes of a person, in any process, never
 * interleave: the one that lost runs again on fresh data.
 */
import { randomUUID } from 'node:crypto';
import type { StoredRecord } from '../storage/document-store.port.js';
import type { Operation, Records, Store, Versioned } from '../storage/store.js';
import { ConflictError, NotFoundError } from '../shared/domain-errors.js';
import {
  CHANGES,
  type ChangeRecord,
  GALLERIES,
  type IdentityRecord,
  identityKey,
  identitySpec,
  PERSONS,
  type PersonRecord,
} from './registry-records.js';
import { type Criterion, criteriaFilter, type SearchOptions } from './search-filter.js';
import type { Clock } from '../shared/clock.js';

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

/** A change-log entry as written: which operation, which ids, for which transaction. */
export interface ChangeEntry {
  operationId: string;
  ids: ChangedIds;
  transactionId: string;
}

/** Who asked for a change: it is recorded with it. */
export interface ChangeMeta {
  transactionId: string;
  operationId: string;
}

/**
 * Writes to add to the commit of every change (the event outbox): what they record then commits with the change,
 * or not at all.
 */
export type ChangeRecorder = (change: ChangeEntry) => Operation[];

/** One recorder writing what each of `recorders` writes (undefined when none is given). */
export function recordingAll(...recorders: (ChangeRecorder | undefined)[]): ChangeRecorder | undefined {
  const given = recorders.filter((recorder) => recorder !== undefined);
  if (given.length <= 1) return given[0];
  return (change) => given.flatMap((recorder) => recorder(change));
}

/**
 * A person as a change sees it. To change it, replace `person`, or elements of `identities` (by new objects: an
 * identity left as loaded is not written), add or remove identities, or set `deleted`.
 */
export interface PersonAggregate {
  person: PersonRecord;
  identities: IdentityRecord[];
  deleted?: boolean;
}

/**
 * A change's work on its loaded persons (one per id asked for, in order); resolves the ids its change-log entry
 * names, or undefined when there is nothing to change (then nothing is written).
 */
export type Mutation<Ids extends readonly string[]> = (
  persons: { [K in keyof Ids]: PersonAggregate },
  now: string,
) => ChangedIds | undefined | Promise<ChangedIds | undefined>;

/** Identities read per page by a search for persons (more than the persons asked for when they hold several). */
const MIN_SEARCH_PAGE = 100;

interface Loaded {
  person: Versioned<PersonRecord>;
  identities: Map<string, Versioned<IdentityRecord>>;
}

export class PopulationRegistry {
  /** Galleries already recorded, so that the common case (a known gallery) costs no write. */
  readonly #knownGalleries = new Set<string>();

  private constructor(
    private readonly store: Store,
    readonly persons: Records<PersonRecord>,
    readonly identities: Records<IdentityRecord>,
    readonly galleries: Records<StoredRecord>,
    private readonly changes: Records<ChangeRecord>,
    private readonly clock: Clock,
    private readonly recordChange: ChangeRecorder | undefined,
  ) {}

  /** `clock` dates the change log; `recordChange` adds its writes to the commit of every change. */
  static async open(
    store: Store,
    options: { indexedAttributes: readonly string[]; clock: Clock; recordChange?: ChangeRecorder },
  ): Promise<PopulationRegistry> {
    return new PopulationRegistry(
      store,
      await store.records(PERSONS),
      await store.records(identitySpec(options.indexedAttributes)),
      await store.records(GALLERIES),
      await store.records(CHANGES),
      options.clock,
      options.recordChange,
    );
  }

  async person(personId: string): Promise<PersonRecord | undefined> {
    return this.persons.get(personId);
  }

  async identity(personId: string, identityId: string): Promise<IdentityRecord | undefined> {
    return this.identities.get(identityKey(personId, identityId));
  }

  /** A person's identities in creation order. */
  async identitiesOf(personId: string): Promise<IdentityRecord[]> {
    return this.identities.find({ personId });
  }

  personView(record: PersonRecord): PersonView {
    return { personId: record._id, status: record.status, physicalStatus: record.physicalStatus };
  }

  /** The identity as the client stored it: `identityId` first. */
  identityView(record: IdentityRecord): Record<string, unknown> {
    return { identityId: record.identityId, ...record.identity };
  }

  async readReference(personId: string): Promise<ReferenceView | undefined> {
    const person = await this.person(personId);
    if (!person) return undefined;
    const reference = person.referenceId ? await this.identity(personId, person.referenceId) : undefined;
    return { person: this.personView(person), ...(reference ? { identity: this.identityView(reference) } : {}) };
  }

  /** Ids of the identities matching every criterion, in creation order. */
  async findIdentities(criteria: readonly Criterion[], options: SearchOptions = {}): Promise<Pick<IdentityRecord, 'personId' | 'identityId'>[]> {
    const { offset, limit } = options;
    // Stores read a limit of 0 as "no limit".
    if (limit === 0) return [];
    return this.identities.select(criteriaFilter(criteria, options), ['personId', 'identityId'], { skip: offset, limit });
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

  /** A new identity record of a person; `identity` is the content as stored (dates included). */
  identityRecord(personId: string, identityId: string, identity: Record<string, unknown>, transactionId: string): IdentityRecord {
    const bioCount = Array.isArray(identity.biometricData) ? identity.biometricData.length : 0;
    return { _id: identityKey(personId, identityId), personId, identityId, isReference: false, bioCount, lastTransactionId: transactionId, identity };
  }

  /**
   * Creates persons whole, with their identities, in one commit; ConflictError (and nothing written) when one of
   * them exists already, in any process.
   */
  create(created: readonly PersonAggregate[], meta: ChangeMeta, ids: (aggregate: PersonAggregate) => ChangedIds): Promise<void> {
    const identities = created.flatMap((aggregate) => aggregate.identities);
    return this.store.change(async () => {
      for (const { person } of created) if (await this.person(person._id)) throw new ConflictError(`Person ${person._id} already exists`);
      const now = this.clock().toISOString();
      const operations = created.flatMap((aggregate) => [
        this.persons.insert(aggregate.person),
        ...aggregate.identities.map((identity) => this.identities.insert(identity)),
        ...this.#recorded(meta, ids(aggregate), now),
      ]);
      await this.store.commit([...operations, ...this.#galleryWrites(identities)]);
      this.#learnGalleries(identities);
    });
  }

  /**
   * Runs a change of the persons named (NotFoundError when one is missing): loads them at their versions, lets
   * `mutate` work on them, then commits what it changed with the change-log entry. Runs again on fresh data when
   * another writer changed one of them meanwhile.
   */
  change<const Ids extends readonly string[]>(personIds: Ids, meta: ChangeMeta, mutate: Mutation<Ids>): Promise<void> {
    return this.store.change(async () => {
      const loaded = await Promise.all(personIds.map((personId) => this.#load(personId)));
      const aggregates: PersonAggregate[] = loaded.map(({ person, identities }) => ({
        person: person.record,
        identities: [...identities.values()].map(({ record }) => record),
      }));
      // One aggregate per id, in order: the tuple `mutate` was promised.
      const now = this.clock().toISOString();
      const ids = await mutate(aggregates as { [K in keyof Ids]: PersonAggregate }, now);
      if (ids === undefined) return;
      const written = aggregates.flatMap((aggregate) => (aggregate.deleted ? [] : aggregate.identities));
      const operations = loaded.flatMap((read, i) => this.#difference(read, aggregates[i] as PersonAggregate));
      await this.store.commit([...operations, ...this.#galleryWrites(written), ...this.#recorded(meta, ids, now)]);
      this.#learnGalleries(written);
    });
  }

  /**
   * Every person with its identities, in the order the persons were first stored, a page at a time, read from one
   * snapshot: an export taken while servers write is a consistent state.
   */
  async *everyPerson(pageSize: number): AsyncGenerator<PersonAggregate> {
    const snapshot = await this.store.snapshot();
    try {
      for (let skip = 0; ; skip += pageSize) {
        const page = await snapshot.find(this.persons, {}, { skip, limit: pageSize });
        const identities = page.length > 0 ? await snapshot.find(this.identities, { personId: { $in: page.map(({ _id }) => _id) } }) : [];
        for (const person of page) yield { person, identities: identities.filter((identity) => identity.personId === person._id) };
        if (page.length < pageSize) return;
      }
    } finally {
      await snapshot.close();
    }
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
      const large = await this.identities.select({ bioCount: { $gt: 32 } }, ['bioCount']);
      total += large.reduce((sum, record) => sum + record.bioCount, 0);
    }
    return total;
  }

  async #load(personId: string): Promise<Loaded> {
    const person = await this.persons.getVersioned(personId);
    if (!person) throw new NotFoundError(`No person ${personId}`);
    const identities = await this.identities.findVersioned({ personId });
    return { person, identities: new Map(identities.map((read) => [read.record._id, read])) };
  }

  /**
   * The writes that bring a loaded person to its mutated state. The person is always written back at its version:
   * that is what serialises every change of the person and of its set of identities.
   */
  #difference(read: Loaded, aggregate: PersonAggregate): Operation[] {
    if (aggregate.deleted) {
      return [this.persons.delete(read.person), ...[...read.identities.values()].map((identity) => this.identities.delete(identity))];
    }
    const kept = new Set(aggregate.identities.map((identity) => identity._id));
    return [
      this.persons.put(aggregate.person, read.person),
      ...[...read.identities.values()].filter(({ record }) => !kept.has(record._id)).map((identity) => this.identities.delete(identity)),
      ...aggregate.identities.flatMap((identity) => {
        const before = read.identities.get(identity._id);
        if (!before) return [this.identities.insert(identity)];
        return before.record === identity ? [] : [this.identities.put(identity, before)];
      }),
    ];
  }

  /** The change-log entry and what the recorder adds for it. */
  #recorded({ transactionId, operationId }: ChangeMeta, ids: ChangedIds, time: string): Operation[] {
    const entry = { _id: randomUUID(), time, transactionId, operationId, ...ids };
    return [this.changes.insert(entry), ...(this.recordChange?.({ operationId, ids, transactionId }) ?? [])];
  }

  /** Records the galleries the identities name, so that they can be listed. */
  #galleryWrites(identities: readonly IdentityRecord[]): Operation[] {
    const named = new Set(identities.flatMap((record) => (record.identity.galleries as string[] | undefined) ?? []));
    return [...named].filter((gallery) => !this.#knownGalleries.has(gallery)).map((gallery) => this.galleries.put({ _id: gallery }));
  }

  #learnGalleries(identities: readonly IdentityRecord[]): void {
    for (const record of identities) for (const gallery of (record.identity.galleries as string[] | undefined) ?? []) this.#knownGalleries.add(gallery);
  }
}
