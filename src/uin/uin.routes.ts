/** The UIN Generation interface (`openapi/uin.yaml`, mounted at `/uin`): one handler per operationId. */
import type { operations } from '../../generated/uin.js';
import type { InterfaceDependencies } from '../http/interface-dependencies.js';
import type { HandlerMap } from '../http/operation-types.js';
import { uinFormatOf } from './uin-format.js';
import { createUinGenerator } from './uin-generator.js';
import { UinRegistry } from './uin-registry.js';

export async function createUinHandlers(deps: InterfaceDependencies): Promise<HandlerMap<operations>> {
  // Checked before the store is touched, so that a bad setting stops start-up at once.
  const format = uinFormatOf(deps.config);
  const registry = await UinRegistry.open(deps.storage, createUinGenerator(format));
  return {
    // The optional Attributes body is validated by the router but deliberately not used nor stored: UINs carry
    // no information about the person.
    generateUIN: async ({ query, context }) => ({
      status: 200,
      body: await registry.issue(query.transactionId, context.log),
    }),
  };
}
