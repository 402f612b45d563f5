/**
 * Whether a person may still hold a login: the person ACTIVE and ALIVE in the population registry and, for a login
 * made with a credential (the ID card), that credential ACTIVE, unexpired, the person's, and of a profile allowed for
 * logins (`OSIA_OIDC_CARD_PROFILES`). The card login checks it before it succeeds; the provider checks it at every
 * use of a session or token (findAccount), so a death or a revocation ends what a session could still do.
 */
import type { Clock } from '../shared/clock.js';
import type { RefusalReason } from './refusals.js';

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

/** Why a person or a credential no longer stands (a sentence the person reads); undefined when it stands. */
export type StandingReason = RefusalReason | undefined;

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
    if (!credential) return { refusal: 'unknownCard' };
    if (credential.personId !== personId) return { refusal: 'otherHolder' };
    if (credential.status === 'SUSPENDED') return { refusal: 'cardSuspended' };
    if (credential.status === 'REVOKED') return { refusal: 'cardRevoked' };
    if (credential.status !== 'ACTIVE') return { refusal: 'cardInactive', values: { status: credential.status } };
    if (!this.sources.profiles.includes(credential.credentialProfileId)) {
      return { refusal: 'profileNotAllowed', values: { profile: credential.credentialProfileId } };
    }
    if (credential.expiryDate !== undefined && Date.parse(credential.expiryDate) <= this.sources.clock().getTime()) return { refusal: 'cardExpired' };
    return undefined;
  }
}

function personReason(person: PersonState | undefined): StandingReason {
  if (!person) return { refusal: 'unknownPerson' };
  if (person.physicalStatus === 'DEAD') return { refusal: 'deceased' };
  if (person.status !== 'ACTIVE') return { refusal: 'personInactive', values: { status: person.status } };
  if (person.physicalStatus !== 'ALIVE') return { refusal: 'notAlive', values: { status: person.physicalStatus } };
  return undefined;
}
