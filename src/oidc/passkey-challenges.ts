/**
 * The challenges of passkey ceremonies, kept in the store (collection `oidc_passkey_challenges`): the options come
 * from one process and the answer may reach another. A challenge is taken once (deleted at the version read, so of
 * two answers racing only one wins), for the ceremony and subject it was issued to, before its expiry on the
 * injected clock.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import { StoreConflictError } from '../storage/document-store.port.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Records } from '../storage/records.js';
import type { Store } from '../storage/store.js';

export type Ceremony = 'registration' | 'authentication';

interface ChallengeRecord {
  /** The challenge itself, base64url. */
  _id: string;
  ceremony: Ceremony;
  /** The person registering a passkey, or the interaction a login answers. */
  subject: string;
  expiresAt: string;
}

const CHALLENGES: RecordSpec<ChallengeRecord> = { name: 'oidc_passkey_challenges', indexes: [{ fields: ['expiresAt'] }] };

const CHALLENGE_BYTES = 32;
/** Expired challenges each new one clears: every challenge comes from an options call, so abandoned ones never pile up. */
const SWEEP_BATCH = 8;

export class PasskeyChallenges {
  private constructor(
    private readonly store: Store,
    private readonly records: Records<ChallengeRecord>,
    private readonly clock: Clock,
    private readonly lifetimeMs: number,
  ) {}

  static async open(store: Store, clock: Clock, lifetimeMs: number): Promise<PasskeyChallenges> {
    return new PasskeyChallenges(store, await store.records(CHALLENGES), clock, lifetimeMs);
  }

  /** A new challenge for `ceremony` by `subject`, stored before it is handed out. */
  async issue(ceremony: Ceremony, subject: string): Promise<string> {
    const challenge = randomBytes(CHALLENGE_BYTES).toString('base64url');
    const now = this.clock();
    const expired = await this.records.select({ expiresAt: { $lt: now.toISOString() } }, ['_id'], { limit: SWEEP_BATCH });
    const expiresAt = new Date(now.getTime() + this.lifetimeMs).toISOString();
    await this.store.commit([this.records.insert({ _id: challenge, ceremony, subject, expiresAt }), ...expired.map(({ _id }) => this.records.delete(_id))]);
    return challenge;
  }

  /** Takes the challenge for good: false when it is unknown, taken already, expired, or another ceremony's or subject's. */
  async take(challenge: string, ceremony: Ceremony, subject: string): Promise<boolean> {
    const read = await this.records.getVersioned(challenge);
    if (!read) return false;
    try {
      await this.store.commit([this.records.delete(read)]);
    } catch (error) {
      if (error instanceof StoreConflictError) return false;
      throw error;
    }
    const { record } = read;
    return record.ceremony === ceremony && record.subject === subject && Date.parse(record.expiresAt) > this.clock().getTime();
  }
}
