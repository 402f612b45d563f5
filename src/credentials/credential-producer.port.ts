/**
 * The port between the Credential Management interface and whatever produces credentials: the built-in issuer,
 * the built-in PKI issuer, or an upstream card bureau reached through its own OSIA CMS interface. Each credential
 * profile of the catalogue names the producer that serves it.
 */
import type { components } from '../../generated/cms.js';

export type RequestData = components['schemas']['RequestData'];
export type BiometricData = components['schemas']['BiometricData'];
export type CredentialProfile = components['schemas']['CredentialProfile'];
export type CredentialStatus = components['schemas']['CredentialData']['status'];

/** Back-end state kept with a request or a credential (certificate serials, upstream ids); never answered. */
export type ProducerState = Record<string, unknown>;

/** The catalogue's settings of a profile beyond OSIA's CredentialProfile fields; never answered to clients. */
export interface ProfileSettings {
  /** `internal`, `pki` or a bureau name. */
  producer: string;
  /** pki only: the certificates to issue with each credential. */
  certificates?: string[];
  /** Bureau only: the profile id at the bureau (the catalogue fills in `credentialProfileId` when absent). */
  upstreamProfileId?: string;
}

/** What a producer is asked to make: an accepted credential request and the profile it names. */
export interface ProductionOrder {
  credentialRequestId: string;
  transactionId: string;
  personId: string;
  biographicData: Record<string, unknown>;
  biometricData?: BiometricData[];
  requestData: RequestData;
  profile: CredentialProfile;
  /** How the catalogue says this profile is produced (always set by the CMS). */
  settings?: ProfileSettings;
}

/** A credential as a producer hands it over; the CMS stores it and answers it as CredentialData. */
export interface ProducedCredential {
  /** Chosen by the CMS when absent. */
  credentialId?: string;
  status: 'NEW' | 'ACTIVE';
  credentialNumber?: string;
  serialNumber?: string;
  issuedDate?: string;
  expiryDate?: string;
  issuingAuthority?: string;
  issuingPlace?: string;
  others?: Record<string, unknown>;
  producerState?: ProducerState;
}

export type ProductionOutcome =
  | { status: 'ISSUED'; credentials: ProducedCredential[] }
  /** Accepted, finished later: the CMS asks again through `poll` (on reads and periodically). */
  | { status: 'PENDING'; producerState: ProducerState }
  | { status: 'FAILED'; reason: string };

/** A change of an issued credential that the producer must follow (certificates, upstream bureau). */
export interface CredentialChange {
  credentialId: string;
  transactionId: string;
  from: CredentialStatus;
  to: CredentialStatus;
  reason?: string;
  producerState?: ProducerState;
}

export interface CredentialProducer {
  /** The name profiles use to choose this producer (`internal`, `pki`, or a bureau's name). */
  readonly name: string;
  /** Starts production; may finish at once (ISSUED or FAILED) or later (PENDING). */
  produce(order: ProductionOrder): Promise<ProductionOutcome>;
  /** How a PENDING production stands now; producers that always finish at once leave it out. */
  poll?(order: ProductionOrder, state: ProducerState): Promise<ProductionOutcome>;
  /**
   * The client replaced a PENDING request (updateCredentialRequest; `order` is the new content). Throwing refuses
   * the update; the returned state, when any, replaces the request's. Producers without it accept any update.
   */
  updated?(order: ProductionOrder, state: ProducerState): Promise<ProducerState | undefined>;
  /** The client cancelled a PENDING request. */
  cancel?(order: ProductionOrder, state: ProducerState): Promise<void>;
  /**
   * Keeps the producer in step before a status change is recorded (certificate hold, revocation, upstream
   * suspend …). Throwing refuses the change; the returned state, when any, replaces the credential's. It brings the
   * producer to `to` whatever it was told before: a change that lost a race with another is told again, from the
   * fresh status (see CredentialService.changeStatus).
   */
  statusChanged?(change: CredentialChange): Promise<ProducerState | undefined>;
}
