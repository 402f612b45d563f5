/**
 * `npx tsx bench/audit-trail.ts --data-dir DIR [--events 10000000 --from 0 --persons 1000000 --append-only]`: gives a
 * kept store (from `npm run bench:scale -- --keep DIR`) an audit trail as a long-running registry would have. The
 * events are written with the writes `AuditLog.append` makes (`appended`), 5,000 to a commit (one commit per
 * event, as the server makes, would take hours for ten million), and the real indexer files them meanwhile, as the
 * server's job does; at the end it catches up. Several runs may share the store at once (`--from` gives each its
 * own events; `--append-only` leaves the indexing to one of them, as to one server of several). Stop the server first.
 *
 * The mix, per 100 events: 94 reads naming one person (readPerson, readIdentity, verify, readAttributeSet,
 * readPersonAttributes), 5 writes naming one person and one identity (createIdentity, updateIdentity), 1 search
 * naming the 100 persons of its page (findPersons, queryPersonList). Persons are drawn uniformly from the
 * population; event times advance 250 ms per event (10,000,000 events span about a month).
 */
import { parseArgs } from 'node:util';
import { AuditLog } from '../src/audit/audit-log.js';
import type { AuditEvent } from '../src/audit/audit-trail.js';
import { createStorage } from '../src/storage/create-storage.js';
import { Store } from '../src/storage/store.js';
import { personId } from './population.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    events: { type: 'string', default: '10000000' },
    from: { type: 'string', default: '0' },
    'append-only': { type: 'boolean', default: false },
    persons: { type: 'string', default: '1000000' },
  },
});
const dataDir = values['data-dir'];
if (dataDir === undefined) throw new Error('--data-dir DIR is required');
const total = Number(values.events);
const from = Number(values.from);
const population = Number(values.persons);

const READS = ['readPerson', 'readIdentity', 'verify', 'readAttributeSet', 'readPersonAttributes'];
const start = Date.parse('2026-11-01T00:00:00Z');
const random = (n: number) => Math.floor(Math.random() * n);
const anyone = () => personId(random(population));

function eventAt(i: number): AuditEvent {
  const kind = i % 100;
  const common = { time: new Date(start + i * 250).toISOString(), subject: `agent-${i % 500}`, client: `client-${i % 20}`, status: 200 };
  if (kind === 0) {
    const page = Array.from({ length: 100 }, anyone);
    return { ...common, interface: 'pr', operationId: i % 200 === 0 ? 'findPersons' : 'queryPersonList', transactionId: `tx-${i}`, personIds: [...new Set(page)], recordIds: [] };
  }
  if (kind <= 5) {
    return { ...common, interface: 'pr', operationId: kind % 2 ? 'createIdentity' : 'updateIdentity', transactionId: `tx-${i}`, personIds: [anyone()], recordIds: ['ID1'] };
  }
  return { ...common, interface: 'pr', operationId: READS[kind % READS.length] as string, transactionId: `tx-${i}`, personIds: [anyone()], recordIds: [] };
}

const storage = await createStorage({ dataDir });
const store = new Store(storage);
const log = await AuditLog.open(store);
const began = performance.now();
let appended = 0;
let filed = 0;
let appending = true;
const seconds = () => (performance.now() - began) / 1000;
const progress = setInterval(() => {
  console.log(`${seconds().toFixed(0)} s: ${appended} events appended (${Math.round(appended / seconds())}/s), ${filed} filed`);
}, 30_000);

/** The server's indexer job, running beside the appends. */
async function indexWhileAppending(): Promise<void> {
  while (appending && !values['append-only']) {
    const batch = await log.indexer.runOnce();
    filed += batch;
    if (batch === 0) await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const CHUNK = 5000;

async function appendAll(): Promise<void> {
  for (let start = 0; start < total; start += CHUNK) {
    const events = Array.from({ length: Math.min(CHUNK, total - start) }, (_, k) => eventAt(from + start + k));
    await store.commit(events.flatMap((event) => log.appended(event)));
    appended += events.length;
  }
  appending = false;
}

await Promise.all([appendAll(), indexWhileAppending()]);
const appendSeconds = seconds();
console.log(`appended ${appended} events in ${appendSeconds.toFixed(0)} s (${Math.round(appended / appendSeconds)}/s), ${filed} filed meanwhile`);
if (!values['append-only']) for (let batch = await log.indexer.runOnce(); batch > 0; batch = await log.indexer.runOnce()) filed += batch;
console.log(`indexer caught up ${(seconds() - appendSeconds).toFixed(0)} s later: ${filed} events filed`);
clearInterval(progress);
await storage.documents.close();
