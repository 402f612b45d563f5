import type { Collection, DocumentStore, IndexSpec, StoredRecord } from './document-store.port.js';

/**
 * Opens a collection as one of records of type `T`, so that domain code reads its records without casts. The one
 * cast of the typed store is here: the records of a collection are written only through its typed view, as `T`.
 */
export async function openCollection<T extends StoredRecord>(documents: DocumentStore, name: string, indexes?: IndexSpec[]): Promise<Collection<T>> {
  return (await documents.collection(name, indexes)) as unknown as Collection<T>;
}
