/** Prometheus metrics of the ABIS tasks, on the app's `/metrics` registry. */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { TaskRecords } from './task-records.js';

export interface TaskMetrics {
  accepted: Counter;
  ran: Counter<'outcome'>;
  callbacks: Counter<'outcome'>;
}

export function createTaskMetrics(registry: Registry, records: TaskRecords): TaskMetrics {
  const registers = [registry];
  new Gauge({
    name: 'osia_abis_tasks_pending',
    help: 'ABIS tasks accepted and not run yet, or waiting for an asynchronous engine (PENDING)',
    registers,
    async collect() {
      this.set(await records.tasks.count({ state: { $in: ['queued', 'started'] } }));
    },
  });
  new Gauge({
    name: 'osia_abis_callbacks_waiting',
    help: 'ABIS results waiting for delivery to their callback (RESPONSE_SCHEDULED, RESPONSE_RETRY)',
    registers,
    async collect() {
      this.set(await records.tasks.count({ state: { $in: ['scheduled', 'retry'] } }));
    },
  });
  return {
    accepted: new Counter({ name: 'osia_abis_tasks_accepted_total', help: 'ABIS calls accepted as tasks (with a callback)', registers }),
    ran: new Counter({
      name: 'osia_abis_tasks_run_total',
      help: 'ABIS tasks whose outcome is known, by outcome (result, error)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    callbacks: new Counter({
      name: 'osia_abis_callbacks_total',
      help: 'Callback POSTs of ABIS results, by outcome (delivered, retry, failed)',
      labelNames: ['outcome'] as const,
      registers,
    }),
  };
}
