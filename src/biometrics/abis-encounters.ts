/**
 * The encounters of the built-in ABIS: create, read, update, delete, merge, move, status and galleries. A person
 * exists while it holds an encounter. Each change is one commit holding the encounter records, their template
 * records and the change-log entry of the index (see synced-face-index.ts), made by `Store.change`: records are
 * written at the version read, so a concurrent writer in any process makes it run again on fresh data.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, InvalidError, NotFoundError } from '../shared/domain-errors.js';
import type { Clock } from '../shared/clock.js';
import type { Operation, Store, Versioned } from '../storage/store.js';
import {
  type AbisRecords,
  ALL_GALLERIES,
  type BiometricItem,
  ENCOUNTER_MEMBERS,
  type EncounterRecord,
  encounterExists,
  encounterKey,
  facesBlob,
  type TemplateRecord,
} from './abis-records.js';
import { type EncodedFaces, encodeFaces } from './face-encoding.js';
import type { FaceModel } from './face-model.js';
import type { SyncedFaceIndex } from './synced-face-index.js';

export type EncounterBody = Record<string, unknown> & { status: string; galleries: string[]; biometricData: BiometricItem[] };

/** createEncounter*'s and updateEncounter's answer; `others` reports the faces encoded and the items that were not. */
export interface ExtendablePersonIds {
  personId: string;
  encounterId: string;
  others: { faces: { index: number; quality: number }[]; notEncoded: EncodedFaces['notEncoded'] };
}

const STATUSES = new Set(['ACTIVE', 'INACTIVE']);

/**
 * Every ABIS write moves the one sequence record of the change log, so concurrent writers conflict more often than
 * on a person alone: they get more runs than `Store.change` gives by default before a 409.
 */
const WRITE_ATTEMPTS = 32;

