/**
 * The credential domain of one app, opened once and shared by the CMS interface, Third Party Services and the
 * issuance workflow: the profile catalogue, the record store, the number reservations and the producers.
 */
import type { Logger } from 'pino';
import type { Store } from '../storage/store.js';
import type { Clock } from '../shared/clock.js';
import { CredentialNumbers } from './credential-number.js';
import { type CredentialStatusRecorder, type CredentialStore, openCredentialStore } from './credential-store.js';
import type { PkiIssuer } from './pki/pki-issuer.js';
import type { ProfileCatalogue } from './profile-catalogue.js';
import { createProducerRegistry, type ProducerRegistry } from './producer-registry.js';

export interface CredentialsParts {
  catalogue: ProfileCatalogue;
  store: Store;
  /** The app's CA, when it has one: the `pki` producer signs with it. */
  pkiIssuer: PkiIssuer | undefined;
  clock: Clock;
  logger: Logger;
  /** Adds its writes to the commit of every credential status change (the end of the holder's sessions). */
  recordStatusChange?: CredentialStatusRecorder;
}

export interface Credentials {
  catalogue: ProfileCatalogue;
  store: CredentialStore;
  producers: ProducerRegistry;
  clock: Clock;
}

export async function openCredentials(parts: CredentialsParts): Promise<Credentials> {
  const { catalogue, clock } = parts;
  const numbers = await CredentialNumbers.open(parts.store);
  const producers = createProducerRegistry({ catalogue, pkiIssuer: parts.pkiIssuer, numbers, clock, logger: parts.logger });
  return { catalogue, store: await openCredentialStore(parts.store, parts.recordStatusChange), producers, clock };
}

/** Whether a profile of the catalogue has its credentials signed by the app's CA. */
export const usesPki = (catalogue: ProfileCatalogue): boolean => catalogue.profiles.some(({ producer }) => producer === 'pki');
