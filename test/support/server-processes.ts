/** Real server processes (src/main.ts) sharing one fresh data directory, for tests of several processes on one store. */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exitOf, spawnTs, waitForLine } from './child-process.js';

export interface ServerProcesses {
  dataDir: string;
  /** Each server's base URL, `http://127.0.0.1:<port>` (https with OSIA_TLS_CERT). */
  bases: string[];
  stop(): Promise<void>;
}

/** `env` is every server's; `own(i)` adds the settings of the i-th (its ports, say). */
export async function startServers(count: number, env: NodeJS.ProcessEnv = {}, own: (index: number) => NodeJS.ProcessEnv = () => ({})): Promise<ServerProcesses> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-two-'));
  const children: ChildProcess[] = [];
  const bases: string[] = [];
  // One after the other: the first creates the schema (and the CA), the next ones open them.
  for (let i = 0; i < count; i++) {
    const child = spawnTs('src/main.ts', [], { PORT: '0', OSIA_HOST: '127.0.0.1', OSIA_DATA_DIR: dataDir, OSIA_AUTH: 'off', ...env, ...own(i) });
    children.push(child);
    const listening = JSON.parse(await waitForLine(child, (line) => line.includes('listening')));
    // Keep reading its log: a full pipe would block the server.
    child.stdout?.resume();
    child.stderr?.resume();
    bases.push(`${listening.scheme}://127.0.0.1:${listening.port}`);
  }
  return {
    dataDir,
    bases,
    async stop() {
      for (const child of children) {
        child.kill('SIGTERM');
        await exitOf(child);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
