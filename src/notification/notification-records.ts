/** The records of the Notification engine and the handles on their collections. */
import type { LeasedRecord } from '../storage/leased-queue.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Records } from '../storage/records.js';
import type { Store } from '../storage/store.js';

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
export interface DeliveryRecord extends LeasedRecord {
  _id: string;
  subscription: string;
  message: string;
  /** Publish time in ms; the worker delivers a subscription's messages in this order (ties keep insertion order). */
  order: number;
  state: DeliveryState;
  attempts: number;
  dueAt: number;
  finishedAt?: number;
  [key: string]: unknown;
}

export interface NotificationRecords {
  store: Store;
  topics: Records<TopicRecord>;
  subscriptions: Records<SubscriptionRecord>;
  messages: Records<MessageRecord>;
  deliveries: Records<DeliveryRecord>;
}

const TOPICS: RecordSpec<TopicRecord> = { name: 'notification-topics', indexes: [{ fields: ['name'], unique: true }] };
const SUBSCRIPTIONS: RecordSpec<SubscriptionRecord> = {
  name: 'notification-subscriptions',
  indexes: [{ fields: ['key'], unique: true }, { fields: ['token'] }, { fields: ['topic'] }],
};
// Publish time and the deliveries naming a message: what the retention sweep reads.
const MESSAGES: RecordSpec<MessageRecord> = { name: 'notification-messages', indexes: [{ fields: ['timestamp'] }] };
const DELIVERIES: RecordSpec<DeliveryRecord> = {
  name: 'notification-deliveries',
  indexes: [{ fields: ['subscription'] }, { fields: ['state'] }, { fields: ['message'] }],
};

export async function openNotificationRecords(store: Store): Promise<NotificationRecords> {
  return {
    store,
    topics: await store.records(TOPICS),
    subscriptions: await store.records(SUBSCRIPTIONS),
    messages: await store.records(MESSAGES),
    deliveries: await store.records(DELIVERIES),
  };
}
