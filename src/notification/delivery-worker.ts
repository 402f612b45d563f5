/**
 * Works the outbox. For every subscription that is not failed, it claims a run of its oldest pending deliveries
 * (up to RUN_LENGTH, as far as they are due and free) with one claim of the leased queue (src/storage/leased-queue.ts:
 * compare-and-set at their store versions), sends them one after the other in publish order, stopping at the
 * first failure, and records their outcomes in one batch (the unsent ones of the run released in it); then the next
 * run. Subscriptions are served side by side, at most `concurrency` at a time, so one slow or dead subscriber only
 * ever holds its own slot.
 *
 * Time comes from the injected clock: retries become due when the clock passes `dueAt`, which tests move by hand.
 */
import type { Logger } from 'pino';
import type { BackgroundJob } from '../shared/background-jobs.js';
import { LeasedQueue } from '../storage/leased-queue.js';
import type { Operation, Versioned } from '../storage/store.js';
import { mayRetry, parsePolicy } from './delivery-policy.js';
import type { OutgoingMessage, Sender, SendOutcome } from '../shared/http-delivery.js';
import type { NotificationMetrics } from './notification-metrics.js';
import type { DeliveryRecord, MessageRecord, NotificationRecords, SubscriptionRecord } from './notification-records.js';

export interface DeliveryWorkerOptions {
  store: NotificationRecords;
  /** One sender per subscription protocol; email is absent without an SMTP relay. */
  senders: { http: Sender; email?: Sender };
  metrics: NotificationMetrics;
  logger: Logger;
  now: () => number;
  concurrency: number;
  leaseMs: number;
  /** The longest one send may take (the HTTP timeout): a run sends a next delivery only while its lease outlasts that. */
  sendTimeoutMs: number;
  pollIntervalMs: number;
  /** Base URL of this server, for the subscribeURL of confirmation messages. */
  publicUrl: string;
  /** Reference-implementation compatibility: confirmation messages also carry `confirmURL` (the link without its token). */
  confirmUrlMember: boolean;
}

/**
 * Deliveries claimed and settled together: two store commits per run instead of two per delivery. Long enough to
 * drain a backlog at the pace of the subscriber, short enough that a lost run resends little (at least once).
 */
const RUN_LENGTH = 50;

export class DeliveryWorker implements BackgroundJob {
  readonly name = 'notification delivery';
  readonly #queue: LeasedQueue<DeliveryRecord>;
  readonly #busy = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  /** Set by stop(): rounds under way finish the delivery in hand and take no next one. */
  #halting = false;

  constructor(private readonly options: DeliveryWorkerOptions) {
    const { store, now, leaseMs } = options;
    this.#queue = new LeasedQueue(store.store, store.deliveries, { now, leaseMs });
  }

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
      if (!subscription || subscription.record.failedAt !== undefined) return;
      const run = await this.#claimRun(subscription.record._id);
      if (run.length === 0 || !(await this.#deliver(subscription, run))) return;
    }
  }

  /** The leading due and free pending deliveries of the subscription, leased to this worker by one commit. */
  async #claimRun(subscription: string): Promise<Versioned<DeliveryRecord>[]> {
    // Publish order: the run ends at the first delivery that is not due or leased elsewhere, never skips it.
    const heads = await this.#queue.due({ subscription, state: 'pending' }, { sort: { order: 1 }, limit: RUN_LENGTH, inOrder: true });
    return this.#queue.claim(heads);
  }

  /** Sends a claimed run in order and records the outcomes in one commit; resolves whether the next run may follow. */
  async #deliver(subscription: Versioned<SubscriptionRecord>, run: Versioned<DeliveryRecord>[]): Promise<boolean> {
    const ops: Operation[] = [];
    let sent = 0;
    let next = true;
    for (const claimed of run) {
      // The first one is sent whatever its lease; a later one only while nobody can have taken the run over.
      if (sent > 0 && (this.#halting || !this.#queue.holds(claimed, this.options.sendTimeoutMs))) break;
      const outcome = await this.#attempt(subscription, claimed);
      ops.push(...outcome.ops);
      sent++;
      next = outcome.next;
      if (!next) break;
    }
    for (const unsent of run.slice(sent)) ops.push(this.#queue.release(unsent));
    if (await this.#queue.commit(ops)) return next && sent === run.length;
    // Taken over (a lease outlived) or deleted (unsubscribe) meanwhile: whoever holds them now records them.
    this.options.logger.warn({ subscription: subscription.record._id, deliveries: sent }, 'notification outcomes not recorded: the deliveries changed meanwhile');
    return false;
  }

  /** Sends one claimed delivery; resolves the writes recording its outcome and whether the next one may follow. */
  async #attempt(subscription: Versioned<SubscriptionRecord>, claimed: Versioned<DeliveryRecord>): Promise<{ ops: Operation[]; next: boolean }> {
    const settle = (outcome: DeliveryRecord) => this.#queue.settle(claimed, outcome);
    const delivery = claimed.record;
    const message = await this.options.store.messages.get(delivery.message);
    if (!message) return { ops: [settle({ ...delivery, state: 'failed' })], next: true };
    const sender = this.options.senders[subscription.record.protocol];
    const outcome: SendOutcome = sender
      ? await sender.send(this.#outgoing(subscription.record, message))
      : { ok: false, reason: 'no SMTP relay configured' };
    const now = this.options.now();
    const done = { ...delivery, attempts: delivery.attempts + 1 };
    const { attempts } = done;
    if (outcome.ok) {
      this.options.metrics.deliveries.inc({ outcome: 'delivered' });
      return { ops: [settle({ ...done, state: 'delivered', finishedAt: now })], next: true };
    }
    const policy = parsePolicy(subscription.record.policy);
    if (mayRetry(policy, attempts)) {
      this.options.metrics.deliveries.inc({ outcome: 'retry' });
      this.options.metrics.retries.inc();
      this.options.logger.info(
        { subscription: subscription.record._id, messageId: message._id, attempts, reason: outcome.reason },
        'notification delivery failed, will retry',
      );
      return { ops: [settle({ ...done, dueAt: now + policy.countdownSeconds * 1000 })], next: false };
    }
    this.options.metrics.deliveries.inc({ outcome: 'failed' });
    this.options.logger.warn(
      { subscription: subscription.record._id, topic: subscription.record.topic, messageId: message._id, attempts, reason: outcome.reason },
      'notification subscription failed: delivery policy exhausted; its undelivered messages stay in the outbox',
    );
    const failed = { ...subscription.record, failedAt: new Date(now).toISOString() };
    return { ops: [settle({ ...done, state: 'failed', finishedAt: now }), this.options.store.subscriptions.put(failed, subscription)], next: false };
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
      const confirm = `${this.options.publicUrl}/notification/v1/subscriptions/confirm`;
      body.token = subscription.token;
      body.subscribeURL = `${confirm}?token=${subscription.token}`;
      // Reference clients add `token` to confirmURL themselves: a token in it too would reach us twice.
      if (this.options.confirmUrlMember) body.confirmURL = confirm;
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
