/**
 * The registry's size on /metrics: persons, identities and biometric records, counted by the store when
 * Prometheus scrapes (never from a cache, so several server instances on one MongoDB agree).
 */
import { Gauge, type Registry } from 'prom-client';
import type { PopulationRegistry } from '../registry/population-registry.js';

export function registerRegistryGauges(metrics: Registry, registry: PopulationRegistry): void {
  new Gauge({
    name: 'osia_pr_persons',
    help: 'Persons in the population registry',
    registers: [metrics],
    async collect() {
      this.set(await registry.persons.count());
    },
  });
  new Gauge({
    name: 'osia_pr_identities',
    help: 'Identities in the population registry',
    registers: [metrics],
    async collect() {
      this.set(await registry.identities.count());
    },
  });
  new Gauge({
    name: 'osia_pr_biometric_records',
    help: 'Biometric records (biometricData items) held in population registry identities',
    registers: [metrics],
    async collect() {
      this.set(await registry.biometricRecordCount());
    },
  });
}
