/**
 * Every UIN ever issued, kept forever in a collection keyed by the UIN itself: the store's unique key is what
 * guarantees that no UIN is handed out twice, even to concurrent requests or several server processes.
 * Records hold the transaction id and the issue time only, never the person's attributes.
 */
import type { Logger } from 'pino';
import { InvalidError } from '../shared/domain-errors.js';
import { StoreConflictError } from '../storage/document-store.port.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Records } from '../storage/records.js';
import type { Store } from '../storage/store.js';
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

const ISSUED: RecordSpec<IssuedUin> = { name: ISSUED_UINS };

export class UinRegistry {
  private constructor(
    private readonly store: Store,
    private readonly issued: Records<IssuedUin>,
    private readonly generate: UinGenerator,
    private readonly maxAttempts: number,
    private readonly clock: Clock,
  ) {}

  static async open(store: Store, generate: UinGenerator, clock: Clock = systemClock, maxAttempts = MAX_ATTEMPTS): Promise<UinRegistry> {
    return new UinRegistry(store, await store.records(ISSUED), generate, maxAttempts, clock);
  }

  /**
   * Reserves a fresh UIN for the transaction. A candidate already issued fails the insert, and `change` runs the
   * draw again, up to the budget.
   */
  async issue(transactionId: string, log?: Logger): Promise<string> {
    let attempt = 0;
    try {
      return await this.store.change(async () => {
        if (attempt++ > 0) log?.warn({ attempt }, 'UIN candidate already issued; drawing another');
        const uin = this.generate();
        await this.store.commit([this.issued.insert({ _id: uin, transactionId, issuedAt: this.clock().toISOString() })]);
        return uin;
      }, this.maxAttempts);
    } catch (err) {
      if (!(err instanceof StoreConflictError)) throw err;
    }
    log?.error({ attempts: this.maxAttempts }, 'UIN space nearly exhausted: increase OSIA_UIN_LENGTH');
    throw new InvalidError(
      `no new UIN could be generated: ${this.maxAttempts} candidates in a row were already issued (the UIN space is nearly exhausted; the operator must increase OSIA_UIN_LENGTH)`,
    );
  }
}
