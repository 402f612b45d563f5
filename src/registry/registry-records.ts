/**
 * How the population registry is laid out in the document store.
 * - `pr_persons`: one record per person: `{_id: personId, status, physicalStatus, referenceId?, lastTransactionId}`.
 * - `pr_identities`: one record per identity: `{_id: identityKey, personId, identityId, isReference, bioCount,
 *   blobIds, lastTransactionId, identity}` where `identity` is the Identity as the client sent it (key order kept,
 *   server-managed dates added, large binaries replaced by blob references, member names encoded by stored-keys.ts).
 * - `pr_galleries`: every gallery id ever used, `{_id: galleryId}`.
 * - `pr_changes`: one entry per change (transactionId, operationId, the ids concerned, time; no personal data),
 *   written in the same atomic batch as the change.
 */
import type { IndexSpec, StoredDocument } from '../storage/document-store.port.js';

export const PERSONS = 'pr_persons';
export const IDENTITIES = 'pr_identities';
export const GALLERIES = 'pr_galleries';
export const CHANGES = 'pr_changes';

export interface PersonRecord extends StoredDocument {
  status: string;
  physicalStatus: string;
  referenceId?: string;
  lastTransactionId: string;
}

export interface IdentityRecord extends StoredDocument {
  personId: string;
  identityId: string;
  isReference: boolean;
  /** Number of biometric items, for the registry's gauges. */
  bioCount: number;
  blobIds: string[];
  lastTransactionId: string;
  identity: Record<string, unknown>;
}

/** Identity ids are unique within a person only, so the key holds both (encoded: ids may contain anything). */
export function identityKey(personId: string, identityId: string): string {
  return `${encodeURIComponent(personId)}/${encodeURIComponent(identityId)}`;
}

export function identityIndexes(indexedAttributes: readonly string[]): IndexSpec[] {
  return [
    { fields: ['personId'] },
    { fields: ['isReference'] },
    { fields: ['bioCount'] },
    { fields: ['identity.galleries'], ranked: true },
    ...indexedAttributes.map((name) => ({ fields: [`identity.biographicData.${name}`] })),
  ];
}
