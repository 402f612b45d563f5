/**
 * The credential domain of one app, opened once and shared by the CMS interface, Third Party Services and the
 * issuance workflow: the profile catalogue, the record store, the number reservations and the producers.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config-options.js';
import type { SharedInstances } from '../http/shared-instances.js';
import type { Storage } from '../storage/document-store.port.js';
import { type Clock, systemClock } from './credential-dates.js';
import type { CredentialDirectory } from './credential-directory.port.js';
import { CredentialNumbers } from './credential-number.js';
import { CredentialStore } from './credential-store.js';
import { loadProfileCatalogue, type ProfileCatalogue } from './profile-catalogue.js';
import { createProducerRegistry, type ProducerRegistry } from './producer-registry.js';
import { StoredCredentialDirectory } from './stored-credential-directory.js';

export interface CredentialsDependencies {
  shared: SharedInstances;
  storage: Storage;
  config: Config;
  logger: Logger;
}

export interface Credentials {
  catalogue: ProfileCatalogue;
  store: CredentialStore;
  producers: ProducerRegistry;
  clock: Clock;
}

export function sharedCredentials(deps: CredentialsDependencies): Promise<Credentials> {
  return deps.shared.get('credentials', async () => {
    const { storage, config, logger } = deps;
    const catalogue = await loadProfileCatalogue(config.credentialProfiles);
    const store = await CredentialStore.open(storage);
    const numbers = await CredentialNumbers.open(storage);
    const clock = systemClock;
    const producers = await createProducerRegistry({ catalogue, shared: deps.shared, storage, numbers, clock, config, logger });
    return { catalogue, store, producers, clock };
  });
}

export function sharedCredentialDirectory(deps: CredentialsDependencies): Promise<CredentialDirectory> {
  return deps.shared.get('credential-directory', async () => {
    const { store, catalogue } = await sharedCredentials(deps);
    return new StoredCredentialDirectory(store, catalogue);
  });
}
