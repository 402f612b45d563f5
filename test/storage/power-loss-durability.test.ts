/**
 * Durability against power loss, seen from the system calls: the writer runs under strace, and every id it reports
 * as acknowledged must have had its WAL frames written and then fsynced (an fsync of the WAL that started after
 * those frames were written, and finished) before the acknowledgement was written. Without that fsync a power cut
 * could lose an acknowledged write even though `kill -9` cannot.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';

const WRITES = 400;
const strace = spawnSync('strace', ['-o', '/dev/null', 'true']).status === 0;

it('fsyncs the WAL after an acknowledged write is written and before it is acknowledged', { skip: !strace && 'strace cannot run here' }, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'osia-power-'));
  try {
    const trace = path.join(dir, 'strace.txt');
    const writer = path.join(import.meta.dirname, 'fixtures', 'write-until-killed.ts');
    const args = ['-f', '-qq', '-s', '65536', '-y', '-e', 'trace=pwrite64,write,fsync,fdatasync', '-o', trace];
    const child = spawn('strace', [...args, process.execPath, '--import', 'tsx', writer, path.join(dir, 'data'), 'w', String(WRITES)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    const { acknowledged, walSyncs } = checkTrace(await readFile(trace, 'utf8'));
    assert.equal(acknowledged, WRITES, 'every write was acknowledged and checked');
    assert.ok(walSyncs > 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** Replays the trace in order; fails on the first acknowledgement not yet covered by a finished WAL fsync. */
function checkTrace(text: string): { acknowledged: number; walSyncs: number } {
  const firstWalWrite = new Map<string, number>();
  const unfinished = new Map<string, { call: string; at: number }>();
  let durableBefore = -1;
  let acknowledged = 0;
  let walSyncs = 0;
  const finished = (call: string, startedAt: number, result: string) => {
    if (/^pwrite64\(\d+<[^>]*-wal>/.test(call)) {
      for (const [, id] of call.matchAll(/_id\\":\\"(w\d+)\\"/g)) if (!firstWalWrite.has(id as string)) firstWalWrite.set(id as string, startedAt);
    } else if (/^f(data)?sync\(\d+<[^>]*-wal>/.test(call) && result.trim() === '0') {
      durableBefore = Math.max(durableBefore, startedAt);
      walSyncs += 1;
    }
  };
  text.split('\n').forEach((line, at) => {
    const match = /^(\d+) +(.*)$/.exec(line);
    if (!match) return;
    const [, pid = '', rest = ''] = match;
    if (rest.startsWith('<...')) {
      const started = unfinished.get(pid);
      unfinished.delete(pid);
      if (started) finished(started.call, started.at, rest.slice(rest.lastIndexOf('=') + 1));
      return;
    }
    if (/^write\(1</.test(rest)) {
      const [, output = ''] = /^write\(1<[^>]*>, "((?:[^"\\]|\\.)*)"/.exec(rest) ?? [];
      // Other processes (tsx's esbuild service) write to their own stdout too: only the writer's ids count.
      for (const id of output.split('\\n').filter((part) => /^w\d+$/.test(part))) {
        const written = firstWalWrite.get(id);
        assert.ok(written !== undefined, `${id} acknowledged before its WAL frames were written`);
        assert.ok(written < durableBefore, `${id} acknowledged before an fsync of the WAL covered it`);
        acknowledged += 1;
      }
    }
    if (rest.endsWith('<unfinished ...>')) unfinished.set(pid, { call: rest, at });
    else finished(rest, at, rest.slice(rest.lastIndexOf('=') + 1));
  });
  return { acknowledged, walSyncs };
}
