/**
 * `--direct` (and `--scale`): writes the population straight into the embedded store through the registry (as
 * `osia-server import` does), before the server starts. Loading 100 000 persons through the API takes the better
 * part of an hour on a small machine (every pair is two durable commits); the read scenarios only need the records
 * to be there. Each chunk is one commit.
 */
import { SingleBar } from 'cli-progress';
import { PopulationRegistry } from '../src/registry/population-registry.js';
import { systemClock } from '../src/shared/clock.js';
import { createStorage } from '../src/storage/create-storage.js';
import { Store } from '../src/storage/store.js';
import { identityOf, PERSON, personId } from './population.js';

const CHUNK = 1000;

export async function loadDirectly(dataDir: string, count: number, indexedAttributes: string[]): Promise<void> {
  const storage = await createStorage({ dataDir });
  try {
    const registry = await PopulationRegistry.open(new Store(storage), { indexedAttributes, clock: systemClock });
    const bar = new SingleBar({ format: 'writing persons [{bar}] {value}/{total} {percentage}%' });
    bar.start(count, 0);
    const transactionId = 'bench-direct-load';
    for (let start = 0; start < count; start += CHUNK) {
      const indices = Array.from({ length: Math.min(CHUNK, count - start) }, (_, k) => start + k);
      const now = new Date().toISOString();
      const persons = indices.map((i) => ({
        person: { _id: personId(i), ...PERSON, referenceId: 'ID1', lastTransactionId: transactionId },
        identities: [{ ...registry.identityRecord(personId(i), 'ID1', { ...identityOf(i), createdDate: now, updatedDate: now }, transactionId), isReference: true }],
      }));
      await registry.create(persons, { transactionId, operationId: 'importPerson' }, ({ person }) => ({ personId: person._id }));
      bar.update(start + indices.length);
    }
    bar.stop();
  } finally {
    await storage.documents.close();
  }
}
