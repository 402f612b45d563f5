/** The Notification interface (`openapi/notification.yaml`, mounted at `/notification`): one handler per operationId. */
import type { operations } from '../../generated/notification.js';
import { InvalidError } from '../shared/domain-errors.js';
import type { HandlerMap } from '../http/operation-types.js';
import type { NotificationService } from './notification-service.js';
import type { InterfaceModule } from '../http/interface-module.js';

/** The published body as the publisher sent it: text, or the bytes of a JSON (or other) body, unchanged. */
const bodyText = (body: unknown): string => (Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '');

function createNotificationHandlers(service: NotificationService): HandlerMap<operations> {
  return {
    subscribe: async ({ query }) => ({ status: 200, body: await service.subscribe(query) }),
    listSubscription: async () => ({ status: 200, body: await service.listSubscriptions() }),
    unsubscribe: async ({ path }) => {
      await service.unsubscribe(path.uuid);
      return { status: 204 };
    },
    confirm: async ({ query }) => {
      await service.confirm(query.token);
      return { status: 200 };
    },
    createTopic: async ({ query }) => ({ status: 200, body: await service.createTopic(query.name) }),
    listTopics: async () => ({ status: 200, body: await service.listTopics() }),
    deleteTopic: async ({ path }) => {
      await service.deleteTopic(path.uuid);
      return { status: 204 };
    },
    publish: async ({ path, query, body }) => {
      // The body is the message and OSIA requires it: its absence is the caller's mistake whatever the topic.
      // (Without a Content-Type no parser reads the body, and the validator leaves an empty object in its place.)
      const text = typeof body === 'string' || Buffer.isBuffer(body) ? bodyText(body) : undefined;
      const absent = text === undefined ? Object.keys(body ?? {}).length === 0 : text.length === 0;
      if (absent) throw new InvalidError('publish needs a body: the message to publish (plain/text)');
      await service.publish(path.uuid, bodyText(body), query.subject);
      return { status: 200 };
    },
  };
}

export const notificationInterface: InterfaceModule<NotificationService> = { name: 'notification', createHandlers: createNotificationHandlers };
