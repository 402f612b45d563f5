/**
 * The Notification engine of one app: its service (the 8 operations) and its delivery worker, opened once and
 * shared under `NOTIFICATION_ENGINE`. The worker is registered as a background job: the server starts it once
 * listening and stops it on shutdown; tests drive `worker.runOnce()` with a fake clock instead.
 */
import type { InterfaceDependencies } from '../http/interface-dependencies.js';
import { AddressCheck } from './address-check.js';
import { DeliveryWorker } from './delivery-worker.js';
import { EmailDelivery } from './email-delivery.js';
import { HttpDelivery } from './http-delivery.js';
import { createNotificationMetrics } from './notification-metrics.js';
import { openNotificationCollections } from './notification-records.js';
import { NotificationService } from './notification-service.js';

export const NOTIFICATION_ENGINE = 'notification-engine';

export interface NotificationEngine {
  service: NotificationService;
  worker: DeliveryWorker;
}

export function sharedNotificationEngine(deps: InterfaceDependencies): Promise<NotificationEngine> {
  return deps.shared.get(NOTIFICATION_ENGINE, async () => {
    const { config, logger } = deps;
    const store = await openNotificationCollections(deps.storage.documents);
    const now = () => deps.clock().getTime();
    const metrics = createNotificationMetrics(deps.metrics, store, now);
    const check = new AddressCheck(config.notificationAllow);
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
      pollIntervalMs: config.notificationPollInterval,
      publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
      // Reference-implementation compatibility, chosen by the country profile (`compatibility.confirmURL`).
      confirmUrlMember: deps.settings.compatibility.confirmURL,
    });
    const service = new NotificationService({ store, check, metrics, now, emailEnabled: email !== undefined, wake: () => worker.wake() });
    deps.jobs.add(worker);
    return { service, worker };
  });
}
