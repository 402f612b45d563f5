/**
 * The Notification engine of one app: its service (the 8 operations) and its delivery worker. The composition root
 * registers the worker as a background job: the server starts it once listening and stops it on shutdown; tests
 * drive `worker.runOnce()` with a fake clock instead.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { type Config, publicUrlOf } from '../config/config-options.js';
import type { Clock } from '../shared/clock.js';
import type { ProfileSettings } from '../profile/profile-settings.js';
import type { Store } from '../storage/store.js';
import { AddressCheck } from '../shared/address-check.js';
import { DeliveryWorker } from './delivery-worker.js';
import { EmailDelivery } from './email-delivery.js';
import { HttpDelivery } from '../shared/http-delivery.js';
import { createNotificationMetrics } from './notification-metrics.js';
import { openNotificationRecords } from './notification-records.js';
import { NotificationService } from './notification-service.js';
import { RetentionSweep } from './retention-sweep.js';

export interface NotificationEngine {
  service: NotificationService;
  worker: DeliveryWorker;
  /** Absent when retention is 0 (keep everything). */
  retention: RetentionSweep | undefined;
}

export interface NotificationEngineParts {
  store: Store;
  config: Config;
  settings: ProfileSettings;
  /** Registry of `/metrics`: the engine publishes its gauges there. */
  metrics: Registry;
  clock: Clock;
  logger: Logger;
}

export async function openNotificationEngine(deps: NotificationEngineParts): Promise<NotificationEngine> {
  const { config, logger } = deps;
  const store = await openNotificationRecords(deps.store);
  const now = () => deps.clock().getTime();
  const metrics = createNotificationMetrics(deps.metrics, store, now);
  const check = new AddressCheck(config.notificationAllow, 'notifications');
  const http = new HttpDelivery({
    check,
    timeoutMs: config.notificationTimeout * 1000,
    clientCert: config.notificationClientCert,
    clientKey: config.notificationClientKey,
    ca: config.notificationCa,
  });
  const email = config.smtpUrl ? new EmailDelivery(config.smtpUrl, config.smtpFrom, config.notificationTimeout * 1000) : undefined;
  const worker = new DeliveryWorker({
    store,
    senders: { http, ...(email ? { email } : {}) },
    metrics,
    logger,
    now,
    concurrency: config.notificationConcurrency,
    leaseMs: config.notificationLease * 1000,
    sendTimeoutMs: config.notificationTimeout * 1000,
    pollIntervalMs: config.notificationPollInterval,
    publicUrl: publicUrlOf(config),
    // Reference-implementation compatibility, chosen by the country profile (`compatibility.confirmURL`).
    confirmUrlMember: deps.settings.compatibility.confirmURL,
  });
  const service = new NotificationService({ store, check, metrics, now, emailEnabled: email !== undefined, wake: () => worker.wake() });
  const retention = config.notificationRetention > 0 ? new RetentionSweep({ store, now, retentionMs: config.notificationRetention * 1000 }) : undefined;
  return { service, worker, retention };
}
