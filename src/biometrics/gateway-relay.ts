/**
 * Where the vendor's ABIS sends the results of the calls forwarded with a callback:
 * `<public URL><abis prefix>/relay/v1/tasks/<taskId>/<operationId>/<secret>`, where the secret is
 * base64url(HMAC-SHA-256(key, taskId 0x00 operationId)). The key is 32 random bytes kept in the store
 * (`abis_relay_keys`, made once, shared by every process on the store, as the event callback secrets are), so the
 * vendor gets no token of ours, nothing per task is stored, and any process can check any address. The operation in
 * the address says which schema the vendor's payload must follow; the secret covers it, so it cannot be swapped.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StoredDocument } from '../storage/document-store.port.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Store } from '../storage/store.js';
import type { AbisOperationId } from './abis-engine.port.js';

export const RELAY_KEYS: RecordSpec<RelayKeyRecord> = { name: 'abis_relay_keys' };

export interface RelayKeyRecord extends StoredDocument {
  /** base64url of 32 random bytes. */
  key: string;
}

export class RelayAddresses {
  private constructor(
    private readonly key: Buffer,
    /** The public URL of our ABIS interface (`https://id.example/abis`). */
    private readonly base: string,
  ) {}

  /** Reads the key, made on first use; of two processes making it at once, the unique id keeps the first. */
  static async open(store: Store, base: string): Promise<RelayAddresses> {
    const keys = await store.records(RELAY_KEYS);
    const record = await store.getOrInsert(keys, { _id: 'relay', key: randomBytes(32).toString('base64url') });
    return new RelayAddresses(Buffer.from(record.key, 'base64url'), base);
  }

  address(taskId: string, operationId: AbisOperationId): string {
    return `${this.base}/relay/v1/tasks/${encodeURIComponent(taskId)}/${operationId}/${this.#secret(taskId, operationId)}`;
  }

  /** Whether `secret` is the one of that task and operation (compared in constant time). */
  accepts(taskId: string, operationId: string, secret: string): boolean {
    const expected = Buffer.from(this.#secret(taskId, operationId));
    const given = Buffer.from(secret);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  #secret(taskId: string, operationId: string): string {
    return createHmac('sha256', this.key).update(`${taskId}\0${operationId}`).digest('base64url');
  }
}
