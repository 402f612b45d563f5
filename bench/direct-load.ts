/**
 * `--direct` (and `--scale`): writes the population straight into the embedded store, in the registry's own record layout, before
 * the server starts. Loading 100 000 persons through the API takes the better part of an hour on a small machine
 * (every pair is two durable commits); the read scenarios only need the records to be there. Each chunk is one
 * transaction per collection.
 */
import { SingleBar } from 'cli-progress';
import { PopulationRegistry } from '../src/registry/population-registry.js';
import { GALLERIES, IDENTITIES, PERSONS } from '../src/registry/registry-records.js';
import { createStorage } from '../src/storage/create-storage.js';
import { identityOf, PERSON, personId } from './population.js';

const CHUNK = 1000;

export async function loadDirectly(dataDir: string, count: number, indexedAttributes: string[]): Promise<void> {
  const storage = await createStorage({ dataDir });
  try {
    const registry = await PopulationRegistry.open(storage, { indexedAttributes });
    const [persons, identities, galleries] = await Promise.all(
      [PERSONS, IDENTITIES, GALLERIES].map((name) => storage.documents.collection(name)),
    );
    await galleries?.insertMany([{ _id: 'CITIZENS' }, { _id: 'RESIDENTS' }]);
    const bar = new SingleBar({ format: 'writing persons [{bar}] {value}/{total} {percentage}%' });
    bar.start(count, 0);
    for (let start = 0; start < count; start += CHUNK) {
      const indices = Array.from({ length: Math.min(CHUNK, count - start) }, (_, k) => start + k);
      const lastTransactionId = 'bench-direct-load';
      await persons?.insertMany(
        indices.map((i) => ({ _id: personId(i), ...PERSON, referenceId: 'ID1', lastTransactionId })),
      );
      const records = await Promise.all(
        indices.map((i) => {
          const now = new Date().toISOString();
          const identity = { ...identityOf(i), createdDate: now, updatedDate: now };
          return registry.identityRecord({ personId: personId(i), identityId: 'ID1', isReference: true, lastTransactionId }, identity);
        }),
      );
      await identities?.insertMany(records);
      bar.update(start + indices.length);
    }
    bar.stop();
  } finally {
    await storage.documents.close();
  }
}
