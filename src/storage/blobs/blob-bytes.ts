/**
 * What an adapter provides for binaries: durable bytes under ids it mints. `ClaimedBlobStore` builds the port's
 * `BlobStore` on top, adding the bookkeeping that keeps blobs and records in step.
 */
import type { Blob } from '../document-store.port.js';

export interface BlobBytes {
  /** A fresh id of the adapter's own format. */
  newId(): string;
  /** Stores the bytes durably under `id`: once it resolves they survive a crash. */
  write(id: string, blob: Blob): Promise<void>;
  /** `get` and `delete` reject ids that are not of the adapter's format (never a path or a query). */
  get(id: string): Promise<Blob | undefined>;
  delete(id: string): Promise<boolean>;
}
