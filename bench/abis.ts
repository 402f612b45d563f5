/**
 * ABIS scenarios (`npm run bench -- --only abis`): template extraction per image (portraits and whole group photos,
 * through FaceModel's worker threads), and identification (1:N search of TemplateIndex) over 100,000 and 1,000,000
 * synthetic templates: p50/p99 per search and memory; enrolments with deduplication per second through the issuance
 * workflow of a server process. The bare-Express yardstick is measured before and after, so that
 * figures taken while the machine was busy can be told apart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FaceModel } from '../src/biometrics/face-model.js';
import { CONFIG_OPTIONS } from '../src/config/config-options.js';
import { TemplateIndex } from '../src/biometrics/template-index.js';
import { GROUP_PHOTOS, groupPhoto, portraits } from '../test/support/face-photos.js';
import { startProcess } from './processes.js';
import { DIMENSIONS, SyntheticFaces, syntheticEntry } from './synthetic-templates.js';
import { yardstickRate } from './yardstick.js';

/** OSIA_ABIS_THRESHOLD's default. */
const THRESHOLD = Number(CONFIG_OPTIONS.abisThreshold.default);
const CANDIDATES = 10;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const ms = (value: number) => value.toFixed(value < 10 ? 2 : 0);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

async function timed<T>(work: () => Promise<T> | T): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function extraction(): Promise<void> {
  const opening = performance.now();
  const model = await FaceModel.open();
  console.log(`abis: face model open (${model.threads} thread(s)) ${ms(performance.now() - opening)} ms`);
  try {
    for (const photo of GROUP_PHOTOS) {
      const image = await groupPhoto(photo);
      let faces = 0;
      const took = await timed(async () => {
        faces = (await model.faces(image)).length;
      });
      console.log(`abis: extraction, group photo ${photo} (${faces} faces) ${ms(took)} ms`);
    }
    const all = await portraits(model);
    const times: number[] = [];
    for (const portrait of all) times.push(await timed(() => model.template(portrait.image)));
    times.sort((a, b) => a - b);
    console.log(`abis: extraction, portrait (${all.length}): p50 ${ms(percentile(times, 50))} ms, max ${ms(times.at(-1) ?? 0)} ms`);
    const parallel = await timed(() => Promise.all(all.map((portrait) => model.template(portrait.image))));
    console.log(`abis: extraction, ${all.length} portraits at once: ${((all.length * 1000) / parallel).toFixed(1)} portraits/s`);
  } finally {
    await model.close();
  }
}

async function identify(size: number, searches: number): Promise<void> {
  const faces = new SyntheticFaces();
  const heapBefore = process.memoryUsage().heapUsed;
  const index = new TemplateIndex(DIMENSIONS);
  index.reserve(size);
  const kept: Float32Array[] = [];
  const filling = performance.now();
  for (let n = 0; n < size; n++) {
    const face = faces.person();
    index.put(syntheticEntry(n), face);
    if (n % Math.ceil(size / searches) === 0) kept.push(face);
  }
  const filled = performance.now() - filling;
  const entryBytes = process.memoryUsage().heapUsed - heapBefore;
  const accept = (entry: { active: boolean; galleries: readonly string[] }) => entry.active && entry.galleries.includes('G1');
  // Half the probes are another capture of an enrolled face (one hit), half a stranger (none, the full scan).
  const probes = kept.flatMap((face) => [faces.near(face, 0.02), faces.person()]).slice(0, searches);
  const times: number[] = [];
  let hits = 0;
  for (const probe of probes) {
    const start = performance.now();
    hits += index.search(probe, accept, THRESHOLD, CANDIDATES).length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const scanned = (size * DIMENSIONS * 4) / 2 ** 30 / (percentile(times, 50) / 1000);
  console.log(
    `abis: identify over ${size.toLocaleString('en')} templates (${searches} searches, ${hits} hits): p50 ${ms(percentile(times, 50))} ms, ` +
      `p99 ${ms(percentile(times, 99))} ms (${scanned.toFixed(1)} GiB/s); values ${mib(index.valueBytes)} MiB, ` +
      `entries and keys about ${mib(entryBytes)} MiB on the heap; filled in ${ms(filled)} ms`,
  );
}

/**
 * Enrolments with deduplication per second: a server process (src/main.ts, built-in engine, issuance workflow)
 * receives finalised enrolments, each with one of the demo portraits; the workflow identifies the face in the
 * national gallery, draws a UIN, creates the person, enrols the face and asks the CMS for a residence permit (the
 * shipped catalogue's internal producer) before answering. Two clients at once, as
 * two enrolment stations would. Resolves the rate and how many went through as UNIQUE.
 */
async function enrolmentsWithDeduplication(): Promise<{ perSecond: number; enrolments: number; unique: number }> {
  const model = await FaceModel.open();
  const images = (await portraits(model)).map((portrait) => portrait.image.toString('base64'));
  await model.close();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-bench-dedup-'));
  const server = await startProcess(['--import', 'tsx', 'src/main.ts'], {
    OSIA_HOST: '127.0.0.1',
    OSIA_DATA_DIR: dataDir,
    OSIA_AUTH: 'off',
    OSIA_INTERFACES: 'enrollment,uin,pr,cms,abis',
    OSIA_WORKFLOW: 'issuance',
    OSIA_LOG_LEVEL: 'info',
    NODE_ENV: 'production',
  });
  try {
    const enrol = async (n: number) => {
      const body = {
        enrollmentType: 'CITIZEN',
        requestData: { credentialProfileId: 'RESIDENCE_PERMIT' },
        biographicData: { firstName: `Bench${n}`, lastName: 'Dedup', dateOfBirth: '1990-04-12' },
        biometricData: [{ biometricType: 'FACE', biometricSubType: 'PORTRAIT', image: images[n] }],
      };
      const url = `${server.url}/enrollment/v1/enrollments/BENCH-${n}?transactionId=bench-${n}&finalize=true`;
      const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      if (res.status !== 204) throw new Error(`enrolment ${n}: ${res.status} ${await res.text()}`);
      const read = await fetch(`${server.url}/enrollment/v1/enrollments/BENCH-${n}?transactionId=bench-${n}`);
      const { requestData } = (await read.json()) as { requestData: { issuance?: { deduplication?: { result?: string } } } };
      return requestData.issuance?.deduplication?.result === 'UNIQUE';
    };
    let next = 0;
    let unique = 0;
    const station = async () => {
      for (let n = next++; n < images.length; n = next++) if (await enrol(n)) unique++;
    };
    const took = await timed(() => Promise.all([station(), station()]));
    return { perSecond: (images.length * 1000) / took, enrolments: images.length, unique };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function abisBench(options: { sizes: number[]; searches: number }): Promise<void> {
  console.log(`abis: bare Express yardstick before: ${await yardstickRate()} req/s`);
  await extraction();
  for (const size of options.sizes) await identify(size, options.searches);
  const { perSecond, enrolments, unique } = await enrolmentsWithDeduplication();
  console.log(`abis: enrolments with deduplication (${enrolments} portraits, ${unique} unique, 2 stations): ${perSecond.toFixed(2)}/s`);
  console.log(`abis: bare Express yardstick after: ${await yardstickRate()} req/s`);
}
