/** The records of the Notification engine and the collections that hold them (all behind the storage port). */
import type { Collection, DocumentStore } from '../storage/document-store.port.js';
import { openCollection } from '../storage/typed-collection.js';

export interface TopicRecord {
  _id: string;
  name: string;
  [key: string]: unknown;
}

export interface SubscriptionRecord {
  _id: string;
  topic: string;
  protocol: 'http' | 'email';
  address: string;
  policy: string;
  active: boolean;
  /** topic|protocol|address, under a unique index: what makes subscribe idempotent across processes. */
  key: string;
  /** The confirmation token, until it is used. */
  token?: string;
  /** Set when a delivery exhausted the policy; the engine stops delivering to it. */
  failedAt?: string;
  [key: string]: unknown;
}

export type MessageType = 'SubscriptionConfirmation' | 'Notification';

export interface MessageRecord {
  _id: string;
  type: MessageType;
  topic: string;
  message: string;
  subject?: string;
  timestamp: string;
  [key: string]: unknown;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed';

/** One message owed to one subscription: the outbox entry the delivery worker works from. */
export interface DeliveryRecord {
  _id: string;
  subscription: string;
  message: string;
  /** Publish time in ms; the worker delivers a subscription's messages in this order (ties keep insertion order). */
  order: number;
  state: DeliveryState;
  attempts: number;
  /** ms: not before. */
  dueAt: number;
  /** ms: claimed by `leaseOwner` until then. */
  leaseUntil: number;
  leaseOwner?: string;
  finishedAt?: number;
  [key: string]: unknown;
}

export interface NotificationCollections {
  documents: DocumentStore;
  topics: Collection<TopicRecord>;
  subscriptions: Collection<SubscriptionRecord>;
  messages: Collection<MessageRecord>;
  deliveries: Collection<DeliveryRecord>;
}

export const COLLECTIONS = {
  topics: 'notification-topics',
  subscriptions: 'notification-subscriptions',
  messages: 'notification-messages',
  deliveries: 'notification-deliveries',
} as const;

export async function openNotificationCollections(documents: DocumentStore): Promise<NotificationCollections> {
  return {
    documents,
    topics: await openCollection<TopicRecord>(documents, COLLECTIONS.topics, [{ fields: ['name'], unique: true }]),
    subscriptions: await openCollection<SubscriptionRecord>(documents, COLLECTIONS.subscriptions, [
      { fields: ['key'], unique: true },
      { fields: ['token'] },
      { fields: ['topic'] },
    ]),
    // Publish time and the deliveries naming a message: what the retention sweep reads.
    messages: await openCollection<MessageRecord>(documents, COLLECTIONS.messages, [{ fields: ['timestamp'] }]),
    deliveries: await openCollection<DeliveryRecord>(documents, COLLECTIONS.deliveries, [
      { fields: ['subscription'] },
      { fields: ['state'] },
      { fields: ['message'] },
    ]),
  };
}
