/**
 * Every UIN ever issued, kept forever in a collection keyed by the UIN itself: the store's unique key is what
 * guarantees that no UIN is handed out twice, even to concurrent requests or several server processes.
 * Records hold the transaction id and the issue time only, never the person's attributes.
 */
import type { Logger } from 'pino';
import { InvalidError } from '../shared/domain-errors.js';
import { type Collection, DuplicateKeyError, type Storage } from '../storage/document-store.port.js';
import { openCollection } from '../storage/typed-collection.js';
import type { UinGenerator } from './uin-generator.js';
import { type Clock, systemClock } from '../shared/clock.js';

export const ISSUED_UINS = 'issued_uins';

/** Enough that a collision streak means the UIN space is nearly full, not bad luck. */
export const MAX_ATTEMPTS = 10;

/** The whole record: the UIN as key, the transaction that asked for it, and when. */
export type IssuedUin = {
  _id: string;
  transactionId: string;
  issuedAt: string;
};

export class UinRegistry {
  private constructor(
    private readonly issued: Collection<IssuedUin>,
    private readonly generate: UinGenerator,
    private readonly maxAttempts: number,
    private readonly clock: Clock,
  ) {}

  static async open(storage: Storage, generate: UinGenerator, clock: Clock = systemClock, maxAttempts = MAX_ATTEMPTS): Promise<UinRegistry> {
    return new UinRegistry(await openCollection<IssuedUin>(storage.documents, ISSUED_UINS), generate, maxAttempts, clock);
  }

  /** Reserves a fresh UIN for the transaction; a candidate already issued is replaced by a new draw. */
  async issue(transactionId: string, log?: Logger): Promise<string> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const uin = this.generate();
      const record: IssuedUin = { _id: uin, transactionId, issuedAt: this.clock().toISOString() };
      try {
        await this.issued.insert(record);
        return uin;
      } catch (err) {
        if (!(err instanceof DuplicateKeyError)) throw err;
        log?.warn({ attempt }, 'UIN candidate already issued; drawing another');
      }
    }
    log?.error({ attempts: this.maxAttempts }, 'UIN space nearly exhausted: increase OSIA_UIN_LENGTH');
    throw new InvalidError(
      `no new UIN could be generated: ${this.maxAttempts} candidates in a row were already issued (the UIN space is nearly exhausted; the operator must increase OSIA_UIN_LENGTH)`,
    );
  }
}
