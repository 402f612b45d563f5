/**
 * `npm run bench:scale [-- --persons 1000000 --keep DIR]`: a registry at national scale on one machine.
 *
 * Writes the population as NDJSON (one identity per person, realistic biographic data, no images), loads it with
 * `osia-server import` (the compiled binary, as an operator runs it), then starts the server on that store. Prints
 * the import time and rate, the import's peak RSS, the store's size per person, the time from process start to
 * `/readyz` and the server's RSS after start. With `--keep DIR` the store stays in DIR, for `npm run bench -- --data-dir DIR`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { identityOf, PERSON, personId } from './population.js';
import { type ServerProcess, startProcess, statusMiB } from './processes.js';

const { values } = parseArgs({
  options: { persons: { type: 'string', default: '1000000' }, keep: { type: 'string' } },
});
const persons = Number(values.persons);
const binary = path.join('dist', 'src', 'main.js');

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

async function writePopulation(file: string): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < persons; i++) {
    const line = JSON.stringify({ personId: personId(i), ...PERSON, identities: [{ identityId: 'ID1', ...identityOf(i) }], reference: 'ID1' });
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Runs the compiled binary to its end, sampling its peak RSS (VmHWM) while it runs. */
async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ seconds: number; peakMiB: number; output: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [binary, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  let peakMiB = 0;
  const sampler = setInterval(() => {
    peakMiB = Math.max(peakMiB, statusMiB(child, 'VmHWM'));
  }, 100);
  const [code] = await once(child, 'exit');
  clearInterval(sampler);
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}`);
  return { seconds: (performance.now() - started) / 1000, peakMiB, output };
}

/** Starts the server and times process start → first 200 from /readyz. */
async function timeToReady(env: NodeJS.ProcessEnv): Promise<{ seconds: number; server: ServerProcess }> {
  const started = performance.now();
  const server = await startProcess([binary], env);
  while ((await fetch(`${server.url}/readyz`).catch(() => undefined))?.status !== 200);
  return { seconds: (performance.now() - started) / 1000, server };
}

const dataDir = values.keep ?? (await mkdtemp(path.join(os.tmpdir(), 'osia-scale-')));
const work = await mkdtemp(path.join(os.tmpdir(), 'osia-scale-input-'));
try {
  spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { stdio: 'inherit' });
  const file = path.join(work, 'population.ndjson');
  await writePopulation(file);
  const input = (await stat(file)).size;
  console.log(`${persons} persons, ${(input / 2 ** 20).toFixed(0)} MiB of NDJSON; ${os.cpus().length} CPUs, Node ${process.version}`);
  const env = { OSIA_DATA_DIR: dataDir, NODE_ENV: 'production', OSIA_LOG_LEVEL: 'warn' };
  const imported = await run(['import', file], env);
  console.log(imported.output.trim());
  const rate = Math.round(persons / imported.seconds);
  console.log(`import: ${imported.seconds.toFixed(1)} s (${rate} persons/s), peak RSS ${imported.peakMiB} MiB`);
  const size = await sizeOf(dataDir);
  console.log(`store: ${(size / 2 ** 20).toFixed(0)} MiB, ${Math.round(size / persons)} bytes per person`);
  // The first start also creates the keys the server keeps (development token key, CMS CA, proof key): timed apart.
  for (const start of ['first start (creates keys)', 'start']) {
    const { seconds, server } = await timeToReady({ ...env, OSIA_LOG_LEVEL: 'info', OSIA_HOST: '127.0.0.1' });
    console.log(`${start} to /readyz: ${seconds.toFixed(2)} s, RSS after start ${server.peakRssMiB()} MiB`);
    await server.stop();
  }
} finally {
  await rm(work, { recursive: true, force: true });
  if (!values.keep) await rm(dataDir, { recursive: true, force: true });
}
