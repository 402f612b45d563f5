/** Starts the servers under test as child processes, so that the load generator does not share their event loop. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Peak resident set size so far, in MiB (Linux VmHWM). */
  peakRssMiB(): number;
  /** Resident set size now, in MiB (Linux VmRSS). */
  rssMiB(): number;
  stop(): Promise<void>;
}

export async function startProcess(args: string[], env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
    lines.on('line', (line) => {
      const match = /"port":(\d+)/.exec(line);
      if (match) resolve(Number(match[1]));
    });
  });
  // Keep draining stdout (request logs) so that the child never blocks on a full pipe; show server errors.
  lines.on('line', (line) => {
    if (line.includes('"level":50')) process.stderr.write(`server error: ${line}\n`);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    peakRssMiB: () => statusMiB(child, 'VmHWM'),
    rssMiB: () => statusMiB(child, 'VmRSS'),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A memory figure of a running process (`VmHWM` peak, `VmRSS` now), in MiB; 0 once it has gone. */
export function statusMiB(child: ChildProcess, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}
