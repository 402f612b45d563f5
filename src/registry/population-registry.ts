/**
 * The population registry's records, shared by the Population Registry interface (which owns the rules for
 * changing them) and the Data Access interface (which reads reference identities).
 */
import { randomUUID } from 'node:crypto';
import type { Collection, DocumentStore, Filter, Storage, WriteOp } from '../storage/document-store.port.js';
import { deleteBlobs, externalize, rehydrate } from './binary-fields.js';
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

export interface Criterion {
  /** Dotted path within the identity, e.g. `biographicData.lastName`. */
  path: string;
  operator: '<' | '>' | '=' | '>=' | '<=' | '!=';
  value: string | number | boolean;
}

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

export interface SearchOptions {
  referenceOnly?: boolean;
  gallery?: string;
  offset?: number;
  limit?: number;
}

const OPERATORS = { '<': '$lt', '>': '$gt', '>=': '$gte', '<=': '$lte', '!=': '$ne' } as const;

function criteriaFilter(criteria: readonly Criterion[], options: SearchOptions): Filter {
  // `!=` asks for a different value, so an identity without the attribute does not match (unlike MongoDB's $ne).
  const conditions: Filter[] = criteria.map(({ path, operator, value }) => ({
    [`identity.${path}`]:
      operator === '=' ? value : { [OPERATORS[operator]]: value, ...(operator === '!=' ? { $exists: true } : {}) },
  }));
  if (options.referenceOnly) conditions.push({ isReference: true });
  if (options.gallery && options.gallery !== 'ALL') conditions.push({ 'identity.galleries': options.gallery });
  // Plain keys where possible, so that the embedded store can answer from its indexes.
  const filter: Filter = {};
  const rest: Filter[] = [];
  for (const condition of conditions) {
    const [key, value] = Object.entries(condition)[0] as [string, Filter[string]];
    if (key in filter) rest.push(condition);
    else filter[key] = value;
  }
  return rest.length > 0 ? { ...filter, $and: rest } : filter;
}

export class PopulationRegistry {
  private constructor(
    readonly storage: Storage,
    readonly persons: Collection,
    readonly identities: Collection,
    readonly galleries: Collection,
  ) {}

  static async open(storage: Storage, options: { indexedAttributes: readonly string[] }): Promise<PopulationRegistry> {
    const { documents } = storage;
    return new PopulationRegistry(
      storage,
      await documents.collection(PERSONS),
      await documents.collection(IDENTITIES, identityIndexes(options.indexedAttributes)),
      await documents.collection(GALLERIES),
    );
  }

  get documents(): DocumentStore {
    return this.storage.documents;
  }

  async person(personId: string): Promise<PersonRecord | undefined> {
    return (await this.persons.get(personId)) as PersonRecord | undefined;
  }

  async identity(personId: string, identityId: string): Promise<IdentityRecord | undefined> {
    return (await this.identities.get(identityKey(personId, identityId))) as IdentityRecord | undefined;
  }

  /** A person's identities in creation order. */
  async identitiesOf(personId: string): Promise<IdentityRecord[]> {
    return (await this.identities.find({ personId })) as IdentityRecord[];
  }

  personView(record: PersonRecord): PersonView {
    return { personId: record._id, status: record.status, physicalStatus: record.physicalStatus };
  }

  /** The identity as the client stored it: `identityId` first, binaries back in place. */
  async identityView(record: IdentityRecord): Promise<Record<string, unknown>> {
    return { identityId: record.identityId, ...(await rehydrate(record.identity, this.storage.blobs)) };
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
    return (await this.identities.find(criteriaFilter(criteria, options), { skip: offset, limit })) as IdentityRecord[];
  }

  /** Persons with an identity matching every criterion, each once, in the order of their first match. */
  async findPersonIds(criteria: readonly Criterion[], options: SearchOptions = {}): Promise<string[]> {
    const { offset = 0, limit, ...filters } = options;
    const matches = await this.findIdentities(criteria, filters);
    const personIds = [...new Set(matches.map((match) => match.personId))];
    return personIds.slice(offset, limit === undefined ? undefined : offset + limit);
  }

  /** Builds the stored record of an identity, moving its large binaries to the blob store. */
  async identityRecord(
    fields: { personId: string; identityId: string; isReference: boolean; lastTransactionId: string },
    identity: Record<string, unknown>,
  ): Promise<IdentityRecord> {
    const { record, blobIds } = await externalize(identity, this.storage.blobs);
    const bioCount = Array.isArray(identity.biometricData) ? identity.biometricData.length : 0;
    return { _id: identityKey(fields.personId, fields.identityId), ...fields, bioCount, blobIds, identity: record };
  }

  /** Galleries already recorded, so that the common case (a known gallery) costs no write. */
  readonly #knownGalleries = new Set<string>();

  /** Records the galleries an identity names, so that they can be listed. */
  async noteGalleries(identity: Record<string, unknown>): Promise<void> {
    for (const gallery of (identity.galleries as string[] | undefined) ?? []) {
      if (this.#knownGalleries.has(gallery)) continue;
      await this.galleries.put({ _id: gallery });
      this.#knownGalleries.add(gallery);
    }
  }

  async deleteBlobs(blobIds: readonly string[]): Promise<void> {
    await deleteBlobs(blobIds, this.storage.blobs);
  }

  /** A change-log entry to put in the same atomic batch as a multi-record change. */
  changeEntry(transactionId: string, operationId: string, ids: Record<string, string>): WriteOp {
    const doc = { _id: randomUUID(), time: new Date().toISOString(), transactionId, operationId, ...ids };
    return { collection: CHANGES, op: 'put', doc };
  }
}
