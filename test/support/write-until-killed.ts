/**
 * Child process of the kill -9 test: opens the embedded store in the given directory, then inserts records one
 * after another forever, printing each id once the store has acknowledged it.
 */
import { createStorage } from '../../src/storage/create-storage.js';

const dataDir = process.argv[2] as string;
const storage = await createStorage({ dataDir });
const persons = await storage.documents.collection('persons');
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const id = `person-${i}`;
  await persons.insert({ _id: id, status: 'ACTIVE', physicalStatus: 'ALIVE', n: i });
  process.stdout.write(`${id}\n`);
}
