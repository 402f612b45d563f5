/**
 * The sweep of unclaimed blobs (see `BlobStore`): run periodically by the server, in every process sharing the
 * store (sweepers never get in each other's way).
 */
import type { BlobStore } from '../document-store.port.js';

/** Far beyond the time any request takes between writing a blob and committing the record naming it. */
export const BLOB_GRACE_MS = 60 * 60_000;
export const BLOB_SWEEP_INTERVAL_MS = 10 * 60_000;

/** Deletes every blob unclaimed for longer than the grace period; resolves how many went. */
export async function sweepUnclaimedBlobs(blobs: BlobStore, now: Date): Promise<number> {
  const before = new Date(now.getTime() - BLOB_GRACE_MS);
  let total = 0;
  for (let swept = await blobs.sweep(before); swept > 0; swept = await blobs.sweep(before)) total += swept;
  return total;
}
