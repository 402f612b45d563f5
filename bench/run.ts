/**
 * `npm run bench [-- --persons 10000 --duration 10 --connections 16 --only readPerson,findPersons --direct --scale]`
 *
 * `--scale` (implies `--direct`) also reports the server's start time to a ready `/readyz` on the loaded store, its
 * RSS right after start, and the database size per person: the figures of docs/performance.md at 1,000,000 persons.
 *
 * Starts osia-server (embedded store, fresh temporary data directory) and a bare Express yardstick as child
 * processes, loads the population through the API (or, with --direct, straight into the store), then measures each scenario with autocannon and prints
 * requests/s, p50/p99 latency, errors and the server's peak RSS.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { mintDevToken } from '../src/cli/mint-token.js';
import { DATABASE_FILE } from '../src/storage/create-storage.js';
import { loadDirectly } from './direct-load.js';
import { loadPopulation } from './load-population.js';
import { type ServerProcess, startProcess } from './processes.js';
import { SCENARIOS, type Scenario } from './scenarios.js';

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: process.env.OSIA_BENCH_PERSONS ?? '10000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    only: { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    direct: { type: 'boolean', default: false },
    scale: { type: 'boolean', default: false },
  },
});
const direct = values.direct || values.scale;
const persons = Number(values.persons);
const duration = Number(values.duration);
const connections = Number(values.connections);
const selected = values.only?.split(',') ?? [];
const scenarios = SCENARIOS.filter((s) => selected.length === 0 || selected.some((name) => s.name.startsWith(name)));

interface Row {
  scenario: string;
  'requests/s': number;
  'p50 ms': number;
  'p99 ms': number;
  errors: number;
}

async function measure(scenario: Scenario, url: string, headers: Record<string, string>): Promise<Row> {
  const result = await autocannon({ url, connections, duration, headers, requests: scenario.requests(persons) });
  return {
    scenario: scenario.name,
    'requests/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/** Start to a 200 from /readyz, and the RSS of the server once ready (before any load). */
async function reportStart(osia: ServerProcess, starting: number): Promise<void> {
  while ((await fetch(`${osia.url}/readyz`).catch(() => undefined))?.status !== 200) await setTimeout(20);
  console.log(`scale: start to ready /readyz ${((Date.now() - starting) / 1000).toFixed(2)} s; RSS after start ${osia.rssMiB()} MiB`);
}

async function reportSize(): Promise<void> {
  const files = (await readdir(dataDir)).filter((file) => file.startsWith(DATABASE_FILE));
  const bytes = (await Promise.all(files.map((file) => stat(path.join(dataDir, file))))).reduce((sum, s) => sum + s.size, 0);
  console.log(`scale: database ${(bytes / 2 ** 20).toFixed(0)} MiB (${files.join(', ')}), ${(bytes / persons).toFixed(0)} bytes per person`);
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-bench-'));
const servers: ServerProcess[] = [];
try {
  if (direct) {
    const started = Date.now();
    await loadDirectly(dataDir, persons, ['firstName', 'lastName', 'dateOfBirth']);
    console.log(`wrote ${persons} persons directly into the store in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  }
  const starting = Date.now();
  const osia = await startProcess(['--import', 'tsx', 'src/main.ts'], {
    PORT: '0',
    OSIA_HOST: '127.0.0.1',
    OSIA_DATA_DIR: dataDir,
    OSIA_LOG_LEVEL: values['log-level'],
    NODE_ENV: 'production',
  });
  if (values.scale) await reportStart(osia, starting);
  const bare = await startProcess(['--import', 'tsx', 'bench/bare-express.ts'], {});
  servers.push(osia, bare);
  console.log(`osia-server ${osia.url} (embedded store in ${dataDir}), bare Express ${bare.url}`);
  console.log(`${os.cpus().length} CPUs, Node ${process.version}, ${connections} connections, ${duration}s per scenario`);
  // Authentication stays on, as in production: every request carries a token signed by the development key.
  const token = await mintDevToken({
    dataDir,
    scope: 'pr.person.read pr.person.write pr.identity.read pr.identity.write pr.reference.write pr.gallery.read id.verify id.DEFAULT_SET_01.read cms.request.write',
    subject: 'bench',
    client: 'bench',
    ttlSeconds: 3600,
  });
  // autocannon replaces (does not merge) per-request headers, so every request gets both.
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  if (!direct) {
    const loadStart = Date.now();
    await loadPopulation(osia.url, persons, headers);
    const loadSeconds = (Date.now() - loadStart) / 1000;
    console.log(`loaded ${persons} persons through the API (3 requests each) in ${loadSeconds.toFixed(1)}s`);
  }
  const rows: Row[] = [];
  for (const scenario of scenarios) {
    const row = await measure(scenario, scenario.target === 'bare' ? bare.url : osia.url, headers);
    rows.push(row);
    console.log(`${row.scenario}: ${row['requests/s']} req/s, p50 ${row['p50 ms']} ms, p99 ${row['p99 ms']} ms`);
  }
  console.table(rows);
  const rate = (name: string) => rows.find((row) => row.scenario === name)?.['requests/s'];
  const [real, yardstick] = [rate('readPerson'), rate('readPerson (bare Express)')];
  if (real && yardstick) console.log(`readPerson / bare Express: ${((100 * real) / yardstick).toFixed(0)}%`);
  console.log(`osia-server peak RSS: ${osia.peakRssMiB()} MiB`);
  if (values.scale) await reportSize();
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await rm(dataDir, { recursive: true, force: true });
}
