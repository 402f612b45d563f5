/**
 * ABIS scenarios (`npm run bench -- --only abis`): template extraction per image (portraits and whole group photos,
 * through FaceModel's worker threads), and identification (1:N search of TemplateIndex) over 100,000 and 1,000,000
 * synthetic templates: p50/p99 per search and memory. The bare-Express yardstick is measured before and after, so that
 * figures taken while the machine was busy can be told apart.
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { FaceModel } from '../src/biometrics/face-model.js';
import { TemplateIndex } from '../src/biometrics/template-index.js';
import { GROUP_PHOTOS, groupPhoto, portraits } from '../test/support/face-photos.js';
import { startProcess } from './processes.js';
import { DIMENSIONS, SyntheticFaces, syntheticEntry } from './synthetic-templates.js';

/** The default threshold of OSIA_ABIS_THRESHOLD (score 0.4 = distance 0.6). */
const THRESHOLD = 0.4;
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
 * Hook for the lead: enrolments with deduplication per second (createEncounter through the built-in engine with a
 * 1:N search of the gallery first). Resolves undefined until the workflow is wired.
 */
export async function enrolmentsWithDeduplicationPerSecond(): Promise<number | undefined> {
  return undefined;
}

async function yardstick(): Promise<number> {
  const bare = await startProcess(['--import', 'tsx', 'bench/bare-express.ts'], {});
  try {
    const result = await autocannon({ url: `${bare.url}/pr/v1/persons/P1`, connections: 16, duration: 3 });
    return Math.round(result.requests.average);
  } finally {
    await bare.stop();
  }
}

export async function abisBench(options: { sizes: number[]; searches: number }): Promise<void> {
  console.log(`abis: bare Express yardstick before: ${await yardstick()} req/s`);
  await extraction();
  for (const size of options.sizes) await identify(size, options.searches);
  const enrolments = await enrolmentsWithDeduplicationPerSecond();
  console.log(`abis: enrolments with deduplication: ${enrolments === undefined ? 'not measured yet (workflow not wired)' : `${enrolments.toFixed(1)}/s`}`);
  console.log(`abis: bare Express yardstick after: ${await yardstick()} req/s`);
}
