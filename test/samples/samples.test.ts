/**
 * Every sample in docs/samples runs against the real server, authentication on: the curl script with bash and
 * the typed-client program with tsx, each on a server of its own (birth registration refuses a second newborn of
 * the same name, as it should). A sample that stops working fails here.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { projectRoot } from '../../src/openapi/project-root.js';
import { type LiveServer, startLiveServer } from '../support/live-server.js';

const folder = path.join(projectRoot(), 'docs', 'samples');
const samples = readdirSync(folder)
  .filter((file) => file.endsWith('.sh') && file !== 'lib.sh')
  .map((file) => file.slice(0, -'.sh'.length));

function has(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const missingTools = ['bash', 'curl', 'jq'].filter((tool) => !has(tool));

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env: { ...process.env, ...env }, cwd: projectRoot() }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

it('covers the use cases the issue names, each as curl and as typed-client code', () => {
  assert.deepEqual(samples.sort(), ['bank-account-opening', 'birth-registration', 'gallery-export-csv', 'id-card-request', 'telco-kyc']);
  const files = readdirSync(folder);
  for (const sample of samples) assert.ok(files.includes(`${sample}.ts`), `${sample}.ts is missing`);
});

describe('the README quick start', () => {
  let server: LiveServer;
  before(async () => {
    server = await startLiveServer();
  });
  after(() => server.stop());
  it('is docs/samples/quickstart.ts, which creates a person and reads it back', async () => {
    const code = readFileSync(path.join(folder, 'quickstart.ts'), 'utf8');
    assert.ok(readFileSync(path.join(projectRoot(), 'README.md'), 'utf8').includes(code), 'README.md shows quickstart.ts as it is');
    const env = { BASE: server.url, TOKEN: await server.token('uin.generate pr.person.read pr.person.write') };
    const result = await run(process.execPath, ['--conditions=source', '--import', 'tsx', path.join(folder, 'quickstart.ts')], env);
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /^\d+ ACTIVE ALIVE\n$/);
  });
});

for (const language of ['curl', 'typed client'] as const) {
  describe(`samples as ${language}`, () => {
    let server: LiveServer;
    let env: NodeJS.ProcessEnv;
    before(async () => {
      server = await startLiveServer();
      env = { BASE: server.url, TOKEN: await server.allScopes('id.DEFAULT_SET_01.read') };
    });
    after(() => server.stop());

    for (const sample of samples) {
      const skip = language === 'curl' && missingTools.length > 0 ? `needs ${missingTools.join(', ')}` : false;
      it(sample, { skip }, async () => {
        const result =
          language === 'curl'
            ? await run('bash', [path.join(folder, `${sample}.sh`)], env)
            : await run(process.execPath, ['--conditions=source', '--import', 'tsx', path.join(folder, `${sample}.ts`)], env);
        assert.equal(result.code, 0, result.output);
      });
    }
  });
}
