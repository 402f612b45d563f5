#!/usr/bin/env node
/**
 * `npm start` runs this first: it compiles the TypeScript only when `dist/` is missing or older than the sources,
 * so that a fresh clone starts with `npm ci && npm start` and every later start costs a directory walk, not a build.
 * Plain JavaScript, so that checking needs no compiler.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const stamp = path.join(root, 'dist', '.build-stamp');
const inputs = ['src', 'generated', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newest(entry) {
  const stats = statSync(entry, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(entry).reduce((latest, name) => Math.max(latest, newest(path.join(entry, name))), stats.mtimeMs);
}

const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (inputs.some((input) => newest(path.join(root, input)) > built)) {
  process.stderr.write('osia-server: compiling the TypeScript sources (dist/ is missing or older than src/)\n');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stamp, '');
}
