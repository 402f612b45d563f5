/**
 * Large binary payloads stay out of records: an embedded `image` or `template` of a biometric item, the `data` of a
 * document part, or a large `clientData`, is written to the blob store and replaced in the record by a reference.
 * Reads put the exact original string back (it is stored as its UTF-8 bytes, not decoded, so non-canonical base64
 * and encrypted content come back unchanged).
 */
import type { BlobStore } from '../storage/document-store.port.js';

/** Strings longer than this leave the record. Small values (a tiny template, a short clientData) stay inline. */
export const INLINE_LIMIT = 1024;
const BLOB_CONTENT_TYPE = 'text/plain; charset=utf-8';

/** How a moved-out value is kept in the record. */
interface BlobReference {
  blobRef: string;
}

type Json = Record<string, unknown>;

function isBlobReference(value: unknown): value is BlobReference {
  return typeof value === 'object' && value !== null && typeof (value as BlobReference).blobRef === 'string';
}

/** Visits every binary field of an identity-like object: [holder object, field name]. */
function binarySlots(record: Json): [Json, string][] {
  const slots: [Json, string][] = [[record, 'clientData']];
  for (const item of (record.biometricData as Json[] | undefined) ?? []) slots.push([item, 'image'], [item, 'template']);
  for (const document of (record.documentData as Json[] | undefined) ?? []) {
    for (const part of (document.parts as Json[] | undefined) ?? []) slots.push([part, 'data']);
  }
  return slots;
}

/** Returns a copy of `record` with large binaries moved to the blob store, and the ids of the blobs written. */
export async function externalize(record: Json, blobs: BlobStore): Promise<{ record: Json; blobIds: string[] }> {
  const copy = structuredClone(record);
  const blobIds: string[] = [];
  for (const [holder, field] of binarySlots(copy)) {
    const value = holder[field];
    if (typeof value !== 'string' || value.length <= INLINE_LIMIT) continue;
    const blobRef = await blobs.put({ contentType: BLOB_CONTENT_TYPE, data: Buffer.from(value, 'utf8') });
    holder[field] = { blobRef } satisfies BlobReference;
    blobIds.push(blobRef);
  }
  return { record: copy, blobIds };
}

/**
 * Returns a copy of `record` with every moved-out value back in place, or `record` itself when none was moved out
 * (most reads: no copy on the hot path; callers hand in objects of their own).
 */
export async function rehydrate(record: Json, blobs: BlobStore): Promise<Json> {
  if (!binarySlots(record).some(([holder, field]) => isBlobReference(holder[field]))) return record;
  const copy = structuredClone(record);
  for (const [holder, field] of binarySlots(copy)) {
    const value = holder[field];
    if (!isBlobReference(value)) continue;
    const blob = await blobs.get(value.blobRef);
    if (!blob) throw new Error(`blob ${value.blobRef} referenced by a registry record is missing`);
    holder[field] = blob.data.toString('utf8');
  }
  return copy;
}

export async function deleteBlobs(blobIds: readonly string[], blobs: BlobStore): Promise<void> {
  for (const id of blobIds) await blobs.delete(id);
}
