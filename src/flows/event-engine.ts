/**
 * The Notification engine a component talks to, whichever it is: this server's own service, called in-process
 * (`local`), or an external OSIA Notification server reached over HTTP with a bearer token. The flows only create
 * topics, publish, subscribe and confirm, so either engine can be swapped in by configuration.
 */
import { createInterfaceClient, OsiaRequestError, unwrap } from '../client/index.js';
import { InvalidError } from '../shared/domain-errors.js';
import type { NotificationService } from '../notification/notification-service.js';

export interface EventEngine {
  /** Where the engine is, for logs: `local` or its URL. */
  readonly name: string;
  /** The uuid of the topic of that name, created when missing (createTopic is idempotent). */
  topic(name: string): Promise<string>;
  publish(topic: string, message: string, subject: string): Promise<void>;
  /** Idempotent on topic + protocol + address: subscribing again returns the same subscription. */
  subscribe(topic: string, address: string, policy: string | undefined): Promise<void>;
  /** Resolves false when the engine refuses the token (unknown, or already used: a repeated confirmation). */
  confirm(token: string): Promise<boolean>;
}

export function localEngine(service: NotificationService): EventEngine {
  return {
    name: 'local',
    topic: async (name) => (await service.createTopic(name)).uuid,
    publish: (topic, message, subject) => service.publish(topic, message, subject),
    subscribe: async (topic, address, policy) => {
      await service.subscribe({ topic, address, protocol: 'http', ...(policy ? { policy } : {}) });
    },
    confirm: async (token) => {
      try {
        await service.confirm(token);
        return true;
      } catch (err) {
        if (err instanceof InvalidError) return false;
        throw err;
      }
    },
  };
}

export function remoteEngine(url: string, token: string): EventEngine {
  const client = createInterfaceClient('notification', { baseUrls: { notification: url }, token });
  return {
    name: url,
    topic: async (name) => {
      const { uuid } = await unwrap(client.POST('/v1/topics', { params: { query: { name } } }));
      if (!uuid) throw new Error(`the engine ${url} answered createTopic without a uuid`);
      return uuid;
    },
    publish: async (topic, message, subject) => {
      await unwrap(
        client.POST('/v1/topics/{uuid}/publish', {
          params: { path: { uuid: topic }, query: { subject } },
          body: message,
          // The document's own media type, and the text as it is (not JSON-encoded again).
          headers: { 'Content-Type': 'plain/text' },
          bodySerializer: (body: string) => body,
        }),
      );
    },
    subscribe: async (topic, address, policy) => {
      const query = { topic, address, protocol: 'http' as const, ...(policy ? { policy } : {}) };
      await unwrap(client.POST('/v1/subscriptions', { params: { query } }));
    },
    confirm: async (confirmation) => {
      try {
        await unwrap(client.GET('/v1/subscriptions/confirm', { params: { query: { token: confirmation } }, parseAs: 'text' }));
        return true;
      } catch (err) {
        if (err instanceof OsiaRequestError && err.status === 400) return false;
        throw err;
      }
    },
  };
}
