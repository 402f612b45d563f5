/** Starts the servers under test as child processes, so that the load generator does not share their event loop. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '../test/support/free-port.js';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout } from 'node:timers/promises';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Peak resident set size so far, in MiB (Linux VmHWM). */
  peakRssMiB(): number;
  /** Resident set size now, in MiB (Linux VmRSS). */
  rssMiB(): number;
  /** CPU time the process has used so far (user + system), in milliseconds (Linux /proc, 10 ms resolution). */
  cpuMs(): number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The port given as `PORT` (a free one by default: pick it first when the environment must name it). */
  port?: number;
  /** `https` when the server serves TLS (OSIA_TLS_CERT). */
  scheme?: 'http' | 'https';
}

/**
 * Starts `node <args>` listening on a free port given as `PORT`, and resolves once the port takes connections:
 * whatever the server's log level, nothing depends on what it prints.
 */
export async function startProcess(args: string[], env: NodeJS.ProcessEnv, options: StartOptions = {}): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`server exited with ${code} before listening`);
  });
  await Promise.race([listening(port), exited]);
  exited.catch(() => undefined);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  // Keep draining stdout (request logs) so that the child never blocks on a full pipe; show server errors.
  lines.on('line', (line) => {
    if (line.includes('"level":50')) process.stderr.write(`server error: ${line}\n`);
  });
  return {
    url: `${options.scheme ?? 'http'}://127.0.0.1:${port}`,
    child,
    peakRssMiB: () => statusMiB(child, 'VmHWM'),
    rssMiB: () => statusMiB(child, 'VmRSS'),
    cpuMs: () => cpuMsOf(child),
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

/** utime + stime of /proc/PID/stat (fields 14 and 15, after the parenthesised command name), in ms; 0 once gone. */
function cpuMsOf(child: ChildProcess): number {
  try {
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Clock ticks are 1/100 s on Linux (USER_HZ).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** Resolves once a TCP connection to the port succeeds (the server is listening). */
async function listening(port: number): Promise<void> {
  for (;;) {
    const socket = net.connect(port, '127.0.0.1');
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('error', () => resolve(false));
    });
    socket.destroy();
    if (connected) return;
    await setTimeout(20);
  }
}
