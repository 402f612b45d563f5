/** The UIN Generation interface (`openapi/uin.yaml`, mounted at `/uin`): one handler per operationId. */
import type { operations } from '../../generated/uin.js';
import type { HandlerMap } from '../http/operation-types.js';
import type { UinRegistry } from './uin-registry.js';
import type { InterfaceModule } from '../http/interface-module.js';

function createUinHandlers(registry: UinRegistry): HandlerMap<operations> {
  return {
    // The optional Attributes body is validated by the router but deliberately not used nor stored: UINs carry
    // no information about the person.
    generateUIN: async ({ query, context }) => ({
      status: 200,
      body: await registry.issue(query.transactionId, context.log),
    }),
  };
}

export const uinInterface: InterfaceModule<UinRegistry> = { name: 'uin', createHandlers: createUinHandlers };
