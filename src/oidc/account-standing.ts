/**
 * Whether a person may still hold a login: the person ACTIVE and ALIVE in the population registry and, for a login
 * made with a credential (the ID card), that credential ACTIVE, unexpired, the person's, and of a profile allowed for
 * logins (`OSIA_OIDC_CARD_PROFILES`). The card login checks it before it succeeds; the provider checks it at every
 * use of a session or token (findAccount), so a death or a revocation ends what a session could still do.
 */
import type { Clock } from '../shared/clock.js';

/** What the standing reads of a person (the registry's person record). */
export interface PersonState {
  status: string;
  physicalStatus: string;
}

/** What the standing reads of a credential (the CMS's credential record). */
export interface CredentialState {
  personId: string;
  status: string;
  credentialProfileId: string;
  expiryDate?: string;
}

export interface AccountStandingSources {
  person(personId: string): Promise<PersonState | undefined>;
  credential(credentialId: string): Promise<CredentialState | undefined>;
  /** The credential profiles whose holders may log in with them. */
  profiles: readonly string[];
  clock: Clock;
}

/** Why a person or a credential no longer stands, in words the person reads; undefined when it stands. */
export type StandingReason = string | undefined;

export class AccountStanding {
  constructor(private readonly sources: AccountStandingSources) {}

  async standing(personId: string, credentialId?: string): Promise<StandingReason> {
    const reason = personReason(await this.sources.person(personId));
    if (reason !== undefined || credentialId === undefined) return reason;
    return this.#credentialReason(personId, await this.sources.credential(credentialId));
  }

  /** The holder of a credential and why they may not log in with it (undefined: they may); undefined for no credential. */
  async holderOf(credentialId: string): Promise<{ personId: string; reason: StandingReason } | undefined> {
    const credential = await this.sources.credential(credentialId);
    if (!credential) return undefined;
    const { personId } = credential;
    return { personId, reason: personReason(await this.sources.person(personId)) ?? this.#credentialReason(personId, credential) };
  }

  #credentialReason(personId: string, credential: CredentialState | undefined): StandingReason {
    if (!credential) return 'This card is not known to the credential register.';
    if (credential.personId !== personId) return 'This card belongs to another person.';
    if (credential.status === 'SUSPENDED') return 'This card is suspended.';
    if (credential.status === 'REVOKED') return 'This card has been revoked.';
    if (credential.status !== 'ACTIVE') return `This card is not active (status ${credential.status}).`;
    if (!this.sources.profiles.includes(credential.credentialProfileId)) {
      return `A ${credential.credentialProfileId} credential cannot be used to log in.`;
    }
    if (credential.expiryDate !== undefined && Date.parse(credential.expiryDate) <= this.sources.clock().getTime()) return 'This card has expired.';
    return undefined;
  }
}

function personReason(person: PersonState | undefined): StandingReason {
  if (!person) return 'This person is not in the population registry.';
  if (person.physicalStatus === 'DEAD') return 'The population registry records this person as deceased.';
  if (person.status !== 'ACTIVE') return `This person's record is not active in the population registry (status ${person.status}).`;
  if (person.physicalStatus !== 'ALIVE') return `This person is not recorded as alive in the population registry (${person.physicalStatus}).`;
  return undefined;
}
