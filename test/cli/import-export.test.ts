/**
 * `osia-server export` and `import` as a registry runs them: a round trip through an empty store gives the same
 * bytes; bad and duplicate lines are reported by line number while the rest goes in; running an import again is
 * harmless; standard input works.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { projectRoot } from '../../src/openapi/project-root.js';
import { outputOf } from '../support/child-process.js';
import { ALIVE, claim, createIdentity, createPerson, defineReference, TX } from '../support/registry-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Runs `osia-server <args>` from the sources on `dataDir`, optionally feeding standard input. */
async function cli(dataDir: string, args: string[], input?: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: projectRoot(),
    env: { ...process.env, OSIA_DATA_DIR: dataDir },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) child.stdin?.end(input);
  return outputOf(child);
}

// Larger than what records keep inline: the image goes to the blob store and must come back in the export.
const PORTRAIT = Buffer.alloc(5000, 42).toString('base64');

describe('import and export', () => {
  let work: string;
  let source: TestApp;
  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'osia-transfer-'));
    source = await createTestApp({ interfaces: ['pr'] });
    await createPerson(source, 'B2', ALIVE);
    await createPerson(source, 'A1', { status: 'ACTIVE', physicalStatus: 'DEAD' });
    await createIdentity(source, 'A1', 'I1', claim({ firstName: 'Ada', lastName: 'Lovelace' }, { biometricData: [{ biometricType: 'FACE', image: PORTRAIT }] }));
    await createIdentity(source, 'A1', 'I0', claim({ firstName: 'Augusta' }, { galleries: ['RESIDENTS'] }));
    await defineReference(source, 'A1', 'I1');
    await createIdentity(source, 'B2', 'ONLY', { identityType: 'CIVIL', status: 'VALID' });
    await source.storage.documents.close();
  });
  after(async () => {
    await rm(source.dataDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('export, import into an empty store, export again: the same bytes, binaries and references included', async () => {
    const first = path.join(work, 'first.ndjson');
    const exported = await cli(source.dataDir, ['export', first]);
    assert.equal(exported.code, 0, exported.stderr);
    const lines = (await readFile(first, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(lines.map((person) => person.personId), ['B2', 'A1'], 'in the order they were stored');
    assert.deepEqual(lines[1].identities.map((identity: { identityId: string }) => identity.identityId), ['I1', 'I0']);
    assert.equal(lines[1].identities[0].biometricData[0].image, PORTRAIT, 'binaries inline, in the API field');
    assert.equal(lines[1].reference, 'I1');
    assert.equal(lines[0].reference, undefined);

    const target = await mkdtemp(path.join(work, 'target-'));
    const imported = await cli(target, ['import', first]);
    assert.deepEqual([imported.code, imported.stdout], [0, 'imported 2 persons, 0 already present, 0 lines refused\n'], imported.stderr);
    const second = path.join(work, 'second.ndjson');
    assert.equal((await cli(target, ['export', second])).code, 0);
    assert.equal(await readFile(second, 'utf8'), await readFile(first, 'utf8'));

    // The imported registry answers the API exactly as the source did.
    const app = await createTestApp({ interfaces: ['pr'], dataDir: target });
    try {
      const reference = await request(app.app).get(`/pr/v1/persons/A1/reference${TX}`);
      assert.equal(reference.body.biometricData[0].image, PORTRAIT);
      const gallery = await request(app.app).get(`/pr/v1/galleries/RESIDENTS${TX}`);
      assert.deepEqual(gallery.body, [{ personId: 'A1', identityId: 'I0' }]);
    } finally {
      await app.close();
    }
  });

  it('round-trips more persons than one export page or import batch holds', async () => {
    const persons = Array.from({ length: 1200 }, (_, i) => ({
      personId: `MANY-${String(i).padStart(4, '0')}`,
      ...ALIVE,
      identities: [{ identityId: 'ID', identityType: 'CIVIL', status: 'VALID', createdDate: '2026-01-01T00:00:00Z', updatedDate: '2026-01-01T00:00:00Z' }],
      reference: 'ID',
    }));
    const input = path.join(work, 'many.ndjson');
    await writeFile(input, `${persons.map((person) => JSON.stringify(person)).join('\n')}\n`);
    const target = await mkdtemp(path.join(work, 'many-'));
    assert.equal((await cli(target, ['import', input])).stdout, 'imported 1200 persons, 0 already present, 0 lines refused\n');
    const output = path.join(work, 'many-out.ndjson');
    const exported = await cli(target, ['export', output]);
    assert.equal(exported.code, 0, exported.stderr);
    const lines = (await readFile(output, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(lines.map(({ personId }) => personId), persons.map(({ personId }) => personId));
    assert.ok(lines.every((line) => line.identities.length === 1 && line.reference === 'ID'));
  });

  it('reports bad and duplicate lines with their numbers, imports the rest, and is harmless to run again', async () => {
    const file = path.join(work, 'mixed.ndjson');
    const person = (personId: string, extra: object = {}) => JSON.stringify({ personId, status: 'ACTIVE', physicalStatus: 'ALIVE', identities: [], ...extra });
    await writeFile(
      file,
      [
        person('M1'),
        '{"personId": "M2", "status": ',
        person('M3', { status: 'SLEEPING' }),
        person('M4', { identities: [{ identityId: 'X', identityType: 'CIVIL', status: 'CLAIMED' }], reference: 'Y' }),
        person('M1'),
        '',
        person('M5', { identities: [{ identityId: 'Z', identityType: 'CIVIL', status: 'VALID', biographicData: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) }] }),
        person('M6', { identities: [{ identityId: 'Z', identityType: 'CIVIL', status: 'VALID' }] }),
      ].join('\n'),
    );
    const dir = await mkdtemp(path.join(work, 'mixed-'));
    const first = await cli(dir, ['import', file]);
    assert.equal(first.code, 1, 'a refused line makes the exit status 1');
    assert.equal(first.stdout, 'imported 2 persons, 1 already present, 4 lines refused\n');
    const reports = first.stderr.trim().split('\n');
    assert.match(reports.find((line) => line.startsWith('line 2')) ?? '', /^line 2, person M2: .*JSON/);
    assert.match(reports.find((line) => line.startsWith('line 3')) ?? '', /^line 3, person M3: person: \/status/);
    assert.match(reports.find((line) => line.startsWith('line 4')) ?? '', /^line 4, person M4: reference "Y" names none of the identities/);
    assert.match(reports.find((line) => line.startsWith('line 5')) ?? '', /^line 5, person M1: already present/);
    assert.match(reports.find((line) => line.startsWith('line 7')) ?? '', /^line 7, person M5: .*deeper than 32 levels/);
    const again = await cli(dir, ['import', file]);
    assert.equal(again.stdout, 'imported 0 persons, 3 already present, 4 lines refused\n');
    const exported = await cli(dir, ['export', '-']);
    assert.deepEqual(exported.stdout.trim().split('\n').map((line) => JSON.parse(line).personId), ['M1', 'M6']);
  });

  it('reads standard input with -', async () => {
    const dir = await mkdtemp(path.join(work, 'stdin-'));
    const line = JSON.stringify({ personId: 'S1', status: 'ACTIVE', physicalStatus: 'ALIVE', identities: [] });
    const imported = await cli(dir, ['import', '-'], `${line}\n`);
    assert.deepEqual([imported.code, imported.stdout], [0, 'imported 1 persons, 0 already present, 0 lines refused\n']);
    assert.equal((await cli(dir, ['export', '-'])).stdout, `${line}\n`);
  });

  it('needs a FILE', async () => {
    const missing = await cli(work, ['import']);
    assert.deepEqual([missing.code, missing.stderr], [2, 'osia-server: import needs a FILE (- for standard input)\n']);
  });
});
