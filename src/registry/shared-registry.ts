import type { Config } from '../config/config-options.js';
import type { SharedInstances } from '../http/shared-instances.js';
import type { Storage } from '../storage/document-store.port.js';
import { PopulationRegistry } from './population-registry.js';

/** The app's one population registry (one write lock for every interface that changes or reads persons). */
export function sharedRegistry(deps: { shared: SharedInstances; storage: Storage; config: Config }) {
  return deps.shared.get('population-registry', () =>
    PopulationRegistry.open(deps.storage, { indexedAttributes: deps.config.indexedAttributes }),
  );
}
