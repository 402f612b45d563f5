/**
 * Topics, subscriptions and publishing. Every change that owes somebody a message writes the message and its
 * deliveries (the outbox) in the same atomic batch, so a 200 means the deliveries will happen, kill -9 or not.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ConflictError, InvalidError, NotFoundError } from '../shared/domain-errors.js';
import type { Operation } from '../storage/store.js';
import type { AddressCheck } from '../shared/address-check.js';
import { formatPolicy, parsePolicy } from './delivery-policy.js';
import type { NotificationMetrics } from './notification-metrics.js';
import type { DeliveryRecord, MessageRecord, MessageType, NotificationRecords, SubscriptionRecord, TopicRecord } from './notification-records.js';

export interface NotificationServiceOptions {
  store: NotificationRecords;
  check: AddressCheck;
  metrics: NotificationMetrics;
  now: () => number;
  /** Whether email subscriptions can be served (an SMTP relay is configured). */
  emailEnabled: boolean;
  /** Called after a batch added deliveries, so that the local worker looks at once. */
  wake: () => void;
}

export interface Topic {
  uuid: string;
  name: string;
}

export interface Subscription {
  uuid: string;
  topic: string;
  protocol: 'http' | 'email';
  address: string;
  policy: string;
  active: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const topicOf = (record: TopicRecord): Topic => ({ uuid: record._id, name: record.name });
const subscriptionOf = (record: SubscriptionRecord): Subscription => ({
  uuid: record._id,
  topic: record.topic,
  protocol: record.protocol,
  address: record.address,
  policy: record.policy,
  active: record.active && record.failedAt === undefined,
});

export class NotificationService {
  constructor(private readonly options: NotificationServiceOptions) {}

  async createTopic(name: string): Promise<Topic> {
    if (name.trim() === '') throw new InvalidError('name must not be empty');
    const { store, topics } = this.options.store;
    // Of two requests creating it (maybe in two processes) the unique index on name lets one in; the other reads it.
    return store.change(async () => {
      const existing = await this.#topicByName(name);
      if (existing) return topicOf(existing);
      const record: TopicRecord = { _id: randomUUID(), name };
      await store.commit([topics.insert(record)]);
      return topicOf(record);
    });
  }

  async listTopics(): Promise<Topic[]> {
    return (await this.options.store.topics.find({})).map(topicOf);
  }

