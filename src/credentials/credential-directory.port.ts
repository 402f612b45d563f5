/**
 * The read-only view of issued credentials that other interfaces use (Third Party Services resolves
 * `identifierType=credentialNumber` and answers `outputCredentialData` from it). The CMS owns the records.
 */
import type { CredentialProfile, CredentialStatus } from './credential-producer.port.js';

/** A type (not an interface), so that it reads as a plain JSON record where attributes are projected. */
export type CredentialSummary = {
  credentialId: string;
  status: CredentialStatus;
  statusOther?: string;
  credentialNumber?: string;
  personId: string;
  credentialProfileId: string;
  /** From the credential's profile (ID_CARD, SMARTCARD, MOBILE …). */
  credentialType?: CredentialProfile['credentialType'];
  issuedDate?: string;
  expiryDate?: string;
  serialNumber?: string;
  issuingAuthority?: string;
  issuingPlace?: string;
  others?: Record<string, unknown>;
};

export interface CredentialDirectory {
  /** Every credential carrying this number (normally one; replaced cards may share it). */
  findByNumber(credentialNumber: string): Promise<CredentialSummary[]>;
  /** Every credential of the person, oldest first. */
  listForPerson(personId: string): Promise<CredentialSummary[]>;
}
