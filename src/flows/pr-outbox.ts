/**
 * The PR's event outbox (`pr_event_outbox`): one record per event to publish, written by the registry in the same
 * atomic batch as the person change it announces (see `ChangeRecorder`), so an event exists if and only if its
 * change committed. The relay publishes the records and deletes them; the change log keeps the history.
 *
 * Which PR operations announce what (OSIA names the events, not the operations behind them):
 * - createPerson → newPerson {uin};
 * - updatePerson and every change to the person's identities (create, update, patch, status, delete, reference;
 *   moveIdentity for both persons) → updatePerson {uin}: what Data Access answers about the person may have changed;
 * - mergePerson → duplicatePerson {uin: the person kept, duplicates: [the person merged into it]};
 *   the issuance workflow also announces the possible duplicates its deduplication finds (`duplicateAnnouncer`);
 * - deletePerson and the `import` command announce nothing (OSIA has no such event; an import is a migration).
 */
import { randomUUID } from 'node:crypto';
import type { ChangeEntry, ChangeRecorder } from '../registry/population-registry.js';
import type { Clock } from '../shared/clock.js';
import type { StoredDocument } from '../storage/document-store.port.js';
import type { LeasedRecord } from '../storage/leased-queue.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Operation, Records, Store } from '../storage/store.js';
import type { PrEvent } from './flow-config.js';

/** The records of the PR's outbox: free ones (`leaseUntil` passed) are what the relay looks for. */
export const PR_OUTBOX: RecordSpec<OutboxRecord> = { name: 'pr_event_outbox', indexes: [{ fields: ['leaseUntil'] }] };

export interface OutboxRecord extends StoredDocument, LeasedRecord {
  type: PrEvent;
  /** The event JSON as it is published. */
  message: string;
  createdAt: string;
}

const IDENTITY_CHANGES = new Set([
  'createIdentity',
  'createIdentityWithId',
  'updateIdentity',
  'partialUpdateIdentity',
  'setIdentityStatus',
  'deleteIdentity',
  'defineReference',
]);

type Announced = { type: PrEvent; body: Record<string, unknown> };

function eventsOf({ operationId, ids }: ChangeEntry): Announced[] {
  const { personId, sourcePersonId } = ids;
  if (operationId === 'createPerson') return [{ type: 'newPerson', body: { uin: personId } }];
  if (operationId === 'updatePerson' || IDENTITY_CHANGES.has(operationId)) return [{ type: 'updatePerson', body: { uin: personId } }];
  if (operationId === 'moveIdentity') {
    return [personId, sourcePersonId].map((uin) => ({ type: 'updatePerson' as const, body: { uin } }));
  }
  if (operationId === 'mergePerson') return [{ type: 'duplicatePerson', body: { uin: personId, duplicates: [sourcePersonId] } }];
  return [];
}

function inserted(outbox: Records<OutboxRecord>, source: string, event: Announced, clock: Clock): Operation {
  const doc: OutboxRecord = {
    _id: randomUUID(),
    type: event.type,
    message: JSON.stringify({ source, ...event.body }),
    createdAt: clock().toISOString(),
    leaseUntil: 0,
  };
  return outbox.insert(doc);
}

/** The recorder writing an outbox record for each event of `published` that a change announces. */
export function outboxRecorder(outbox: Records<OutboxRecord>, source: string, published: readonly PrEvent[], clock: Clock): ChangeRecorder {
  const wanted = new Set(published);
  return (change) =>
    eventsOf(change)
      .filter((event) => wanted.has(event.type))
      .map((event) => inserted(outbox, source, event, clock));
}

/**
 * Announces a duplicate found outside a PR change (the issuance workflow's deduplication: a new person whose face
 * matches `uin`'s): one `duplicatePerson` record, committed alone.
 */
export function duplicateAnnouncer(store: Store, outbox: Records<OutboxRecord>, source: string, clock: Clock) {
  return async (uin: string, duplicates: string[]): Promise<void> => {
    await store.commit([inserted(outbox, source, { type: 'duplicatePerson', body: { uin, duplicates } }, clock)]);
  };
}
