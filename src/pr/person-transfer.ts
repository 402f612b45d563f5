/**
 * Whole persons in and out of the population registry, for migrations, backups and restores (`osia-server import`
 * and `export`). A transferred person is one NDJSON line:
 * `{"personId", "status", "physicalStatus", "identities": [Identity with identityId], "reference"?}`.
 * Import checks each person with the PR document's schemas (country profile included) and writes it whole, or not at
 * all, with the records the API would have written; identity dates are kept when given, so that an export imported
 * into an empty store exports again byte for byte.
 */
import type { SchemaValidator } from '../openapi/schema-validator.js';
import type { PopulationRegistry } from '../registry/population-registry.js';
import { ConflictError } from '../shared/domain-errors.js';
import { withoutAllGallery } from './identity-galleries.js';

type Json = Record<string, unknown>;

export interface TransferredPerson {
  personId: string;
  status: string;
  physicalStatus: string;
  identities: Json[];
  reference?: string;
}

/** Why a line cannot be imported; the import reports it with the line number and goes on. */
export class RefusedPerson extends Error {
  override name = 'RefusedPerson';
}

export type ImportOutcome = 'imported' | 'present' | RefusedPerson;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const MEMBERS = new Set(['personId', 'status', 'physicalStatus', 'identities', 'reference']);

export class PersonTransfer {
  constructor(
    private readonly registry: PopulationRegistry,
    private readonly validator: SchemaValidator,
    private readonly now: () => string,
  ) {}

  /** Checks one parsed line; throws RefusedPerson naming the first problem. */
  check(value: unknown): TransferredPerson {
    if (!isObject(value)) throw new RefusedPerson('a line must be a JSON object');
    const unknown = Object.keys(value).filter((key) => !MEMBERS.has(key));
    if (unknown.length > 0) throw new RefusedPerson(`unknown member ${unknown.join(', ')}`);
    const { personId, status, physicalStatus, identities = [], reference } = value;
    if (typeof personId !== 'string' || personId === '') throw new RefusedPerson('personId must be a non-empty string');
    const personProblems = this.validator.check('Person', { personId, status, physicalStatus });
    if (personProblems) throw new RefusedPerson(`person: ${personProblems}`);
    if (!Array.isArray(identities)) throw new RefusedPerson('identities must be a list');
    const ids = new Set<string>();
    identities.forEach((identity: unknown, index) => {
      const where = `identities/${index}`;
      if (!isObject(identity) || typeof identity.identityId !== 'string' || identity.identityId === '') {
        throw new RefusedPerson(`${where}: an identity with an identityId`);
      }
      if (ids.has(identity.identityId)) throw new RefusedPerson(`${where}: identityId ${identity.identityId} appears twice`);
      ids.add(identity.identityId);
      const problems = this.validator.check('Identity', identity);
      if (problems) throw new RefusedPerson(`${where}: ${problems}`);
    });
    if (reference !== undefined && (typeof reference !== 'string' || !ids.has(reference))) {
      throw new RefusedPerson(`reference ${JSON.stringify(reference)} names none of the identities`);
    }
    return { personId, status: String(status), physicalStatus: String(physicalStatus), identities: identities as Json[], ...(reference === undefined ? {} : { reference }) };
  }

  /**
   * Writes checked persons, many per commit; a person already in the registry is left as it is. When a commit
   * fails, each of its persons is written alone, so that one bad person cannot stop the others.
   */
  async import(persons: readonly TransferredPerson[], transactionId: string): Promise<ImportOutcome[]> {
    // Primary-key reads: a filter on _id is not an index the store keeps, and would scan every person per batch.
    const found = await Promise.all(persons.map(({ personId }) => this.registry.person(personId)));
    const present = new Set(found.flatMap((person) => (person ? [person._id] : [])));
    const fresh = persons.filter(({ personId }) => !present.has(personId));
    const outcomes = new Map<string, ImportOutcome>(persons.map(({ personId }) => [personId, present.has(personId) ? 'present' : 'imported']));
    try {
      await this.#write(fresh, transactionId);
    } catch {
      for (const person of fresh) {
        await this.#write([person], transactionId).catch((err: unknown) => {
          // A server on the same store created it meanwhile.
          const outcome = err instanceof ConflictError ? 'present' : new RefusedPerson(`not stored: ${err instanceof Error ? err.message : String(err)}`);
          outcomes.set(person.personId, outcome);
        });
      }
    }
    return persons.map(({ personId }) => outcomes.get(personId) as ImportOutcome);
  }

  /** Every person in the order they were first stored, with their identities as readIdentities answers them. */
  async *export(pageSize = 500): AsyncGenerator<TransferredPerson> {
    for await (const { person, identities } of this.registry.everyPerson(pageSize)) {
      const { personId, status, physicalStatus } = this.registry.personView(person);
      const reference = person.referenceId ? { reference: person.referenceId } : {};
      yield { personId, status, physicalStatus, identities: identities.map((record) => this.registry.identityView(record)), ...reference };
    }
  }

  #write(persons: readonly TransferredPerson[], transactionId: string): Promise<void> {
    if (persons.length === 0) return Promise.resolve();
    const created = persons.map(({ personId, status, physicalStatus, reference, identities }) => ({
      person: { _id: personId, status, physicalStatus, lastTransactionId: transactionId, ...(reference ? { referenceId: reference } : {}) },
      identities: identities.map((identity) => {
        const { identityId, createdDate, updatedDate, ...content } = withoutAllGallery(identity);
        const now = this.now();
        const dated = { ...content, createdDate: createdDate ?? now, updatedDate: updatedDate ?? createdDate ?? now };
        const record = this.registry.identityRecord(personId, String(identityId), dated, transactionId);
        return { ...record, isReference: identityId === reference };
      }),
    }));
    return this.registry.create(created, { transactionId, operationId: 'importPerson' }, ({ person, identities }) => ({
      personId: person._id,
      identityIds: identities.map((identity) => identity.identityId),
    }));
  }
}
