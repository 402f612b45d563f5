/**
 * PR changes mirrored into the ABIS, so that a person's faces follow the person: deletePerson → deleteAll,
 * mergePerson → mergeEncounter, moveIdentity → moveEncounter of the encounter with the identity's id (the issuance
 * workflow enrols an identity's faces as the encounter of that id, as OSIA's issuance use case does). The PR writes
 * one `abis_mirror_outbox` record in the commit of the change (`mirrorRecorder`), so a mirror is owed exactly when
 * the change committed; the job applies the records through the leased queue (ADR 0142), at least once, oldest
 * first. Every application is idempotent: a 404 means nothing (or nothing more) to do, an encounter copied earlier
 * answers 409. A change the ABIS refuses for good (a clash of encounter ids) is logged and dropped; an ABIS that
 * fails ends the round and the record waits for its lease.
 */
import type { Logger } from 'pino';
import type { ChangeEntry, ChangeRecorder } from '../registry/population-registry.js';
import type { Clock } from '../shared/clock.js';
import { ConflictError, InvalidError } from '../shared/domain-errors.js';
import { timeOrderedId } from '../shared/time-ordered-id.js';
import { LeasedQueue, type LeasedRecord } from '../storage/leased-queue.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Records, Store } from '../storage/store.js';
import type { AbisClient } from './abis-client.js';

const MIRRORED = ['deletePerson', 'mergePerson', 'moveIdentity'] as const;
type Mirrored = (typeof MIRRORED)[number];

export interface MirrorRecord extends LeasedRecord {
  operationId: Mirrored;
  /** The ids of the PR change: `personId`, and `sourcePersonId` (merge, move), `identityId` (move). */
  personId: string;
  sourcePersonId?: string;
  identityId?: string;
  transactionId: string;
  createdAt: string;
}

/** Free records (`leaseUntil` passed) are what the job looks for; time-ordered ids keep them in change order. */
export const ABIS_MIRROR: RecordSpec<MirrorRecord> = { name: 'abis_mirror_outbox', indexes: [{ fields: ['leaseUntil'] }] };

/** How long the job holds a record: far longer than a few ABIS calls. */
const MIRROR_LEASE_MS = 5 * 60_000;

const isMirrored = (operationId: string): operationId is Mirrored => (MIRRORED as readonly string[]).includes(operationId);
const idOf = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

/** The recorder adding a mirror record to the commit of every PR change the ABIS must follow. */
export function mirrorRecorder(outbox: Records<MirrorRecord>, clock: Clock): ChangeRecorder {
  return ({ operationId, ids, transactionId }: ChangeEntry) => {
    const personId = idOf(ids.personId);
    if (!isMirrored(operationId) || personId === undefined) return [];
    const now = clock();
    const sourcePersonId = idOf(ids.sourcePersonId);
    const identityId = idOf(ids.identityId);
    const record: MirrorRecord = {
      _id: timeOrderedId(now),
      operationId,
      personId,
      ...(sourcePersonId === undefined ? {} : { sourcePersonId }),
      ...(identityId === undefined ? {} : { identityId }),
      transactionId,
      createdAt: now.toISOString(),
      leaseUntil: 0,
    };
    return [outbox.insert(record)];
  };
}

type Encounter = Record<string, unknown> & { encounterId: string };

export class AbisMirror {
  private constructor(
    private readonly queue: LeasedQueue<MirrorRecord>,
    private readonly abis: AbisClient,
    private readonly logger: Logger,
  ) {}

  static async open(store: Store, abis: AbisClient, options: { clock: Clock; logger: Logger }): Promise<AbisMirror> {
    const queue = new LeasedQueue(store, await store.records(ABIS_MIRROR), { now: () => options.clock().getTime(), leaseMs: MIRROR_LEASE_MS });
    return new AbisMirror(queue, abis, options.logger.child({ job: 'abis mirror' }));
  }

  /** One round over the due records; resolves how many were applied. */
  runOnce(): Promise<number> {
    return this.queue.workEach({}, (record) => this.#apply(record), (err, { operationId, transactionId }) => {
      this.logger.warn({ err, operationId, transactionId }, 'ABIS mirror: the ABIS failed, tried again later');
      return undefined;
    });
  }

  async #apply(record: MirrorRecord): Promise<void> {
    const { operationId, personId, sourcePersonId = '', identityId = '', transactionId } = record;
    try {
      if (operationId === 'deletePerson') await this.abis.run('deleteAll', transactionId, { personId });
      if (operationId === 'mergePerson') await this.#merge(personId, sourcePersonId, transactionId);
      if (operationId === 'moveIdentity') await this.#move(personId, sourcePersonId, identityId, transactionId);
    } catch (err) {
      // Refused for good: another try would be refused again, and would hold up the records after it.
      if (!(err instanceof ConflictError || err instanceof InvalidError)) throw err;
      this.logger.warn({ operationId, transactionId, reason: err.message }, 'ABIS mirror: the ABIS refused the change; not mirrored');
    }
  }

  async #merge(target: string, source: string, transactionId: string): Promise<void> {
    const path = { personIdTarget: target, personIdSource: source };
    // 204: merged. 404: the source has no encounter (nothing to do), or the target none (copied one by one).
    if ((await this.abis.run('mergeEncounter', transactionId, path)) !== undefined) return;
    const encounters = (await this.abis.run('readAllEncounters', transactionId, { personId: source }))?.body as Encounter[] | undefined;
    for (const encounter of encounters ?? []) await this.#relocate(target, source, encounter, transactionId);
  }

  async #move(target: string, source: string, encounterId: string, transactionId: string): Promise<void> {
    const path = { personIdTarget: target, personIdSource: source, encounterId };
    if ((await this.abis.run('moveEncounter', transactionId, path)) !== undefined) return;
    const encounter = (await this.abis.run('readEncounter', transactionId, { personId: source, encounterId }))?.body as Encounter | undefined;
    if (encounter) await this.#relocate(target, source, encounter, transactionId);
  }

  /** Copies an encounter to a person the ABIS does not know yet (409: copied by an earlier try), then deletes it. */
  async #relocate(target: string, source: string, encounter: Encounter, transactionId: string): Promise<void> {
    const { encounterId, createdDate: _created, updatedDate: _updated, ...body } = encounter;
    await this.abis.run('createEncounter', transactionId, { personId: target, encounterId }, { body, orConflict: true });
    await this.abis.run('deleteEncounter', transactionId, { personId: source, encounterId });
  }
}
