/**
 * `npm run bench [-- --persons 10000 --duration 10 --connections 16 --only readPerson,findPersons --direct --scale --profile]`
 * `npm run bench -- --only notification` runs the Notification scenarios (bench/notification.ts; also part of a run
 * without `--only`), `--only abis` the ABIS ones (bench/abis.ts: extraction, identification at 100,000 and 1,000,000
 * templates; also part of a run without `--only`), `--only my-data` the citizen's access report (bench/my-data.ts: a
 * page's p99 for a person with 10,000 accesses; also part of a run without `--only`), `--only oidc` the OpenID
 * provider over HTTP/TLS (bench/oidc.ts: logins per second with the ID card in `--login-loops` loops for `--duration`
 * seconds; the /me report's rate and p99 for a person with `--accesses` accesses, default 10,000; also part of a run
 * without `--only`).
 * `npm run bench -- --data-dir DIR --persons N …` measures a store loaded earlier with the same population
 * (`npm run bench:scale -- --persons N --keep DIR`) and leaves it in place.
 *
 * `--scale` (implies `--direct`) also reports the server's start time to a ready `/readyz` on the loaded store, its
 * RSS right after start, and the database size per person: the figures of docs/performance.md at 1,000,000 persons.
 *
 * Starts osia-server (embedded store, fresh temporary data directory) and a bare Express yardstick as child
 * processes, loads the population through the API (or, with --direct, straight into the store), then measures each
 * scenario with autocannon right after the yardstick, under the same load from elsewhere on the machine, and prints
 * both with their ratio, p50/p99 latency, errors and the server's peak RSS. With --profile the server runs under
 * `node --cpu-prof`; its profile is written when it stops and summarised as its top self-time functions.
 */
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
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
import { abisBench } from './abis.js';
import { myDataBench } from './my-data.js';
import { notificationBench } from './notification.js';
import { oidcBench } from './oidc.js';
import { summarise } from './profile-summary.js';
import { SCENARIOS, type Scenario, YARDSTICK } from './scenarios.js';

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: process.env.OSIA_BENCH_PERSONS ?? '10000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    only: { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    direct: { type: 'boolean', default: false },
    scale: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'profile-dir': { type: 'string', default: '.tmp/cpu-profiles' },
    'data-dir': { type: 'string' },
    'login-loops': { type: 'string', default: '8' },
    accesses: { type: 'string', default: '10000' },
  },
});
const kept = values['data-dir'];
const direct = values.direct || values.scale;
const persons = Number(values.persons);
const duration = Number(values.duration);
const connections = Number(values.connections);
const selected = values.only?.split(',') ?? [];
const scenarios = SCENARIOS.filter((s) => selected.length === 0 || selected.some((name) => s.name.startsWith(name)));
const withNotification = selected.length === 0 || selected.includes('notification');
const withAbis = selected.length === 0 || selected.includes('abis');
const withMyData = selected.length === 0 || selected.includes('my-data');
const withOidc = selected.length === 0 || selected.includes('oidc');
const ABIS_LOAD = { sizes: [100_000, 1_000_000], searches: 200 };
const MY_DATA_LOAD = { accesses: 10_000, pages: 200 };
const NOTIFICATION_LOAD = { publishes: 2000, latencyMessages: 200, drainMessages: 10_000 };
const OIDC_LOAD = { persons: 50, concurrency: Number(values['login-loops']), duration, accesses: Number(values.accesses),
  logLevel: values['log-level'],
  ...(values.profile && { profileDir: path.resolve(values['profile-dir']) }),
};

interface Measured {
  /** Units of work per second (requests, or pairs for a two-request scenario). */
  rate: number;
  p50: number;
  p99: number;
  errors: number;
  /** The server's CPU time per request (user + system), in µs. */
  cpuUs: number;
}

