/**
 * Fails (exit 1) when src/ reads the system time outside the clock module: every "now" must come from the injected
 * `Clock` (src/shared/clock.ts), so that tests move time instead of waiting. Run by `npm test` (`npm run clock`).
 * Comments are skipped; `new Date(value)` (a given time) and `performance.now()` (durations) are fine.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The files that may read the system time, and why. */
const ALLOWED: Record<string, string> = {
  'src/shared/clock.ts': 'the system clock itself',
  'src/storage/adapter-conventions.ts':
    'SequenceClock orders writes by wall-clock microseconds so that processes sharing a database agree; a fake app clock would break that order',
  'src/auth/token-verifier.ts': "the verified-token cache expires with the token, whose `exp` jose checks against the system time: both must read the same time",
};

const SYSTEM_TIME = /\bnew Date\(\s*\)|\bDate\.now\b/;
const COMMENT = /^\s*(\/\/|\*|\/\*)/;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(file);
      return Promise.resolve(entry.name.endsWith('.ts') ? [file] : []);
    }),
  );
  return nested.flat();
}

const offences: string[] = [];
for (const file of await sourceFiles('src')) {
  const name = file.split(path.sep).join('/');
  if (name in ALLOWED) continue;
  const lines = (await readFile(file, 'utf8')).split('\n');
  lines.forEach((line, index) => {
    if (!COMMENT.test(line) && SYSTEM_TIME.test(line)) offences.push(`${name}:${index + 1}: ${line.trim()}`);
  });
}
if (offences.length > 0) {
  console.error('The system time is read outside src/shared/clock.ts; take the injected Clock instead:');
  for (const offence of offences) console.error(`  ${offence}`);
  process.exit(1);
}
console.log(`clock: no system time read outside the ${Object.keys(ALLOWED).length} allowed files`);
