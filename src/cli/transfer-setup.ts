/**
 * What `import` and `export` open, from the same configuration as the server: the store, the population registry
 * and the PR document's schemas with the country profile applied.
 */
import type { Config } from '../config/config-options.js';
import { createSchemaValidator } from '../openapi/schema-validator.js';
import { PersonTransfer } from '../pr/person-transfer.js';
import { loadServedSetup } from '../profile/served-documents.js';
import { PopulationRegistry } from '../registry/population-registry.js';
import { createStorage } from '../storage/create-storage.js';
import { Store } from '../storage/store.js';
import { systemClock } from '../shared/clock.js';

export interface OpenTransfer {
  transfer: PersonTransfer;
  close(): Promise<void>;
}

export async function openTransfer(config: Config): Promise<OpenTransfer> {
  const { documents } = await loadServedSetup(['pr'], config.profile);
  const [pr] = documents;
  if (!pr) throw new Error('the PR document is missing');
  const storage = await createStorage({ dataDir: config.dataDir, mongodbUri: config.mongodbUri, mongodbDatabase: config.mongodbDatabase });
  try {
    const registry = await PopulationRegistry.open(new Store(storage), { indexedAttributes: config.indexedAttributes, clock: systemClock });
    const transfer = new PersonTransfer(registry, createSchemaValidator(pr.document), () => systemClock().toISOString());
    return { transfer, close: () => storage.documents.close() };
  } catch (err) {
    await storage.documents.close();
    throw err;
  }
}
