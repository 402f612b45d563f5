/**
 * The credential producers of this server, by the name profiles use in `producer:`. The built-in `internal` one is
 * always there; `pki` and one producer per bureau of the catalogue are wired in `createProducerRegistry`. A profile
 * naming a producer the server does not provide stops start-up.
 */
import type { Logger } from 'pino';
import { ConfigError } from '../config/config-options.js';
import { ConflictError } from '../shared/domain-errors.js';
import { createBureauProducer } from './bureau/bureau-producer.js';
import type { Clock } from '../shared/clock.js';
import type { CredentialNumbers } from './credential-number.js';
import type { CredentialProducer } from './credential-producer.port.js';
import { createInternalProducer } from './internal-producer.js';
import { createPkiProducer } from './pki/pki-producer.js';
import type { PkiIssuer } from './pki/pki-issuer.js';
import type { ProfileCatalogue } from './profile-catalogue.js';

/** What a producer factory may use. */
export interface ProducerContext {
  catalogue: ProfileCatalogue;
  pkiIssuer: PkiIssuer | undefined;
  numbers: CredentialNumbers;
  clock: Clock;
  logger: Logger;
}

export class ProducerRegistry {
  readonly #byName = new Map<string, CredentialProducer>();

  constructor(producers: readonly CredentialProducer[]) {
    for (const producer of producers) this.#byName.set(producer.name, producer);
  }

  /** Profiles are checked at start-up; a record may still name a bureau removed from the catalogue since. */
  get(name: string): CredentialProducer {
    const producer = this.#byName.get(name);
    if (!producer) {
      throw new ConflictError(
        `this credential was made by producer ${name}, which the credential catalogue no longer declares: declare it again to change the credential`,
      );
    }
    return producer;
  }

  /** Throws ConfigError for the first profile whose producer is missing. */
  assertServes(catalogue: ProfileCatalogue): void {
    for (const { credentialProfileId, producer } of catalogue.profiles) {
      if (!this.#byName.has(producer)) {
        throw new ConfigError(
          `OSIA_CREDENTIAL_PROFILES ${catalogue.file}: profile ${credentialProfileId} names producer ${producer}, which this server does not provide`,
        );
      }
    }
  }
}

/** The pki producer (when a profile uses it and the app has a CA) and one producer per bureau of the catalogue. */
export function createProducerRegistry(context: ProducerContext): ProducerRegistry {
  const { catalogue, logger, pkiIssuer } = context;
  const internal = createInternalProducer(context.numbers, context.clock);
  const producers: CredentialProducer[] = [internal];
  if (pkiIssuer && catalogue.profiles.some(({ producer }) => producer === 'pki')) {
    producers.push(createPkiProducer({ base: internal, issuer: pkiIssuer }));
  }
  for (const [name, entry] of Object.entries(catalogue.bureaus)) producers.push(createBureauProducer({ name, entry, log: logger }));
  const registry = new ProducerRegistry(producers);
  registry.assertServes(context.catalogue);
  return registry;
}
