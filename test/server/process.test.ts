/** The real command line: --help, configuration errors, start-up and graceful shutdown on SIGTERM. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { projectRoot } from '../../src/openapi/project-root.js';
import { exitOf, outputOf, spawnTs, waitForLine } from '../support/child-process.js';

describe('osia-server process', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-process-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('--help lists the settings and exits 0', async () => {
    const { stdout, code } = await outputOf(spawnTs('src/main.ts', ['--help']));
    assert.equal(code, 0);
    for (const name of ['PORT', 'OSIA_DATA_DIR', 'MONGODB_URI', 'OSIA_INTERFACES', '--port', '--data-dir']) {
      assert.ok(stdout.includes(name), name);
    }
  });

  it('refuses a bad setting with a one-line reason and exit code 2', async () => {
    const { stderr, code } = await outputOf(spawnTs('src/main.ts', [], { PORT: 'eighty' }));
    assert.equal(code, 2);
    assert.equal(stderr, 'osia-server: PORT must be an integer from 0 to 65535, got "eighty"\n');
  });

  it('starts, answers /readyz, and stops cleanly on SIGTERM', async () => {
    const child = spawnTs('src/main.ts', [], { PORT: '0', OSIA_HOST: '127.0.0.1', OSIA_DATA_DIR: dataDir });
    const listening = JSON.parse(await waitForLine(child, (line) => line.includes('listening')));
    assert.equal(listening.store, 'embedded');
    const ready = await fetch(`http://127.0.0.1:${listening.port}/readyz`);
    assert.equal(ready.status, 200);
    // Authentication is on by default; `npm run token` mints a token the server accepts.
    const uinUrl = `http://127.0.0.1:${listening.port}/uin/v1/uin?transactionId=t`;
    assert.equal((await fetch(uinUrl, { method: 'POST' })).status, 401);
    const minted = await outputOf(spawnTs('src/cli/mint-token.ts', ['--scope', 'uin.generate', '--data-dir', dataDir]));
    assert.equal(minted.code, 0);
    const generated = await fetch(uinUrl, { method: 'POST', headers: { authorization: `Bearer ${minted.stdout.trim()}` } });
    assert.equal(generated.status, 200);
    const stopped = waitForLine(child, (line) => line.includes('"stopped"'));
    child.kill('SIGTERM');
    await stopped;
    assert.deepEqual(await exitOf(child), { code: 0, signal: null });
  });

  it('npm start, then SIGTERM to the npm process: the server stops gracefully and nothing is left serving', async () => {
    const env = { ...process.env, PORT: '0', OSIA_HOST: '127.0.0.1', OSIA_DATA_DIR: dataDir, OSIA_AUTH: 'on' };
    const npm = spawn('npm', ['start'], { cwd: projectRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    const listening = JSON.parse(await waitForLine(npm, (line) => line.includes('listening')));
    const health = `http://127.0.0.1:${listening.port}/healthz`;
    assert.equal((await fetch(health)).status, 200);
    const stopped = waitForLine(npm, (line) => line.includes('"stopped"'));
    npm.kill('SIGTERM');
    await stopped;
    assert.deepEqual(await exitOf(npm), { code: 0, signal: null });
    await assert.rejects(fetch(health), 'no server is left listening');
  });

  it('the token command of the README prints the token alone, so that TOKEN=$(…) works', async () => {
    const readme = await readFile(path.join(projectRoot(), 'README.md'), 'utf8');
    const command = /^TOKEN=\$\((npm run .*)\)$/m.exec(readme)?.[1];
    assert.ok(command, 'the README shows TOKEN=$(npm run …)');
    const child = spawn('sh', ['-c', command], { cwd: projectRoot(), env: { ...process.env, OSIA_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    const { stdout, code } = await outputOf(child);
    assert.equal(code, 0);
    assert.match(stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/, `only a JWT on stdout: ${JSON.stringify(stdout.slice(0, 80))}`);
  });
});