export class AbisEncounters {
  /** Galleries already recorded, so that the common case (a known gallery) costs no write. */
  readonly #knownGalleries = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly records: AbisRecords,
    private readonly index: SyncedFaceIndex,
    private readonly model: FaceModel,
    private readonly clock: Clock,
  ) {}

  /** Stores a new encounter (ids generated when not given), creating its person when it has none yet. */
  async create(body: EncounterBody, personId: string = randomUUID(), encounterId: string = randomUUID()): Promise<ExtendablePersonIds> {
    checkGalleries(body.galleries);
    const key = encounterKey(personId, encounterId);
    // Checked before the face work too, which a taken id would waste.
    await this.#mustBeFree(personId, encounterId);
    // The images are encoded once, before the commit (and its retries); a refused image writes nothing.
    const encoded = await encodeFaces(this.model, body.biometricData);
    await this.#change(async () => {
      await this.#mustBeFree(personId, encounterId);
      const now = this.clock().toISOString();
      const record = encounterRecord(personId, encounterId, body, now, now);
      const template = templateRecord(record, encoded);
      const { encounters, templates } = this.records;
      await this.#commit([encounters.insert(record), ...(template ? [templates.insert(template)] : [])], [key], record.galleries);
    });
    return answer(personId, encounterId, encoded);
  }

  /** Replaces the encounter's content (the ids and the creation date stay). */
  async update(personId: string, encounterId: string, body: EncounterBody): Promise<ExtendablePersonIds> {
    checkGalleries(body.galleries);
    await this.#mustExist(personId, encounterId);
    const encoded = await encodeFaces(this.model, body.biometricData);
    const key = encounterKey(personId, encounterId);
    await this.#change(async () => {
      const read = await this.#read(personId, encounterId);
      const created = typeof read.record.createdDate === 'string' ? read.record.createdDate : undefined;
      const record = encounterRecord(personId, encounterId, body, created, this.clock().toISOString());
      await this.#commit(
        [this.records.encounters.put(record, read), ...(await this.#templateWrites(key, templateRecord(record, encoded)))],
        [key],
        record.galleries,
      );
    });
    return answer(personId, encounterId, encoded);
  }

  async readAll(personId: string): Promise<Record<string, unknown>[]> {
    const records = await this.records.encounters.find({ personId });
    if (records.length === 0) throw new NotFoundError(`No person ${personId}`);
    return records.map(encounterView);
  }

  async read(personId: string, encounterId: string): Promise<Record<string, unknown>> {
    const record = await this.records.encounters.get(encounterKey(personId, encounterId));
    if (!record) throw new NotFoundError(`No encounter ${encounterId} of person ${personId}`);
    return encounterView(record);
  }

  /** Deletes the encounter; the person goes with its last one. */
  async delete(personId: string, encounterId: string): Promise<void> {
    const key = encounterKey(personId, encounterId);
    await this.#change(async () => {
      const read = await this.#read(personId, encounterId);
      await this.#commit([this.records.encounters.delete(read), ...(await this.#templateWrites(key, undefined))], [key]);
    });
  }

  /** Deletes the person: every one of its encounters. */
  async deleteAll(personId: string): Promise<void> {
    await this.#change(async () => {
      const reads = await this.records.encounters.findVersioned({ personId });
      if (reads.length === 0) throw new NotFoundError(`No person ${personId}`);
      const templates = await this.records.templates.findVersioned({ personId });
      await this.#commit(
        [...reads.map((read) => this.records.encounters.delete(read)), ...templates.map((read) => this.records.templates.delete(read))],
        reads.map(({ record }) => record._id),
      );
    });
  }

  /** Moves every encounter of the source person to the target, ids kept; the source, left with none, is gone. */
  async merge(targetId: string, sourceId: string): Promise<void> {
    if (targetId === sourceId) throw new InvalidError('A person cannot be merged into itself');
    await this.#change(async () => {
      const reads = await this.records.encounters.findVersioned({ personId: sourceId });
      if (reads.length === 0) throw new NotFoundError(`No person ${sourceId}`);
      await this.#transfer(targetId, reads);
    });
  }

  /** Moves one encounter of the source person to the target, its id kept. */
  async move(targetId: string, sourceId: string, encounterId: string): Promise<void> {
    await this.#change(async () => this.#transfer(targetId, [await this.#read(sourceId, encounterId)]));
  }

  async setStatus(personId: string, encounterId: string, status: string): Promise<void> {
    if (!STATUSES.has(status)) throw new InvalidError(`The status must be ACTIVE or INACTIVE (got ${JSON.stringify(status)})`);
    await this.#amend(personId, encounterId, { status: status as EncounterRecord['status'] });
  }

  async setGalleries(personId: string, encounterId: string, galleries: string[]): Promise<void> {
    checkGalleries(galleries);
    await this.#amend(personId, encounterId, { galleries });
  }

  /** Changes members of the encounter (and of its template record) other than its biometrics. */
  async #amend(personId: string, encounterId: string, change: Partial<EncounterRecord>): Promise<void> {
    const key = encounterKey(personId, encounterId);
    const { encounters, templates } = this.records;
    await this.#change(async () => {
      const read = await this.#read(personId, encounterId);
      const record = { ...read.record, ...change, updatedDate: this.clock().toISOString() };
      const template = await templates.getVersioned(key);
      const writes = template ? [templates.put(withEncounter(template.record, record), template)] : [];
      await this.#commit([encounters.put(record, read), ...writes], [key], record.galleries);
    });
  }

  /** The writes moving the encounters read to the target person: 404 when it has none, 409 on an id it holds already. */
  async #transfer(targetId: string, reads: Versioned<EncounterRecord>[]): Promise<void> {
    const { encounters, templates } = this.records;
    const held = new Set((await encounters.select({ personId: targetId }, ['encounterId'])).map(({ encounterId }) => encounterId));
    if (held.size === 0) throw new NotFoundError(`No person ${targetId}`);
    const clashes = reads.map(({ record }) => record.encounterId).filter((encounterId) => held.has(encounterId));
    if (clashes.length > 0) throw new ConflictError(`Person ${targetId} already has encounter(s) ${clashes.join(', ')}`);
    const writes: Operation[] = [];
    const keys: string[] = [];
    for (const read of reads) {
      const { record } = read;
      const key = encounterKey(targetId, record.encounterId);
      const moved = { ...record, _id: key, personId: targetId };
      writes.push(encounters.delete(read), encounters.insert(moved));
      const template = await templates.getVersioned(record._id);
      if (template) writes.push(templates.delete(template), templates.insert(withEncounter(template.record, moved)));
      keys.push(record._id, key);
    }
    await this.#commit(writes, keys);
  }

  /** The template record's writes bringing it to `next` (absent: the encounter has no face encoded). */
  async #templateWrites(key: string, next: TemplateRecord | undefined): Promise<Operation[]> {
    const { templates } = this.records;
    const read = await templates.getVersioned(key);
    if (next) return [read ? templates.put(next, read) : templates.insert(next)];
    return read ? [templates.delete(read)] : [];
  }

  #change(task: () => Promise<void>): Promise<void> {
    return this.store.change(task, WRITE_ATTEMPTS);
  }

  /** Commits the writes with the change-log entry naming `keys`, and records the galleries used. */
  async #commit(writes: Operation[], keys: string[], galleries: readonly string[] = []): Promise<void> {
    const added = galleries.filter((gallery) => !this.#knownGalleries.has(gallery));
    const galleryWrites = added.map((gallery) => this.records.galleries.put({ _id: gallery }));
    // Read last, just before the commit: the shorter the time from this read to the commit, the fewer conflicts.
    await this.store.commit([...writes, ...galleryWrites, ...(await this.index.logged(keys))]);
    for (const gallery of added) this.#knownGalleries.add(gallery);
  }

  async #read(personId: string, encounterId: string): Promise<Versioned<EncounterRecord>> {
    const read = await this.records.encounters.getVersioned(encounterKey(personId, encounterId));
    if (!read) throw new NotFoundError(`No encounter ${encounterId} of person ${personId}`);
    return read;
  }

  async #mustExist(personId: string, encounterId: string): Promise<void> {
    if (!(await encounterExists(this.records, encounterKey(personId, encounterId)))) throw new NotFoundError(`No encounter ${encounterId} of person ${personId}`);
  }

  async #mustBeFree(personId: string, encounterId: string): Promise<void> {
    if (await encounterExists(this.records, encounterKey(personId, encounterId))) throw new ConflictError(`Person ${personId} already has an encounter ${encounterId}`);
  }

}

