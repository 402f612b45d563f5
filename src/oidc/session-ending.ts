/**
 * The end of a person's sessions when they may no longer hold one: a PR change that can take the person out of
 * standing (updatePerson, as the `death` reaction makes DEAD; deletePerson; mergePerson, for the person merged away)
 * or a credential leaving ACTIVE (SUSPENDED, REVOKED …). The registry and the credential store write one
 * `oidc_session_endings` record in the commit of the change, so the ending is owed exactly when the change committed;
 * the job works the records through the leased queue (ADR 0142), at least once, and asks the provider to end the
 * person's sessions when the person or the credential no longer stands (AccountStanding, read then: an update that
 * left the person ACTIVE and ALIVE ends nothing). New logins are refused by the standing anyway.
 */
import type { Logger } from 'pino';
import type { CredentialStatusRecorder } from '../credentials/credential-store.js';
import type { ChangeRecorder } from '../registry/population-registry.js';
import type { Clock } from '../shared/clock.js';
import { timeOrderedId } from '../shared/time-ordered-id.js';
import { LeasedQueue, type LeasedRecord } from '../storage/leased-queue.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Records, Store } from '../storage/store.js';
import type { AccountStanding } from './account-standing.js';

export interface SessionEndingRecord extends LeasedRecord {
  personId: string;
  /** The credential whose status changed; absent for a PR change. */
  credentialId?: string;
  /** The PR operation, or the credential's new status: for the logs. */
  cause: string;
  createdAt: string;
}

/** Free records (`leaseUntil` passed) are what the job looks for. */
export const SESSION_ENDINGS: RecordSpec<SessionEndingRecord> = { name: 'oidc_session_endings', indexes: [{ fields: ['leaseUntil'] }] };

/** The provider's port: ends every session (and the grants and tokens bound to it) of the account. */
export type EndSessionsOf = (personId: string) => Promise<void>;

/** The PR operations that may take a person out of standing, and whose sessions they concern. */
const PERSON_OF: Record<string, 'personId' | 'sourcePersonId'> = { updatePerson: 'personId', deletePerson: 'personId', mergePerson: 'sourcePersonId' };

/** How long the job holds a record: far longer than ending a person's sessions takes. */
const LEASE_MS = 60_000;
/** When a record whose ending failed is tried again. */
const RETRY_MS = 30_000;

function ending(personId: string, cause: string, clock: Clock, credentialId?: string): SessionEndingRecord {
  const now = clock();
  return { _id: timeOrderedId(now), personId, ...(credentialId ? { credentialId } : {}), cause, createdAt: now.toISOString(), leaseUntil: 0 };
}

/** The recorder adding a session-ending record to the commit of every PR change that may end a person's standing. */
export function personChangeRecorder(outbox: Records<SessionEndingRecord>, clock: Clock): ChangeRecorder {
  return ({ operationId, ids }) => {
    const member = PERSON_OF[operationId];
    const personId = member && ids[member];
    return typeof personId === 'string' ? [outbox.insert(ending(personId, operationId, clock))] : [];
  };
}

/** The recorder adding a session-ending record to the commit of every credential status change away from ACTIVE. */
export function credentialStatusRecorder(outbox: Records<SessionEndingRecord>, clock: Clock): CredentialStatusRecorder {
  return ({ credentialId, personId, to }) => (to === 'ACTIVE' ? [] : [outbox.insert(ending(personId, `credential ${to}`, clock, credentialId))]);
}

export interface SessionEndingParts {
  standing: Pick<AccountStanding, 'standing'>;
  endSessionsOf: EndSessionsOf;
  clock: Clock;
  logger: Logger;
}

export class SessionEnding {
  private constructor(
    private readonly queue: LeasedQueue<SessionEndingRecord>,
    private readonly parts: SessionEndingParts,
    private readonly logger: Logger,
  ) {}

  static async open(store: Store, parts: SessionEndingParts): Promise<SessionEnding> {
    const queue = new LeasedQueue(store, await store.records(SESSION_ENDINGS), { now: () => parts.clock().getTime(), leaseMs: LEASE_MS });
    return new SessionEnding(queue, parts, parts.logger.child({ job: 'session ending' }));
  }

  /** One round over the due records; resolves how many were worked. */
  runOnce(): Promise<number> {
    return this.queue.workEach({}, (record) => this.#end(record), (err, { cause }) => {
      this.logger.warn({ err, cause }, 'session ending: the provider failed, tried again later');
      return this.queue.now() + RETRY_MS;
    });
  }

  async #end({ personId, credentialId }: SessionEndingRecord): Promise<void> {
    if ((await this.parts.standing.standing(personId, credentialId)) === undefined) return;
    await this.parts.endSessionsOf(personId);
  }
}
