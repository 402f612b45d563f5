/**
 * Passkeys (WebAuthn, ADR 0175): a person registers one during a card-authenticated session and later signs in with
 * it at the level `substantial`. The ceremonies are @simplewebauthn/server's; this service keeps the challenges in
 * the store (passkey-challenges.ts), the passkeys in `oidc_passkeys` (one record per credential id, the public key
 * as a binary) and each person's random user handle in `oidc_passkey_users` (never the UIN: the authenticator
 * keeps it and hands it to whoever asks for discoverable credentials).
 */
import { randomBytes } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Clock } from '../shared/clock.js';
import { ConflictError, InvalidError, NotFoundError } from '../shared/domain-errors.js';
import { DuplicateKeyError } from '../storage/document-store.port.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Records } from '../storage/records.js';
import type { Store } from '../storage/store.js';
import { LoginRefused, type LoginResult } from './login-methods.js';
import { refusalText } from './refusals.js';
import { type Ceremony, PasskeyChallenges } from './passkey-challenges.js';

interface PasskeyRecord {
  /** The credential id, base64url. */
  _id: string;
  personId: string;
  /** The COSE public key. */
  publicKey: Buffer;
  /** The authenticator's signature counter at the last login (0 for authenticators that keep none). */
  counter: number;
  transports: string[];
  /** A synced passkey (backup eligible) may leave the device: its logins say `swk`, not `hwk`. */
  synced: boolean;
  createdAt: string;
  lastUsedAt?: string;
}

interface PasskeyUser {
  /** The person (UIN). */
  _id: string;
  /** The WebAuthn user handle, base64url: random, one per person. */
  handle: string;
}

const PASSKEYS: RecordSpec<PasskeyRecord> = { name: 'oidc_passkeys', indexes: [{ fields: ['personId'] }], binaries: ['publicKey'] };
const USERS: RecordSpec<PasskeyUser> = { name: 'oidc_passkey_users' };

/** How long a person has to answer a ceremony (the browser's timeout too). */
export const CEREMONY_TIMEOUT_MS = 5 * 60_000;
const HANDLE_BYTES = 32;

/** A passkey as its owner sees it on the "my data" page. */
export interface PasskeySummary {
  id: string;
  createdAt: string;
  lastUsedAt?: string;
  synced: boolean;
  transports: string[];
}

export interface PasskeyOptions {
  /** `OSIA_PUBLIC_URL`: its host is the relying party id, its origin the only one answers may come from. */
  publicUrl: string;
  clock: Clock;
  /** Whether the person may still sign in (ACTIVE and ALIVE in the registry). */
  standing: (personId: string) => Promise<boolean>;
  /** The account name the authenticator shows the person (their name), never a secret. */
  accountName: (personId: string) => Promise<string>;
}

/** The challenge a ceremony's answer signed, read from its clientDataJSON (the library checks it all again). */
function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const { challenge } = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof challenge === 'string' ? challenge : undefined;
  } catch {
    return undefined;
  }
}

const STALE = refusalText({ refusal: 'passkeyStale' }, 'en');

const summaryOf = ({ _id, createdAt, lastUsedAt, synced, transports }: Omit<PasskeyRecord, 'publicKey' | 'personId' | 'counter'>): PasskeySummary => ({
  id: _id,
  createdAt,
  ...(lastUsedAt ? { lastUsedAt } : {}),
  synced,
  transports,
});

export class Passkeys {
  readonly #rp: { id: string; name: string; origin: string };

  private constructor(
    private readonly store: Store,
    private readonly passkeys: Records<PasskeyRecord>,
    private readonly users: Records<PasskeyUser>,
    private readonly challenges: PasskeyChallenges,
    private readonly options: PasskeyOptions,
  ) {
    const url = new URL(options.publicUrl);
    this.#rp = { id: url.hostname, name: url.host, origin: url.origin };
  }

  static async open(store: Store, options: PasskeyOptions): Promise<Passkeys> {
    const challenges = await PasskeyChallenges.open(store, options.clock, CEREMONY_TIMEOUT_MS);
    return new Passkeys(store, await store.records(PASSKEYS), await store.records(USERS), challenges, options);
  }

