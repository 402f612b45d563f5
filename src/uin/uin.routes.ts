/** The UIN Generation interface (`openapi/uin.yaml`, mounted at `/uin`): one handler per operationId. */
import type { operations } from '../../generated/uin.js';
import { notImplemented } from '../http/not-implemented.js';
import type { InterfaceDependencies } from '../http/interface-dependencies.js';
import type { HandlerMap } from '../http/operation-types.js';

export function createUinHandlers(_deps: InterfaceDependencies): HandlerMap<operations> {
  return {
    generateUIN: notImplemented('generateUIN'),
  };
}
