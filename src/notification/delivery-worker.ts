/**
 * Works the outbox. For every subscription that is not failed, it takes the oldest pending delivery (so each
 * subscription receives its messages in publish order), claims it with a lease written through the store
 * (compare-and-set at its store version, see compare-and-set.ts) and sends it; then the next one. Subscriptions are served side by side,
 * at most `concurrency` at a time, so one slow or dead subscriber only ever holds its own slot.
 *
 * Time comes from the injected clock: retries become due when the clock passes `dueAt`, which tests move by hand.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { BackgroundJob } from '../shared/background-jobs.js';
import type { VersionedDocument } from '../storage/document-store.port.js';
import { applyIfUnchanged, putAt, written } from './compare-and-set.js';
import { mayRetry, parsePolicy } from './delivery-policy.js';
import type { OutgoingMessage, SendOutcome } from './http-delivery.js';
import type { NotificationMetrics } from './notification-metrics.js';
import {
  COLLECTIONS,
  type DeliveryRecord,
  type MessageRecord,
  type NotificationCollections,
  type SubscriptionRecord,
} from './notification-records.js';

export interface DeliveryWorkerOptions {
  store: NotificationCollections;
  /** One sender per subscription protocol; email is absent without an SMTP relay. */
  senders: { http: Sender; email?: Sender };
  metrics: NotificationMetrics;
  logger: Logger;
  now: () => number;
  concurrency: number;
  leaseMs: number;
  pollIntervalMs: number;
  /** Base URL of this server, for the subscribeURL of confirmation messages. */
  publicUrl: string;
  /** Reference-implementation compatibility: confirmation messages also carry `confirmURL`. */
  confirmUrlMember: boolean;
}

export interface Sender {
  send(message: OutgoingMessage): Promise<SendOutcome>;
}

export class DeliveryWorker implements BackgroundJob {
  readonly name = 'notification delivery';
  readonly #owner = randomUUID();
  readonly #busy = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  /** Set by stop(): rounds under way finish the delivery in hand and take no next one. */
  #halting = false;

