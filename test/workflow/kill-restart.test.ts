/**
 * `enrollmentFinalized` survives kill -9 between the finalising commit and the workflow: a server that leaves the
 * enrolment outbox alone (OSIA_OUTBOX_INTERVAL=0) answers 204 to a finalisation and is killed with SIGKILL; the record
 * is in the store, and a server started normally on the same data directory runs the issuance workflow from it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createStorage } from '../../src/storage/create-storage.js';
import { exitOf, spawnTs, waitForLine } from '../support/child-process.js';
import { waitFor } from '../support/wait-for.js';

const TX = '?transactionId=tx-kill';

async function startServer(dataDir: string, env: NodeJS.ProcessEnv = {}) {
  const child = spawnTs('src/main.ts', [], {
    PORT: '0',
    OSIA_HOST: '127.0.0.1',
    OSIA_DATA_DIR: dataDir,
    OSIA_AUTH: 'off',
    OSIA_INTERFACES: 'enrollment,uin,pr,cms',
    OSIA_WORKFLOW: 'issuance',
    OSIA_OUTBOX_INTERVAL: '50',
    OSIA_LOG_LEVEL: 'info',
    ...env,
  });
  const listening = JSON.parse(await waitForLine(child, (line) => line.includes('listening'))) as { port: number };
  // Keep reading its log: a full pipe would block the server.
  child.stdout?.resume();
  child.stderr?.resume();
  return { child, base: `http://127.0.0.1:${listening.port}` };
}

/** The enrolment outbox records in the data directory, read with the server stopped. */
async function outboxRecords(dataDir: string): Promise<unknown[]> {
  const storage = await createStorage({ dataDir });
  try {
    return await (await storage.documents.collection('enrollment_finalized_outbox')).find({});
  } finally {
    await storage.documents.close();
  }
}

describe('Issuance workflow across kill -9', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-issuance-kill-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('a finalisation committed but not yet relayed runs its workflow after a restart', async () => {
    const paused = await startServer(dataDir, { OSIA_OUTBOX_INTERVAL: '0' });
    const enrollment = {
      enrollmentType: 'CITIZEN',
      requestData: { priority: 2, requestType: 'FIRST_ISSUANCE', credentialProfileId: 'RESIDENCE_PERMIT' },
      biographicData: { firstName: 'Amina', lastName: 'Diallo', dateOfBirth: '1990-04-12' },
    };
    const created = await fetch(`${paused.base}/enrollment/v1/enrollments/K-1${TX}&finalize=true`, {
      method: 'POST',
      body: JSON.stringify(enrollment),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(created.status, 204, await created.text());
    const before = (await (await fetch(`${paused.base}/enrollment/v1/enrollments/K-1${TX}`)).json()) as { status: string; requestData: object };
    assert.deepEqual([before.status, 'issuance' in before.requestData], ['FINALIZED', false], 'committed, workflow not started');
    paused.child.kill('SIGKILL');
    assert.equal((await exitOf(paused.child)).signal, 'SIGKILL');
    assert.deepEqual(
      (await outboxRecords(dataDir)).map((record) => (record as { enrollmentId: string }).enrollmentId),
      ['K-1'],
      'the event is in the store',
    );

    const restarted = await startServer(dataDir);
    try {
      const issuance = await waitFor('the issuance workflow to finish after the restart', async () => {
        const read = (await (await fetch(`${restarted.base}/enrollment/v1/enrollments/K-1${TX}`)).json()) as {
          requestData: { issuance?: { status: string; uin: string } };
        };
        return read.requestData.issuance?.status === 'DONE' && read.requestData.issuance;
      });
      assert.equal((await fetch(`${restarted.base}/pr/v1/persons/${issuance.uin}${TX}`)).status, 200, 'the person exists');
    } finally {
      restarted.child.kill('SIGTERM');
      await exitOf(restarted.child);
    }
    assert.deepEqual(await outboxRecords(dataDir), [], 'the record is gone once the workflow ran');
  });
});
