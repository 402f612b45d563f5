/**
 * The port's `BlobStore` for both adapters: the adapter's bytes plus a ledger of unclaimed blobs in the document
 * store (`blobs_unclaimed`, one entry per blob no committed record names yet or any more).
 *
 * The entry is written before the bytes, so a crash at any point leaves an entry the sweep will find. An entry
 * is created at version 1; `claim` deletes it at that version, and the sweep first marks it `doomed` (version 2):
 * whichever comes first wins, so a late claim fails its batch rather than name bytes about to be deleted.
 */
import {
  type Blob,
  type BlobStore,
  type Collection,
  type DocumentStore,
  type StoredDocument,
  VersionConflictError,
  type WriteOp,
} from '../document-store.port.js';
import { openCollection } from '../typed-collection.js';
import type { BlobBytes } from './blob-bytes.js';

const UNCLAIMED = 'blobs_unclaimed';
const FRESH = 1;

type UnclaimedEntry = StoredDocument & { since: string; doomed?: true };

export class ClaimedBlobStore implements BlobStore {
  private constructor(
    private readonly documents: DocumentStore,
    private readonly unclaimed: Collection<UnclaimedEntry>,
    private readonly bytes: BlobBytes,
    private readonly now: () => Date,
  ) {}

  static async open(documents: DocumentStore, bytes: BlobBytes, now: () => Date): Promise<ClaimedBlobStore> {
    const unclaimed = await openCollection<UnclaimedEntry>(documents, UNCLAIMED, [{ fields: ['since'] }]);
    return new ClaimedBlobStore(documents, unclaimed, bytes, now);
  }

  async put(blob: Blob): Promise<string> {
    const id = this.bytes.newId();
    await this.unclaimed.insert(this.#entry(id));
    await this.bytes.write(id, blob);
    return id;
  }

  get(id: string): Promise<Blob | undefined> {
    return this.bytes.get(id);
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.bytes.delete(id);
    await this.unclaimed.delete(id);
    return deleted;
  }

  claim(ids: readonly string[]): WriteOp[] {
    return ids.map((id) => ({ collection: UNCLAIMED, op: 'delete', id, expectedVersion: FRESH }));
  }

  release(ids: readonly string[]): WriteOp[] {
    return ids.map((id) => ({ collection: UNCLAIMED, op: 'put', doc: this.#entry(id) }));
  }

  async sweep(before: Date, limit = 500): Promise<number> {
    const stale = await this.unclaimed.find({ since: { $lt: before.toISOString() } }, { limit });
    let swept = 0;
    for (const entry of stale) {
      if (!entry.doomed && !(await this.#doom(entry))) continue;
      await this.bytes.delete(entry._id);
      await this.unclaimed.delete(entry._id);
      swept += 1;
    }
    return swept;
  }

  /** Resolves false when a claim (or another sweeper) got there first. */
  async #doom(entry: UnclaimedEntry): Promise<boolean> {
    try {
      await this.documents.applyAtomically([
        { collection: UNCLAIMED, op: 'put', doc: { ...entry, doomed: true }, expectedVersion: FRESH },
      ]);
      return true;
    } catch (error) {
      if (error instanceof VersionConflictError) return false;
      throw error;
    }
  }

  #entry(id: string): UnclaimedEntry {
    return { _id: id, since: this.now().toISOString() };
  }
}