async function measure(scenario: Scenario, server: ServerProcess, headers: Record<string, string>): Promise<Measured> {
  const cpuBefore = server.cpuMs();
  const result = await autocannon({ url: server.url, connections, duration, headers, requests: scenario.requests(persons) });
  return {
    rate: Math.round(result.requests.average / (scenario.requestsPerUnit ?? 1)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuUs: Math.round(((server.cpuMs() - cpuBefore) * 1000) / Math.max(1, result.requests.total)),
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

/** The scenarios that start their own servers. */
async function otherBenches(): Promise<void> {
  if (withNotification) await notificationBench(NOTIFICATION_LOAD);
  if (withAbis) await abisBench(ABIS_LOAD);
  if (withMyData) await myDataBench(MY_DATA_LOAD);
  if (withOidc) await oidcBench(OIDC_LOAD);
}

if (scenarios.length === 0) {
  // `--only notification` / `--only abis` / `--only my-data` / `--only oidc`: nothing else to start.
  await otherBenches();
  process.exit(0);
}
const dataDir = kept ? path.resolve(kept) : await mkdtemp(path.join(os.tmpdir(), 'osia-bench-'));
const profileDir = path.resolve(values['profile-dir']);
const servers: ServerProcess[] = [];
let osia: ServerProcess | undefined;
let profiledFrom = 0;
try {
  if (direct && !kept) {
    const started = Date.now();
    await loadDirectly(dataDir, persons, ['firstName', 'lastName', 'dateOfBirth']);
    console.log(`wrote ${persons} persons directly into the store in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  }
  if (values.profile) await mkdir(profileDir, { recursive: true });
  const profiling = values.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const spawned = Date.now();
  osia = await startProcess([...profiling, '--import', 'tsx', 'src/main.ts'], {
    OSIA_HOST: '127.0.0.1',
    OSIA_DATA_DIR: dataDir,
    OSIA_LOG_LEVEL: values['log-level'],
    NODE_ENV: 'production',
  });
  if (values.scale) await reportStart(osia, spawned);
  const bare = await startProcess(['--import', 'tsx', 'bench/bare-express.ts'], {});
  servers.push(osia, bare);
  console.log(`osia-server ${osia.url} (embedded store in ${dataDir}), bare Express ${bare.url}`);
  console.log(`${os.cpus().length} CPUs, Node ${process.version}, ${connections} connections, ${duration}s per scenario and per yardstick`);
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
  if (!direct && !kept) {
    const loadStart = Date.now();
    await loadPopulation(osia.url, persons, headers);
    const loadSeconds = (Date.now() - loadStart) / 1000;
    console.log(`loaded ${persons} persons through the API (3 requests each) in ${loadSeconds.toFixed(1)}s`);
  }
  profiledFrom = Date.now() - spawned;
  const rows: Record<string, string | number>[] = [];
  for (const scenario of scenarios) {
    // The yardstick just before each scenario: the other load on the machine is about the same for both.
    const yardstick = await measure(YARDSTICK, bare, headers);
    const real = await measure(scenario, osia, headers);
    const unit = scenario.requestsPerUnit ? 'pairs/s' : 'req/s';
    const ratio = (real.rate * (scenario.requestsPerUnit ?? 1)) / yardstick.rate;
    rows.push({
      scenario: scenario.name,
      rate: `${real.rate} ${unit}`,
      'p50 ms': real.p50,
      'p99 ms': real.p99,
      errors: real.errors,
      'bare Express req/s': yardstick.rate,
      'requests ratio': ratio.toFixed(2),
      'CPU µs/req': real.cpuUs,
      'bare CPU µs/req': yardstick.cpuUs,
    });
    console.log(
      `${scenario.name}: ${real.rate} ${unit}, p50 ${real.p50} ms, p99 ${real.p99} ms; bare Express ${yardstick.rate} req/s; ratio ${ratio.toFixed(2)}; ` +
        `server CPU ${real.cpuUs} µs/request, bare ${yardstick.cpuUs} µs`,
    );
  }
  console.table(rows);
  console.log(`osia-server peak RSS: ${osia.peakRssMiB()} MiB`);
  if (values.scale) await reportSize();
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  if (!kept) await rm(dataDir, { recursive: true, force: true });
}
if (values.profile && osia) {
  const pid = osia.child.pid;
  const file = (await readdir(profileDir)).find((name) => name.includes(`.${pid}.0.`) && name.endsWith('.cpuprofile'));
  if (file) {
    console.log(`CPU profile of the server: ${path.join(profileDir, file)} (top self time after the first ${profiledFrom} ms: start-up and loading)`);
    console.log(await summarise(path.join(profileDir, file), 25, profiledFrom));
  } else {
    console.log(`no CPU profile of process ${pid} found in ${profileDir}`);
  }
}
await otherBenches();
