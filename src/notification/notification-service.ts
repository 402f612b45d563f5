/**
 * Topics, subscriptions and publishing. Every change that owes somebody a message writes the message and its
 * deliveries (the outbox) in the same atomic batch, so a 200 means the deliveries will happen, kill -9 or not.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ConflictError, InvalidError, NotFoundError } from '../shared/domain-errors.js';
import { DuplicateKeyError, type WriteOp } from '../storage/document-store.port.js';
import type { AddressCheck } from './address-check.js';
import { formatPolicy, parsePolicy } from './delivery-policy.js';
import type { NotificationMetrics } from './notification-metrics.js';
import {
  COLLECTIONS,
  type DeliveryRecord,
  type MessageRecord,
  type MessageType,
  type NotificationCollections,
  type SubscriptionRecord,
  type TopicRecord,
} from './notification-records.js';
import { applyIfUnchanged, putAt } from './compare-and-set.js';

export interface NotificationServiceOptions {
  store: NotificationCollections;
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
    const existing = await this.#topicByName(name);
    if (existing) return topicOf(existing);
    const record: TopicRecord = { _id: randomUUID(), name };
    try {
      await this.options.store.topics.insert(record);
      return topicOf(record);
    } catch (err) {
      // Another request (maybe another process) created it first: the unique index on name decided.
      if (!(err instanceof DuplicateKeyError)) throw err;
      const winner = await this.#topicByName(name);
      if (!winner) throw err;
      return topicOf(winner);
    }
  }

  async listTopics(): Promise<Topic[]> {
    return (await this.options.store.topics.find({})).map(topicOf);
  }

  /** Deletes the topic, its subscriptions and what they still owed, in one batch. */
  async deleteTopic(uuid: string): Promise<void> {
    const topic = await this.options.store.topics.get(uuid);
    if (!topic) throw new NotFoundError(`topic ${uuid} not found`);
    const subscriptions = await this.options.store.subscriptions.find({ topic: uuid });
    const ops: WriteOp[] = [{ collection: COLLECTIONS.topics, op: 'delete', id: uuid }];
    for (const subscription of subscriptions) ops.push(...(await this.#subscriptionDeletes(subscription)));
    await this.options.store.documents.applyAtomically(ops);
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
    try {
      await this.options.store.documents.applyAtomically([
        { collection: COLLECTIONS.subscriptions, op: 'put', doc: subscription },
        { collection: COLLECTIONS.messages, op: 'put', doc: confirmation },
        { collection: COLLECTIONS.deliveries, op: 'put', doc: this.#delivery(subscription._id, confirmation) },
      ]);
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
      const winner = await this.#subscriptionByKey(key);
      if (!winner) throw err;
      return subscriptionOf(winner);
    }
    this.options.wake();
    return subscriptionOf(subscription);
  }

  async listSubscriptions(): Promise<Subscription[]> {
    return (await this.options.store.subscriptions.find({})).map(subscriptionOf);
  }

  async unsubscribe(uuid: string): Promise<void> {
    const subscription = await this.options.store.subscriptions.get(uuid);
    if (!subscription) throw new NotFoundError(`subscription ${uuid} not found`);
    await this.options.store.documents.applyAtomically(await this.#subscriptionDeletes(subscription));
  }

  async confirm(token: string): Promise<void> {
    const [found] = token === '' ? [] : await this.options.store.subscriptions.find({ token });
    const current = found && (await this.options.store.subscriptions.getVersioned(found._id));
    if (!current || current.doc.token !== token) throw new InvalidError('invalid or already used confirmation token');
    const { token: _used, ...rest } = current.doc;
    // Of two confirms racing (maybe in two processes), the store lets one write at the version read.
    const confirmed = await applyIfUnchanged(this.options.store, [putAt(COLLECTIONS.subscriptions, current, { ...rest, active: true })]);
    if (!confirmed) throw new InvalidError('invalid or already used confirmation token');
  }

  /** Stores the message and one delivery per active subscription of the topic, atomically. */
  async publish(topicRef: string, message: string, subject: string | undefined): Promise<void> {
    const topic = await this.#topic(topicRef);
    if (!topic) throw new NotFoundError(`topic ${topicRef} not found`);
    const record = this.#message('Notification', topic._id, message, subject);
    const subscriptions = await this.options.store.subscriptions.find({ topic: topic._id, active: true });
    await this.options.store.documents.applyAtomically([
      { collection: COLLECTIONS.messages, op: 'put', doc: record },
      ...subscriptions.map((subscription): WriteOp => ({
        collection: COLLECTIONS.deliveries,
        op: 'put',
        doc: this.#delivery(subscription._id, record),
      })),
    ]);
    this.options.metrics.published.inc();
    if (subscriptions.length > 0) this.options.wake();
  }

  /** A failed subscription subscribed again is delivered to again, starting with the message it failed on. */
  async #revive(found: SubscriptionRecord): Promise<SubscriptionRecord> {
    if (found.failedAt === undefined) return found;
    const current = await this.options.store.subscriptions.getVersioned(found._id);
    if (!current) throw new ConflictError(`subscription ${found._id} was deleted meanwhile: subscribe again`);
    if (current.doc.failedAt === undefined) return current.doc;
    const { failedAt: _failed, ...revived } = current.doc;
    const ops = [putAt(COLLECTIONS.subscriptions, current, revived)];
    for (const { _id } of await this.options.store.deliveries.find({ subscription: found._id, state: 'failed' })) {
      const delivery = await this.options.store.deliveries.getVersioned(_id);
      if (delivery) ops.push(putAt(COLLECTIONS.deliveries, delivery, { ...delivery.doc, state: 'pending', attempts: 0, dueAt: 0 }));
    }
    if (await applyIfUnchanged(this.options.store, ops)) {
      this.options.wake();
      return revived;
    }
    // Another process changed it first: answer what it recorded.
    const winner = await this.options.store.subscriptions.get(found._id);
    if (!winner) throw new ConflictError(`subscription ${found._id} was deleted meanwhile: subscribe again`);
    return winner;
  }

  async #subscriptionDeletes(subscription: SubscriptionRecord): Promise<WriteOp[]> {
    const deliveries = await this.options.store.deliveries.find({ subscription: subscription._id });
    return [
      { collection: COLLECTIONS.subscriptions, op: 'delete', id: subscription._id },
      ...deliveries.map((delivery): WriteOp => ({ collection: COLLECTIONS.deliveries, op: 'delete', id: delivery._id })),
    ];
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