  /** Deletes the topic, its subscriptions and what they still owed, in one batch. */
  async deleteTopic(uuid: string): Promise<void> {
    const { store, topics, subscriptions } = this.options.store;
    const topic = await topics.get(uuid);
    if (!topic) throw new NotFoundError(`topic ${uuid} not found`);
    const ops = [topics.delete(uuid)];
    for (const subscription of await subscriptions.find({ topic: uuid })) ops.push(...(await this.#subscriptionDeletes(subscription)));
    await store.commit(ops);
  }

  async subscribe(query: { topic: string; address: string; protocol?: 'http' | 'email'; policy?: string }): Promise<Subscription> {
    const protocol = query.protocol ?? 'http';
    const policy = formatPolicy(parsePolicy(query.policy));
    const topic = await this.#topic(query.topic);
    if (!topic) throw new InvalidError(`topic ${query.topic} does not exist (give its uuid or name)`);
    if (protocol === 'email') {
      if (!this.options.emailEnabled) throw new InvalidError('email subscriptions need an SMTP relay, and none is configured (OSIA_SMTP_URL)');
      if (!EMAIL.test(query.address)) throw new InvalidError(`address must be an email address, got "${query.address}"`);
    } else {
      this.options.check.checkHttpAddress(query.address);
    }
    const key = `${topic._id}|${protocol}|${query.address}`;
    const { store, subscriptions, messages, deliveries } = this.options.store;
    // Of two requests subscribing the same address (maybe in two processes) the unique index on key lets one in.
    return store.change(async () => {
      const existing = await this.#subscriptionByKey(key);
      if (existing) return subscriptionOf(await this.#revive(existing));
      const subscription: SubscriptionRecord = {
        _id: randomUUID(),
        topic: topic._id,
        protocol,
        address: query.address,
        policy,
        active: false,
        key,
        token: randomBytes(24).toString('base64url'),
      };
      const confirmation = this.#message('SubscriptionConfirmation', topic._id, `Confirm the subscription to topic ${topic.name}`);
      await store.commit([subscriptions.insert(subscription), messages.insert(confirmation), deliveries.insert(this.#delivery(subscription._id, confirmation))]);
      this.options.wake();
      return subscriptionOf(subscription);
    });
  }

  async listSubscriptions(): Promise<Subscription[]> {
    return (await this.options.store.subscriptions.find({})).map(subscriptionOf);
  }

  async unsubscribe(uuid: string): Promise<void> {
    const subscription = await this.options.store.subscriptions.get(uuid);
    if (!subscription) throw new NotFoundError(`subscription ${uuid} not found`);
    await this.options.store.store.commit(await this.#subscriptionDeletes(subscription));
  }

  async confirm(token: string): Promise<void> {
    const { store, subscriptions } = this.options.store;
    // Of two confirms racing (maybe in two processes) one writes at the version read; the other finds the token used.
    await store.change(async () => {
      const [found] = token === '' ? [] : await subscriptions.findVersioned({ token });
      if (!found || found.record.token !== token) throw new InvalidError('invalid or already used confirmation token');
      const { token: _used, ...rest } = found.record;
      await store.commit([subscriptions.put({ ...rest, active: true }, found)]);
    });
  }

  /** Stores the message and one delivery per active subscription of the topic, atomically. */
  async publish(topicRef: string, message: string, subject: string | undefined): Promise<void> {
    const topic = await this.#topic(topicRef);
    if (!topic) throw new NotFoundError(`topic ${topicRef} not found`);
    const record = this.#message('Notification', topic._id, message, subject);
    const { store, messages, deliveries } = this.options.store;
    const subscriptions = await this.options.store.subscriptions.find({ topic: topic._id, active: true });
    await store.commit([messages.insert(record), ...subscriptions.map((subscription) => deliveries.insert(this.#delivery(subscription._id, record)))]);
    this.options.metrics.published.inc();
    if (subscriptions.length > 0) this.options.wake();
  }

  /** A failed subscription subscribed again is delivered to again, starting with the message it failed on. */
  /** Runs within `subscribe`'s change: another process reviving it first makes the change run again and answer that. */
  async #revive(found: SubscriptionRecord): Promise<SubscriptionRecord> {
    if (found.failedAt === undefined) return found;
    const { store, subscriptions, deliveries } = this.options.store;
    const current = await subscriptions.getVersioned(found._id);
    if (!current) throw new ConflictError(`subscription ${found._id} was deleted meanwhile: subscribe again`);
    if (current.record.failedAt === undefined) return current.record;
    const { failedAt: _failed, ...revived } = current.record;
    const failed = await deliveries.findVersioned({ subscription: found._id, state: 'failed' });
    await store.commit([
      subscriptions.put(revived, current),
      ...failed.map((delivery) => deliveries.put({ ...delivery.record, state: 'pending', attempts: 0, dueAt: 0 }, delivery)),
    ]);
    this.options.wake();
    return revived;
  }

  async #subscriptionDeletes(subscription: SubscriptionRecord): Promise<Operation[]> {
    const { subscriptions, deliveries } = this.options.store;
    const owed = await deliveries.find({ subscription: subscription._id });
    return [subscriptions.delete(subscription._id), ...owed.map((delivery) => deliveries.delete(delivery._id))];
  }

  #message(type: MessageType, topic: string, message: string, subject?: string): MessageRecord {
    const timestamp = new Date(this.options.now()).toISOString();
    return { _id: randomUUID(), type, topic, message, ...(subject === undefined ? {} : { subject }), timestamp };
  }

  #delivery(subscription: string, message: MessageRecord): DeliveryRecord {
    const order = Date.parse(message.timestamp);
    return {
      _id: randomUUID(),
      subscription,
      message: message._id,
      order,
      state: 'pending',
      attempts: 0,
      dueAt: 0,
      leaseUntil: 0,
    };
  }

  /** Topics are addressed by uuid or by name (reference-style clients publish to v1/topics/CR/publish). */
  async #topic(ref: string): Promise<TopicRecord | undefined> {
    return (await this.options.store.topics.get(ref)) ?? this.#topicByName(ref);
  }

  async #topicByName(name: string): Promise<TopicRecord | undefined> {
    const [topic] = await this.options.store.topics.find({ name }, { limit: 1 });
    return topic;
  }

  async #subscriptionByKey(key: string): Promise<SubscriptionRecord | undefined> {
    const [subscription] = await this.options.store.subscriptions.find({ key }, { limit: 1 });
    return subscription;
  }
}
