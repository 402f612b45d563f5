/** Prometheus metrics of the Notification engine, on the app's `/metrics` registry. */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { NotificationRecords } from './notification-records.js';

export interface NotificationMetrics {
  published: Counter;
  deliveries: Counter<'outcome'>;
  retries: Counter;
}

export function createNotificationMetrics(registry: Registry, store: NotificationRecords, now: () => number): NotificationMetrics {
  const registers = [registry];
  new Gauge({
    name: 'osia_notification_outbox_depth',
    help: 'Deliveries waiting in the outbox (pending, first tries and retries)',
    registers,
    async collect() {
      this.set(await store.deliveries.count({ state: 'pending' }));
    },
  });
  new Gauge({
    name: 'osia_notification_oldest_pending_seconds',
    help: 'Age of the oldest pending delivery, in seconds (0 when none)',
    registers,
    async collect() {
      const [oldest] = await store.deliveries.find({ state: 'pending' }, { sort: { order: 1 }, limit: 1 });
      this.set(oldest ? Math.max(0, (now() - Number(oldest.order)) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'osia_notification_failed_deliveries',
    help: 'Deliveries that exhausted their subscription policy (their subscription is marked failed)',
    registers,
    async collect() {
      this.set(await store.deliveries.count({ state: 'failed' }));
    },
  });
  return {
    published: new Counter({ name: 'osia_notification_messages_published_total', help: 'Messages published', registers }),
    deliveries: new Counter({
      name: 'osia_notification_deliveries_total',
      help: 'Delivery attempts, by outcome (delivered, retry, failed)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    retries: new Counter({ name: 'osia_notification_retries_total', help: 'Delivery attempts that will be tried again', registers }),
  };
}
