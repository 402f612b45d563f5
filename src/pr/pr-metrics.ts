/**
 * The registry's size on /metrics: persons, identities and biometric records. Counted when Prometheus scrapes
 * (the biometric total sums a per-identity count, so it is cached briefly to keep scrapes cheap).
 */
import { Gauge, type Registry } from 'prom-client';
import type { PopulationRegistry } from '../registry/population-registry.js';

const BIOMETRIC_CACHE_MS = 15_000;

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
  let cached: { at: number; value: number } | undefined;
  new Gauge({
    name: 'osia_pr_biometric_records',
    help: 'Biometric records (biometricData items) held in population registry identities',
    registers: [metrics],
    async collect() {
      if (!cached || Date.now() - cached.at > BIOMETRIC_CACHE_MS) {
        const withBiometrics = await registry.identities.find({ bioCount: { $gt: 0 } });
        cached = { at: Date.now(), value: withBiometrics.reduce((sum, record) => sum + Number(record.bioCount), 0) };
      }
      this.set(cached.value);
    },
  });
}
