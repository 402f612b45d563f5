import type { Config } from '../config/config-options.js';
import type { Clock } from '../shared/clock.js';
import type { Store } from '../storage/store.js';
import { uinFormatOf } from './uin-format.js';
import { createUinGenerator } from './uin-generator.js';
import { UinRegistry } from './uin-registry.js';

/** The app's one UIN registry: generateUIN and the issuance workflow draw from the same issued-UIN record. */
export function openUinRegistry(store: Store, config: Config, clock: Clock): Promise<UinRegistry> {
  // The format is checked before the store is touched, so that a bad setting stops start-up at once.
  const format = uinFormatOf(config);
  return UinRegistry.open(store, createUinGenerator(format), clock);
}