  /** The options of `navigator.credentials.create` for the person (their passkeys excluded: one per authenticator). */
  async registrationOptions(personId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const [user, existing, name] = await Promise.all([this.#userOf(personId), this.list(personId), this.options.accountName(personId)]);
    return generateRegistrationOptions({
      rpName: this.#rp.name,
      rpID: this.#rp.id,
      userID: Buffer.from(user.handle, 'base64url'),
      userName: name,
      userDisplayName: name,
      challenge: Buffer.from(await this.challenges.issue('registration', personId), 'base64url'),
      timeout: CEREMONY_TIMEOUT_MS,
      attestationType: 'none',
      excludeCredentials: existing.map(({ id, transports }) => ({ id, transports: transports as AuthenticatorTransportFuture[] })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    });
  }

  /** Verifies the answer of `navigator.credentials.create` and keeps the new passkey. */
  async register(personId: string, response: RegistrationResponseJSON): Promise<PasskeySummary> {
    const challenge = await this.#take(response.response.clientDataJSON, 'registration', personId);
    if (!challenge) throw new InvalidError(STALE);
    let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      verified = await verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: this.#rp.origin, expectedRPID: this.#rp.id });
    } catch {
      throw new InvalidError('The new passkey could not be verified');
    }
    if (!verified.verified) throw new InvalidError('The new passkey could not be verified');
    const { credential, credentialBackedUp, credentialDeviceType } = verified.registrationInfo;
    const record: PasskeyRecord = {
      _id: credential.id,
      personId,
      publicKey: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? [],
      synced: credentialDeviceType === 'multiDevice' || credentialBackedUp,
      createdAt: this.options.clock().toISOString(),
    };
    try {
      await this.store.commit([this.passkeys.insert(record)]);
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new ConflictError('This passkey is registered already');
      throw error;
    }
    return summaryOf(record);
  }

  /** The options of `navigator.credentials.get` for a login in `interactionId`: discoverable credentials, any person. */
  async authenticationOptions(interactionId: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const { rpId, challenge, timeout, userVerification } = await generateAuthenticationOptions({
      rpID: this.#rp.id,
      challenge: Buffer.from(await this.challenges.issue('authentication', interactionId), 'base64url'),
      timeout: CEREMONY_TIMEOUT_MS,
      userVerification: 'required',
    });
    // Only the members that have a value: discoverable credentials, so no allowCredentials.
    return { rpId, challenge, timeout, userVerification };
  }

  /**
   * The person an answer of `navigator.credentials.get` proves, for the login in `interactionId`. The counter is
   * written at the version read: of two logins racing with one passkey, the second is judged on the first's counter.
   */
  async authenticate(interactionId: string, response: AuthenticationResponseJSON): Promise<LoginResult> {
    const challenge = await this.#take(response.response.clientDataJSON, 'authentication', interactionId);
    if (!challenge) throw new LoginRefused({ refusal: 'passkeyStale' });
    const used = await this.store.change(async () => {
      const read = await this.passkeys.getVersioned(response.id);
      if (!read) throw new LoginRefused({ refusal: 'passkeyUnknown' });
      const { record } = read;
      if (response.response.userHandle !== undefined && response.response.userHandle !== (await this.users.get(record.personId))?.handle) {
        throw new LoginRefused({ refusal: 'passkeyOtherAccount' });
      }
      let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
      try {
        verified = await verifyAuthenticationResponse({
          response,
          expectedChallenge: challenge,
          expectedOrigin: this.#rp.origin,
          expectedRPID: this.#rp.id,
          credential: { id: record._id, publicKey: new Uint8Array(record.publicKey), counter: record.counter },
        });
      } catch {
        throw new LoginRefused({ refusal: 'passkeyUnverified' });
      }
      if (!verified.verified) throw new LoginRefused({ refusal: 'passkeyUnverified' });
      const { newCounter } = verified.authenticationInfo;
      await this.store.commit([this.passkeys.put({ ...record, counter: newCounter, lastUsedAt: this.options.clock().toISOString() }, read)]);
      return record;
    });
    if (!(await this.options.standing(used.personId))) throw new LoginRefused({ refusal: 'cannotSignIn' });
    return { personId: used.personId, acr: 'substantial', amr: [used.synced ? 'swk' : 'hwk', 'user'] };
  }

  /** The person's passkeys, oldest first. */
  async list(personId: string): Promise<PasskeySummary[]> {
    const found = await this.passkeys.select({ personId }, ['_id', 'createdAt', 'lastUsedAt', 'synced', 'transports']);
    return found.map(summaryOf);
  }

  /** Deletes one of the person's passkeys; another person's is "not found" alike. */
  async remove(personId: string, credentialId: string): Promise<void> {
    await this.store.change(async () => {
      const read = await this.passkeys.getVersioned(credentialId);
      if (read?.record.personId !== personId) throw new NotFoundError('No such passkey');
      await this.store.commit([this.passkeys.delete(read)]);
    });
  }

  /** The challenge the answer signed, once taken for good; undefined when it may not be used (see `take`). */
  async #take(clientDataJSON: string, ceremony: Ceremony, subject: string): Promise<string | undefined> {
    const challenge = challengeOf(clientDataJSON);
    return challenge !== undefined && (await this.challenges.take(challenge, ceremony, subject)) ? challenge : undefined;
  }

  /** The person's user handle, made on first use (of several processes making it at once, one wins). */
  #userOf(personId: string): Promise<PasskeyUser> {
    return this.store.getOrInsert(this.users, { _id: personId, handle: randomBytes(HANDLE_BYTES).toString('base64url') });
  }
}
