/** The Data Access interface (`openapi/dataaccess.yaml`, mounted at `/dataaccess`): one handler per operationId. */
import type { operations } from '../../generated/dataaccess.js';
import { notImplemented } from '../http/not-implemented.js';
import type { InterfaceDependencies } from '../http/interface-dependencies.js';
import type { HandlerMap } from '../http/operation-types.js';

export function createDataAccessHandlers(_deps: InterfaceDependencies): HandlerMap<operations> {
  return {
    queryPersonList: notImplemented('queryPersonList'),
    readPersonAttributes: notImplemented('readPersonAttributes'),
    matchPersonAttributes: notImplemented('matchPersonAttributes'),
    verifyPersonAttributes: notImplemented('verifyPersonAttributes'),
    readDocument: notImplemented('readDocument'),
  };
}
