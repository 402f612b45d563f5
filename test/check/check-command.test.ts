/**
 * `osia-server check` run as a process (src/main.ts) against the real server, authentication on: the interfaces
 * we implement pass every check, and a server that ignores
 * OSIA is failed, not passed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type LiveServer, startLiveServer } from '../support/live-server.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function check(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/main.ts', 'check', ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

const lines = (run: Run, outcome: 'PASS' | 'FAIL' | 'SKIP', iface?: string) =>
  run.stdout.split('\n').filter((line) => line.startsWith(outcome) && (!iface || line.split(/\s+/)[1] === iface));

function summary(run: Run): { run: number; passed: number; failed: number; skipped: number } {
  const match = /(\d+) checks run: (\d+) passed, (\d+) failed; (\d+) skipped/.exec(run.stdout);
  assert.ok(match, run.stdout.slice(-500));
  const [, total, passed, failed, skipped] = match.map(Number) as number[];
  return { run: total as number, passed: passed as number, failed: failed as number, skipped: skipped as number };
}

describe('osia-server check against our own server', () => {
  let server: LiveServer;
  let token: string;
  let wrongScope: string;
  let dir: string;
  before(async () => {
    server = await startLiveServer();
    // Third Party's readAttributeSet names the set in its scope (id.ATTRIBUTESETNAME.read).
    token = await server.allScopes('id.DEFAULT_SET_01.read');
    wrongScope = await server.token('census.statistics.read');
    dir = await mkdtemp(path.join(os.tmpdir(), 'osia-check-'));
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('passes pr, dataaccess and uin: every check run passed, exit 0', async () => {
    const run = await check([server.url, '--interfaces', 'pr,dataaccess,uin', '--token', token, '--wrong-scope-token', wrongScope]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const figures = summary(run);
    assert.equal(figures.failed, 0);
    assert.equal(figures.passed, figures.run);
    assert.ok(figures.run > 100, `only ${figures.run} checks ran`);
    assert.deepEqual(lines(run, 'FAIL'), []);
    for (const expected of ['readPerson  ', 'round trip: person and identity', 'queryPersonList', 'generateUIN']) {
      assert.ok(lines(run, 'PASS').some((line) => line.includes(expected)), `no passing check of ${expected}`);
    }
  });

  it('all eight interfaces: every check run passes, exit 0', async () => {
    const junit = path.join(dir, 'all.xml');
    const run = await check([
      server.url,
      '--token',
      token,
      '--wrong-scope-token',
      wrongScope,
      '--fixture',
      'thirdparty.attributeSetName=DEFAULT_SET_01',
      '--junit',
      junit,
    ]);
    for (const iface of ['enrollment', 'pr', 'dataaccess', 'uin', 'notification', 'cms', 'thirdparty', 'abis']) {
      assert.deepEqual(lines(run, 'FAIL', iface), [], `${iface} has failures`);
      assert.ok(lines(run, 'PASS', iface).length >= 5, `${iface} passed too few checks`);
    }
    assert.equal(run.code, 0, run.stdout.slice(-2000));
    const xml = await readFile(junit, 'utf8');
    assert.match(xml, /<testsuite name="pr" tests="\d+" failures="0"/);
    assert.match(xml, /<testsuite name="abis" tests="\d+" failures="0"/);
  });

  it('probes a scope-bound path with a value the token covers when no fixture names one', async () => {
    // The token holds id.DEFAULT_SET_01.read: readAttributeSet "without transactionId" must reach the validator (400),
    // not stop at the scope check (403) on a set the checker made up.
    const run = await check([server.url, '--interfaces', 'thirdparty', '--token', token, '--wrong-scope-token', wrongScope]);
    assert.deepEqual(lines(run, 'FAIL'), []);
    assert.match(lines(run, 'PASS', 'thirdparty').join('\n'), /readAttributeSet\s+required parameters enforced\s+without transactionId: 400/);
    assert.equal(run.code, 0, run.stdout);
  });

  it('reports checks it cannot make as skipped, never passed', async () => {
    const run = await check([server.url, '--interfaces', 'uin', '--token', token]);
    assert.equal(run.code, 0);
    assert.match(lines(run, 'SKIP', 'uin').join('\n'), /scope enforced\s+no --wrong-scope-token given/);
    assert.equal(summary(run).skipped, 1);
  });

  it('takes the token from --token-command', async () => {
    const run = await check([server.url, '--interfaces', 'uin', '--token-command', `printf %s ${token}`]);
    assert.equal(run.code, 0, run.stdout);
  });

  it('refuses bad usage with exit status 2', async () => {
    const run = await check(['--interfaces', 'nope', 'http://127.0.0.1:1']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--interfaces: unknown nope/);
  });
});

describe('osia-server check against a server that ignores OSIA', () => {
  let fake: Server;
  let url: string;
  before(async () => {
    // Answers everything with 200 and an empty object: no auth, no validation, no 404s.
    fake = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    fake.listen(0, '127.0.0.1');
    await once(fake, 'listening');
    url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => fake.close(() => resolve())));

  it('fails every check the server gets wrong, with the reason', async () => {
    const run = await check([url, '--interfaces', 'uin,pr', '--token', 'any', '--wrong-scope-token', 'other']);
    assert.equal(run.code, 1);
    const failed = lines(run, 'FAIL').join('\n');
    assert.match(failed, /generateUIN\s+answer as documented\s+body does not match the 200 schema/);
    assert.match(failed, /generateUIN\s+required parameters enforced\s+without transactionId: expected 400, got 200/);
    assert.match(failed, /generateUIN\s+token required\s+without a token: expected 401, got 200/);
    assert.match(failed, /readPerson\s+unknown id answers 404/);
    assert.match(failed, /round trip: person and identity\s+createPerson\s+expected 201, got 200/);
    assert.ok(summary(run).failed > 50);
  });
});

it('fails every check of a target that does not answer, never passes one', async () => {
  const closed = createServer();
  closed.listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const run = await check([`http://127.0.0.1:${port}`, '--interfaces', 'uin', '--token', 'any']);
  assert.equal(run.code, 1);
  assert.equal(lines(run, 'PASS').length, 0);
  assert.match(lines(run, 'FAIL').join('\n'), /route exists.*no answer/);
});