/** `ALL` names every gallery in searches and listings: no encounter is filed under that name. */
function checkGalleries(galleries: readonly string[]): void {
  if (galleries.includes(ALL_GALLERIES)) throw new InvalidError(`${ALL_GALLERIES} stands for every gallery: it cannot be the name of one`);
}

/** The record of an encounter as the client gave it; its id and dates are the server's. */
function encounterRecord(personId: string, encounterId: string, body: EncounterBody, createdDate: string | undefined, updatedDate: string): EncounterRecord {
  const { encounterId: _readOnly, createdDate: _created, updatedDate: _updated, ...content } = body;
  return {
    ...content,
    _id: encounterKey(personId, encounterId),
    personId,
    encounterId,
    status: body.status as EncounterRecord['status'],
    ...(createdDate ? { createdDate } : {}),
    updatedDate,
  };
}

function templateRecord(record: EncounterRecord, encoded: EncodedFaces): TemplateRecord | undefined {
  if (encoded.slots.length === 0) return undefined;
  return withEncounter({ _id: record._id, faces: facesBlob(encoded.vectors), slots: encoded.slots } as TemplateRecord, record);
}

/** The template record with what the index reads of its encounter. */
function withEncounter(template: TemplateRecord, record: EncounterRecord): TemplateRecord {
  const bag = (value: unknown) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {});
  return {
    ...template,
    _id: record._id,
    personId: record.personId,
    encounterId: record.encounterId,
    active: record.status === 'ACTIVE',
    galleries: record.galleries,
    attributes: { ...bag(record.contextualData), ...bag(record.biographicData) },
  };
}

export function encounterView(record: EncounterRecord): Record<string, unknown> {
  return Object.fromEntries(ENCOUNTER_MEMBERS.filter((member) => record[member] !== undefined).map((member) => [member, record[member]]));
}

function answer(personId: string, encounterId: string, encoded: EncodedFaces): ExtendablePersonIds {
  const faces = encoded.slots.map(({ item, quality }) => ({ index: item, quality }));
  return { personId, encounterId, others: { faces, notEncoded: encoded.notEncoded } };
}
