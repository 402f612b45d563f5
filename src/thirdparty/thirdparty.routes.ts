/** The Third Party Services interface (`openapi/thirdparty.yaml`, mounted at `/thirdparty`): one handler per operationId. */
import type { operations } from '../../generated/thirdparty.js';
import { notImplemented } from '../http/not-implemented.js';
import type { InterfaceDependencies } from '../http/interface-dependencies.js';
import type { HandlerMap } from '../http/operation-types.js';

export function createThirdPartyHandlers(_deps: InterfaceDependencies): HandlerMap<operations> {
  return {
    verify: notImplemented('verify'),
    readAttributeSet: notImplemented('readAttributeSet'),
    readAttributes: notImplemented('readAttributes'),
    identify: notImplemented('identify'),
    readIdentifyResult: notImplemented('readIdentifyResult'),
  };
}