  constructor(private readonly options: DeliveryWorkerOptions) {}

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#halting = false;
    this.#timer = setInterval(() => this.wake(), this.options.pollIntervalMs).unref();
    this.wake();
  }

  /** Stops looking for work and waits for the deliveries under way; their leases were written, nothing is lost. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#halting = true;
    clearInterval(this.#timer);
    await this.#ticking;
  }

  /** Looks at the outbox soon (after a publish on this process); a no-op while stopped. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    this.#ticking = this.runOnce()
      .catch((err: unknown) => this.options.logger.error({ err }, 'notification delivery round failed'))
      .finally(() => {
        this.#ticking = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  /** One round: every subscription with due work is drained as far as it goes now. Tests await it. */
  async runOnce(): Promise<void> {
    const subscriptions = await this.options.store.subscriptions.find({});
    const ready = subscriptions.filter((subscription) => subscription.failedAt === undefined && !this.#busy.has(subscription._id));
    let next = 0;
    const lane = async () => {
      for (let subscription = ready[next++]; subscription !== undefined; subscription = ready[next++]) {
        this.#busy.add(subscription._id);
        try {
          await this.#drain(subscription);
        } finally {
          this.#busy.delete(subscription._id);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, ready.length) }, lane));
  }

  async #drain(initial: SubscriptionRecord): Promise<void> {
    while (!this.#halting) {
      const subscription = await this.options.store.subscriptions.getVersioned(initial._id);
      if (!subscription || subscription.doc.failedAt !== undefined) return;
      const claimed = await this.#claimHead(subscription.doc._id);
      if (!claimed || !(await this.#attempt(subscription, claimed))) return;
    }
  }

  /** The oldest pending delivery of the subscription, leased to this worker; undefined when none is due or free. */
  async #claimHead(subscription: string): Promise<VersionedDocument<DeliveryRecord> | undefined> {
    const [head] = await this.options.store.deliveries.find({ subscription, state: 'pending' }, { sort: { order: 1 }, limit: 1 });
    const read = head && (await this.options.store.deliveries.getVersioned(head._id));
    const now = this.options.now();
    if (read?.doc.state !== 'pending' || read.doc.dueAt > now || read.doc.leaseUntil > now) return undefined;
    const claimed = { ...read.doc, leaseOwner: this.#owner, leaseUntil: now + this.options.leaseMs };
    return (await applyIfUnchanged(this.options.store, [putAt(COLLECTIONS.deliveries, read, claimed)])) ? written(read, claimed) : undefined;
  }

  /** Sends one claimed delivery and records the outcome; resolves whether the next one may follow. */
  async #attempt(subscription: VersionedDocument<SubscriptionRecord>, claimed: VersionedDocument<DeliveryRecord>): Promise<boolean> {
    const settle = (next: DeliveryRecord) => applyIfUnchanged(this.options.store, [putAt(COLLECTIONS.deliveries, claimed, next)]);
    const delivery = claimed.doc;
    const message = await this.options.store.messages.get(delivery.message);
    if (!message) {
      await settle({ ...delivery, state: 'failed' });
      return true;
    }
    const sender = this.options.senders[subscription.doc.protocol];
    const outcome: SendOutcome = sender
      ? await sender.send(this.#outgoing(subscription.doc, message))
      : { ok: false, reason: 'no SMTP relay configured' };
    const now = this.options.now();
    const attempts = delivery.attempts + 1;
    const { leaseOwner: _released, ...released } = { ...delivery, attempts, leaseUntil: 0 };
    if (outcome.ok) {
      await settle({ ...released, state: 'delivered', finishedAt: now });
      this.options.metrics.deliveries.inc({ outcome: 'delivered' });
      return true;
    }
    const policy = parsePolicy(subscription.doc.policy);
    if (mayRetry(policy, attempts)) {
      await settle({ ...released, dueAt: now + policy.countdownSeconds * 1000 });
      this.options.metrics.deliveries.inc({ outcome: 'retry' });
      this.options.metrics.retries.inc();
      this.options.logger.info(
        { subscription: subscription.doc._id, messageId: message._id, attempts, reason: outcome.reason },
        'notification delivery failed, will retry',
      );
      return false;
    }
    await applyIfUnchanged(this.options.store, [
      putAt(COLLECTIONS.deliveries, claimed, { ...released, state: 'failed', finishedAt: now }),
      putAt(COLLECTIONS.subscriptions, subscription, { ...subscription.doc, failedAt: new Date(now).toISOString() }),
    ]);
    this.options.metrics.deliveries.inc({ outcome: 'failed' });
    this.options.logger.warn(
      { subscription: subscription.doc._id, topic: subscription.doc.topic, messageId: message._id, attempts, reason: outcome.reason },
      'notification subscription failed: delivery policy exhausted; its undelivered messages stay in the outbox',
    );
    return false;
  }

  #outgoing(subscription: SubscriptionRecord, message: MessageRecord): OutgoingMessage {
    const body: Record<string, unknown> = {
      type: message.type,
      messageId: message._id,
      topic: message.topic,
      message: message.message,
      ...(message.subject === undefined ? {} : { subject: message.subject }),
      timestamp: message.timestamp,
    };
    if (message.type === 'SubscriptionConfirmation' && subscription.token !== undefined) {
      const link = `${this.options.publicUrl.replace(/\/+$/, '')}/notification/v1/subscriptions/confirm?token=${subscription.token}`;
      body.token = subscription.token;
      body.subscribeURL = link;
      if (this.options.confirmUrlMember) body.confirmURL = link;
    }
    return {
      address: subscription.address,
      headers: {
        'message-type': message.type,
        'subscription-id': subscription._id,
        'message-id': message._id,
        'topic-id': message.topic,
      },
      body,
    };
  }
}
