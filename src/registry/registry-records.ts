/**
 * How the population registry is laid out in the store.
 * - `pr_persons`: one record per person: `{_id: personId, status, physicalStatus, referenceId?, lastTransactionId}`.
 * - `pr_identities`: one record per identity: `{_id: identityKey, personId, identityId, isReference, bioCount,
 *   lastTransactionId, identity}` where `identity` is the Identity as the client sent it (key order kept,
 *   server-managed dates added); its binaries live in the blob store and its member names are encoded.
 * - `pr_galleries`: every gallery id ever used, `{_id: galleryId}`.
 * - `pr_changes`: one entry per change (transactionId, operationId, the ids concerned, time; no personal data),
 *   written in the same commit as the change.
 */
import type { StoredRecord } from '../storage/document-store.port.js';
import { identityBinaries, type RecordSpec } from '../storage/record-spec.js';

export interface PersonRecord extends StoredRecord {
  status: string;
  physicalStatus: string;
  referenceId?: string;
  lastTransactionId: string;
}

export interface IdentityRecord extends StoredRecord {
  personId: string;
  identityId: string;
  isReference: boolean;
  /** Number of biometric items, for the registry's gauges. */
  bioCount: number;
  lastTransactionId: string;
  identity: Record<string, unknown>;
}

export interface ChangeRecord extends StoredRecord {
  time: string;
  transactionId: string;
  operationId: string;
  [id: string]: string | string[];
}

export const PERSONS: RecordSpec<PersonRecord> = { name: 'pr_persons' };

export function identitySpec(indexedAttributes: readonly string[]): RecordSpec<IdentityRecord> {
  return {
    name: 'pr_identities',
    indexes: [
      { fields: ['personId'] },
      { fields: ['isReference'] },
      { fields: ['bioCount'] },
      { fields: ['identity.galleries'], ranked: true },
      ...indexedAttributes.map((name) => ({ fields: [`identity.biographicData.${name}`] })),
    ],
    encodedKeys: true,
    binaries: identityBinaries('identity'),
  };
}

export const GALLERIES: RecordSpec<StoredRecord> = { name: 'pr_galleries' };
export const CHANGES: RecordSpec<ChangeRecord> = { name: 'pr_changes' };

/** Identity ids are unique within a person only, so the key holds both (encoded: ids may contain anything). */
export function identityKey(personId: string, identityId: string): string {
  return `${encodeURIComponent(personId)}/${encodeURIComponent(identityId)}`;
}
