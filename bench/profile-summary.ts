/**
 * `tsx bench/profile-summary.ts FILE.cpuprofile [--top 25] [--skip-ms 0]`: the functions with the most self time in a V8 CPU
 * profile (as written by `node --cpu-prof`), as a Markdown table, then the same time added up by package. Self time of
 * a node is its sample count times the mean sampling interval; nodes of the same function (same name, file and line)
 * are added up. Idle time is left out: percentages are of the time the process was busy.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds between a sample and the one before it (the first: since startTime). */
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  percent: number;
}

/** Where a function lives, short: the package for dependencies, the path below the project for our own code. */
function whereOf(url: string, line: number): string {
  if (url === '') return '';
  const file = url.replace(/^file:\/\//, '');
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (dependency) return dependency[1] as string;
  if (file.startsWith('node:')) return file;
  return `${path.relative(process.cwd(), file)}:${line + 1}`;
}

/**
 * `skipMs`: samples taken in the first milliseconds of the profile (start-up, loading) are left out, and those
 * taken after `untilMs` (another phase of the run).
 */
export function selfTimes(profile: CpuProfile, skipMs = 0, untilMs = Number.POSITIVE_INFINITY): SelfTime[] {
  const counts = new Map<number, number>();
  let at = 0;
  let kept = 0;
  const idle = new Set(profile.nodes.filter(({ callFrame }) => callFrame.functionName === '(idle)').map(({ id }) => id));
  profile.samples.forEach((id, index) => {
    at += (profile.timeDeltas[index] ?? 0) / 1000;
    if (at < skipMs || at > untilMs || idle.has(id)) return;
    counts.set(id, (counts.get(id) ?? 0) + 1);
    kept++;
  });
  const interval = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
  const byFunction = new Map<string, SelfTime>();
  for (const node of profile.nodes) {
    const samples = counts.get(node.id) ?? 0;
    if (samples === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const where = whereOf(url, lineNumber);
    const key = `${name} ${where}`;
    const entry = byFunction.get(key) ?? { name, where, ms: 0, percent: 0 };
    entry.ms += samples * interval;
    byFunction.set(key, entry);
  }
  const total = kept * interval;
  return [...byFunction.values()]
    .map((entry) => ({ ...entry, percent: (100 * entry.ms) / total }))
    .sort((a, b) => b.ms - a.ms);
}

/** Our own files count as one "package" per folder of src/; Node's internals, V8's pseudo-frames as theirs. */
function packageOf({ name, where }: SelfTime): string {
  if (where === '') return name.startsWith('(') ? name : 'native bindings (I/O, crypto)';
  if (where.startsWith('node:')) return 'node internals';
  return where.replace(/^(src\/[^/]+)\/.*$/, '$1').replace(/:\d+$/, '');
}

export function byPackage(entries: readonly SelfTime[]): SelfTime[] {
  const grouped = new Map<string, SelfTime>();
  for (const entry of entries) {
    const name = packageOf(entry);
    const group = grouped.get(name) ?? { name, where: '', ms: 0, percent: 0 };
    group.ms += entry.ms;
    group.percent += entry.percent;
    grouped.set(name, group);
  }
  return [...grouped.values()].sort((a, b) => b.ms - a.ms);
}

export function markdownTable(entries: readonly SelfTime[]): string {
  const rows = entries.map(({ name, where, ms, percent }) => `| ${percent.toFixed(1)} | ${Math.round(ms)} | \`${name}\` | ${where} |`);
  return ['| self % | self ms | function | where |', '|---:|---:|---|---|', ...rows].join('\n');
}

function packageTable(entries: readonly SelfTime[]): string {
  const rows = entries.map(({ name, ms, percent }) => `| ${percent.toFixed(1)} | ${Math.round(ms)} | ${name} |`);
  return ['| self % | self ms | package |', '|---:|---:|---|', ...rows].join('\n');
}

export async function summarise(file: string, top: number, skipMs = 0, untilMs = Number.POSITIVE_INFINITY): Promise<string> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const entries = selfTimes(profile, skipMs, untilMs);
  return `${markdownTable(entries.slice(0, top))}\n\n${packageTable(byPackage(entries).slice(0, top))}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' }, 'skip-ms': { type: 'string', default: '0' } },
  });
  const [file] = positionals;
  if (!file) {
    process.stderr.write('usage: tsx bench/profile-summary.ts FILE.cpuprofile [--top 25] [--skip-ms 0]\n');
    process.exit(2);
  }
  process.stdout.write(`${await summarise(file, Number(values.top), Number(values['skip-ms']))}\n`);
}
