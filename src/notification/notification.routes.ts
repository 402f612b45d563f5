/** The Notification interface (`openapi/notification.yaml`, mounted at `/notification`): one handler per operationId. */
import type { operations } from '../../generated/notification.js';
import { notImplemented } from '../http/not-implemented.js';
import type { InterfaceDependencies } from '../http/interface-dependencies.js';
import type { HandlerMap } from '../http/operation-types.js';

export function createNotificationHandlers(_deps: InterfaceDependencies): HandlerMap<operations> {
  return {
    subscribe: notImplemented('subscribe'),
    listSubscription: notImplemented('listSubscription'),
    unsubscribe: notImplemented('unsubscribe'),
    confirm: notImplemented('confirm'),
    createTopic: notImplemented('createTopic'),
    listTopics: notImplemented('listTopics'),
    deleteTopic: notImplemented('deleteTopic'),
    publish: notImplemented('publish'),
  };
}
