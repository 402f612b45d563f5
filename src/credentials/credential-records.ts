/**
 * Stored credential requests and credentials. A record holds the OSIA fields as the client sent them plus server
 * fields that are never answered: timestamps, the last transactionId, the producer and its state, and the status
 * history of a credential. How they are stored (keys encoded, binaries in the blob store): credential-store.ts.
 */
import type { components } from '../../generated/cms.js';
import type { CredentialStatus, ProducerState } from './credential-producer.port.js';

export type CredentialRequest = components['schemas']['CredentialRequest'];
export type CredentialData = components['schemas']['CredentialData'];
export type RequestStatus = NonNullable<CredentialRequest['status']>;

/** OSIA fields in schema order: answers follow it. */
export const REQUEST_FIELDS = [
  'credentialRequestId',
  'status',
  'requestData',
  'personId',
  'biographicData',
  'biometricData',
  'credentialIds',
  'encryption',
  'integrity',
] as const satisfies readonly (keyof CredentialRequest)[];

export const CREDENTIAL_FIELDS = [
  'credentialId',
  'status',
  'statusOther',
  'credentialNumber',
  'personId',
  'credentialProfileId',
  'credentialProfileVersion',
  'credentialProfileSubtype',
  'numberOfPages',
  'issuedDate',
  'expiryDate',
  'serialNumber',
  'issuingAuthority',
  'issuingPlace',
  'others',
] as const satisfies readonly (keyof CredentialData)[];

/** The fields updateCredential may change; every other CredentialData field is read-only. */
export const WRITABLE_CREDENTIAL_FIELDS = ['expiryDate', 'issuingAuthority', 'issuingPlace', 'others'] as const;

interface ServerFields {
  createdAt: string;
  updatedAt: string;
  /** transactionId of the last change. */
  transactionId: string;
  /** The producer serving the record (from the profile when the record was made). */
  producer: string;
  producerState?: ProducerState;
}

export type StoredRequest = { _id: string } & CredentialRequest &
  ServerFields & {
    credentialRequestId: string;
    status: RequestStatus;
    credentialIds: string[];
  };

/** One recorded status change of a credential (kept in the record, never answered). */
export interface StatusChange {
  time: string;
  /** Absent for the entry that records the issuance. */
  from?: CredentialStatus;
  to: CredentialStatus;
  statusOther?: string;
  reason?: string;
  requester?: string;
  comment?: string;
  transactionId: string;
}

export type StoredCredential = { _id: string } & CredentialData &
  ServerFields & {
    credentialRequestId: string;
    history: StatusChange[];
  };

/** The OSIA view of a record: its OSIA fields, in schema order, nothing else. */
export function osiaView<T extends object>(record: object, fields: readonly (keyof T & string)[]): T {
  const source = record as Record<string, unknown>;
  const view: Record<string, unknown> = {};
  for (const field of fields) if (source[field] !== undefined) view[field] = source[field];
  return view as T;
}
