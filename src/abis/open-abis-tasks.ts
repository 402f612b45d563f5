/**
 * The ABIS task layer of one app: the service the routes use (and the settler of an asynchronous engine), and its
 * three jobs: the runner, the callback delivery and the retention sweep. The composition root registers the jobs;
 * tests leave them stopped and drive `runner.runOnce()`, `delivery.runOnce()` and `retention.sweep()` with a fake clock.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AbisEngine } from '../biometrics/abis-engine.port.js';
import type { Config } from '../config/config-options.js';
import { AddressCheck } from '../shared/address-check.js';
import { type BackgroundJob, PeriodicJob } from '../shared/background-jobs.js';
import type { Clock } from '../shared/clock.js';
import { HttpDelivery } from '../shared/http-delivery.js';
import type { Store } from '../storage/store.js';
import { CallbackDelivery } from './callback-delivery.js';
import type { TaskAudit } from './task-audit.js';
import { createTaskMetrics } from './task-metrics.js';
import { openTaskRecords } from './task-records.js';
import { TASK_SWEEP_INTERVAL_MS, TaskRetention } from './task-retention.js';
import { TaskRunner } from './task-runner.js';
import { TaskService } from './task-service.js';

export interface AbisTaskLayer {
  service: TaskService;
  runner: TaskRunner;
  delivery: CallbackDelivery;
  retention: TaskRetention;
  /** The runner, the delivery and the sweep, as background jobs. */
  jobs: BackgroundJob[];
}

export interface AbisTaskParts {
  store: Store;
  engine: AbisEngine;
  config: Config;
  /** Registry of `/metrics`. */
  metrics: Registry;
  clock: Clock;
  logger: Logger;
  /** Records the persons named by asynchronous results. */
  audit: TaskAudit;
}

/** The shortest lease of a running task: a built-in identify or an extraction queue takes far less. */
const MIN_RUN_LEASE_MS = 300_000;

export async function openAbisTasks(parts: AbisTaskParts): Promise<AbisTaskLayer> {
  const { config, logger } = parts;
  const records = await openTaskRecords(parts.store);
  const now = () => parts.clock().getTime();
  const metrics = createTaskMetrics(parts.metrics, records);
  const check = new AddressCheck(config.abisCallbackAllow, 'ABIS callbacks');
  const sendTimeoutMs = config.abisCallbackTimeout * 1000;
  const sender = new HttpDelivery({ check, timeoutMs: sendTimeoutMs });
  const delivery = new CallbackDelivery({ records, sender, metrics, logger, now, attempts: config.abisCallbackRetries, sendTimeoutMs });
  const deliveryJob = new PeriodicJob('ABIS callback delivery', config.abisPollInterval, () => delivery.runOnce(), logger);
  const wakeDelivery = () => deliveryJob.wake();
  // A gateway call may take its whole timeout: the lease outlasts it twice.
  const leaseMs = Math.max(MIN_RUN_LEASE_MS, 2 * config.abisGatewayTimeout * 1000);
  const { audit } = parts;
  const runner = new TaskRunner({ records, engine: parts.engine, metrics, logger, now, leaseMs, wakeDelivery, audit });
  const runnerJob = new PeriodicJob('ABIS task runner', config.abisPollInterval, () => runner.runOnce(), logger);
  const service = new TaskService({ records, check, metrics, now, wakeRunner: () => runnerJob.wake(), wakeDelivery, audit });
  const retention = new TaskRetention({ records, settler: service, now, retentionMs: config.abisTaskRetention * 1000, logger });
  const retentionJob = new PeriodicJob('ABIS task retention sweep', TASK_SWEEP_INTERVAL_MS, () => retention.sweep(), logger);
  return { service, runner, delivery, retention, jobs: [runnerJob, deliveryJob, retentionJob] };
}
