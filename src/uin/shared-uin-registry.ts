import type { InterfaceDependencies } from '../http/interface-dependencies.js';
import { uinFormatOf } from './uin-format.js';
import { createUinGenerator } from './uin-generator.js';
import { UinRegistry } from './uin-registry.js';

/** The app's one UIN registry: generateUIN and the issuance workflow draw from the same issued-UIN record. */
export function sharedUinRegistry(deps: Pick<InterfaceDependencies, 'shared' | 'storage' | 'config'>) {
  // The format is checked before the store is touched, so that a bad setting stops start-up at once.
  const format = uinFormatOf(deps.config);
  return deps.shared.get('uin-registry', () => UinRegistry.open(deps.storage, createUinGenerator(format)));
}
