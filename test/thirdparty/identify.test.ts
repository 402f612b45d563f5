/** Third Party identify and readIdentifyResult: 200 at once, or 202 → 204 → 200 → 404 once expired. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createStorage } from '../../src/storage/create-storage.js';
import { systemClock } from '../../src/shared/clock.js';
import { IdentifyTasks } from '../../src/thirdparty/identify-tasks.js';
import { fakeClock } from '../support/fake-clock.js';
import { createTestApp, } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';
import { tokenFor } from '../support/tokens.js';
import { ADA, citizen, issueCredential, TX } from './thirdparty-fixtures.js';
import { Store } from '../../src/storage/store.js';

const SMITHS = ['U-S1', 'U-S2', 'U-S3'];

describe('Third Party identify', () => {
  let card: string;
  const clock = fakeClock(Date.now());
  const t = useTestApp({ interfaces: ['pr', 'thirdparty', 'cms'], clock, env: { OSIA_IDENTIFY_SYNC_LIMIT: '2', OSIA_IDENTIFY_TASK_TTL: '60' } });
  before(async () => {
    await citizen(t, 'U-ADA', ADA, { contextualData: { contactData: { email: 'ada@example.org' } } });
    for (const [i, uin] of SMITHS.entries()) await citizen(t, uin, { firstName: `John${i}`, lastName: 'Smith', address: { city: 'Leeds' } });
    card = (await issueCredential(t, 'REQ-ADA', 'U-ADA')).credentialNumber;
  });

  const identify = (attributeSet: object, outputAttributeSetName = 'DEFAULT_SET_01') =>
    request(t.app).post(`/thirdparty/v1/identify${TX}`).send({ attributeSet, outputAttributeSetName });
  const result = (taskId: string) => request(t.app).get(`/thirdparty/v1/identify/${taskId}${TX}`);
  const tasks = () => {
    const found = t.services.thirdParty?.tasks;
    assert.ok(found);
    return found;
  };

  it('answers 200 with one attribute set per candidate when they are few', async () => {
    const res = await identify({ biographicData: { lastName: 'Lovelace', dateOfBirth: '1815-12-10' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, [{ biographicData: { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10', placeOfBirth: 'London' } }]);
  });

  it('searches contact data, nested members and credential numbers (credentials in force)', async () => {
    const lastNames = async (attributeSet: object) => ((await identify(attributeSet)).body as { biographicData: { lastName: string } }[]).map((s) => s.biographicData.lastName);
    assert.deepEqual(await lastNames({ contactData: { email: 'ada@example.org' } }), ['Lovelace']);
    assert.deepEqual(await lastNames({ credentialData: [{ credentialNumber: card }], biographicData: { firstName: 'Ada' } }), ['Lovelace']);
    assert.equal((await identify({ credentialData: [{ credentialNumber: card }], biographicData: { firstName: 'Eve' } })).status, 404);
    assert.equal((await identify({ biographicData: { firstName: 'John1', address: { city: 'Leeds' } } })).status, 200);
    const validFromDate = new Date(Date.now() + 86_400_000).toISOString();
    const notYetValid = await issueCredential(t, 'REQ-S1-FUTURE', 'U-S1', 'RESIDENCE_PERMIT', { validFromDate });
    assert.equal((await identify({ credentialData: [{ credentialNumber: notYetValid.credentialNumber }] })).status, 404);
  });

  it('404 when nobody matches or for an unknown output set; 400 for nothing to search with, biometrics', async () => {
    assert.equal((await identify({ biographicData: { lastName: 'Nobody' } })).status, 404);
    assert.equal((await identify({})).status, 400);
    assert.equal((await identify({ biometricData: [{ biometricType: 'FACE', image: 'AAAA' }] })).status, 400);
    assert.equal((await identify({ credentialData: [{ serialNumber: 'X' }] })).status, 400);
    assert.equal((await identify({ biographicData: { lastName: 'Smith' } }, 'NO_SUCH_SET')).status, 404);
    assert.equal((await request(t.app).post(`/thirdparty/v1/identify${TX}`).send({ attributeSet: {} })).status, 400);
  });

  it('more candidates than OSIA_IDENTIFY_SYNC_LIMIT: 202, then 204 while running, 200 when done, 404 once expired', async () => {
    const release = (await tasks()).hold();
    const started = await identify({ biographicData: { lastName: 'Smith' } });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const { taskId } = started.body as { taskId: string };
    const running = await result(taskId);
    assert.deepEqual([running.status, running.text], [204, '']);
    release();
    await (await tasks()).idle();
    const done = await result(taskId);
    assert.equal(done.status, 200);
    assert.deepEqual(
      (done.body as { biographicData: { firstName: string } }[]).map((set) => set.biographicData.firstName),
      ['John0', 'John1', 'John2'],
    );
    assert.equal((await result(taskId)).status, 200, 'may be read again until it expires');
    clock.advance(61);
    assert.equal((await result(taskId)).status, 404);
    assert.equal((await result(taskId)).status, 404, 'expired tasks are deleted');
  });

  it('Prefer: respond-async gives 202 even for one candidate; an empty result is 200 []', async () => {
    const started = await identify({ biographicData: { lastName: 'Lovelace' } }).set('Prefer', 'respond-async');
    assert.equal(started.status, 202);
    const none = await request(t.app)
      .post(`/thirdparty/v1/identify${TX}`)
      .set('Prefer', 'respond-async, wait=10')
      .send({ attributeSet: { biographicData: { lastName: 'Nobody' } }, outputAttributeSetName: 'DEFAULT_SET_01' });
    assert.equal(none.status, 202);
    await (await tasks()).idle();
    assert.equal((await result(started.body.taskId)).body.length, 1);
    assert.deepEqual([(await result(none.body.taskId)).status, (await result(none.body.taskId)).body], [200, []]);
  });

  it('readIdentifyResult: 404 for an unknown task, 400 without transactionId', async () => {
    assert.equal((await result('no-such-task')).status, 404);
    assert.equal((await request(t.app).get('/thirdparty/v1/identify/no-such-task')).status, 400);
  });
});

describe('Third Party identify tasks across a restart', () => {
  it('a task still running when the server stops runs again at the next start', async () => {
    const first = await createTestApp({ interfaces: ['pr', 'thirdparty'], env: { OSIA_IDENTIFY_SYNC_LIMIT: '0' } });
    await citizen(first, 'U-ADA', ADA);
    const tasks = first.services.thirdParty?.tasks;
    assert.ok(tasks);
    tasks.hold();
    const started = await request(first.app)
      .post(`/thirdparty/v1/identify${TX}`)
      .send({ attributeSet: { biographicData: { firstName: 'Ada' } }, outputAttributeSetName: 'DEFAULT_SET_01' });
    assert.equal(started.status, 202);
    await first.storage.documents.close();
    // The held task never runs in the stopped server; the new one picks it up from the store.
    const second = await createTestApp({ interfaces: ['pr', 'thirdparty'], dataDir: first.dataDir });
    try {
      await second.services.thirdParty?.tasks.idle();
      const done = await request(second.app).get(`/thirdparty/v1/identify/${started.body.taskId}${TX}`);
      assert.deepEqual([done.status, done.body[0]?.biographicData?.lastName], [200, 'Lovelace']);
    } finally {
      await second.close();
    }
  });
});

describe('Third Party identify with authentication', () => {
  const t = useTestApp({ interfaces: ['pr', 'thirdparty'], env: { OSIA_AUTH: 'on' } });

  const identify = (token: string) =>
    request(t.app)
      .post(`/thirdparty/v1/identify${TX}`)
      .auth(token, { type: 'bearer' })
      .set('Prefer', 'respond-async')
      .send({ attributeSet: { biographicData: { lastName: 'Smith' } }, outputAttributeSetName: 'DEFAULT_SET_02' });

  it('needs id.identify, and the read scope of the output set (403 otherwise)', async () => {
    assert.equal((await identify(await tokenFor(t.dataDir, 'id.DEFAULT_SET_02.read'))).status, 403);
    const noSetScope = await identify(await tokenFor(t.dataDir, 'id.identify id.DEFAULT_SET_01.read'));
    assert.equal(noSetScope.status, 403);
    assert.match(noSetScope.body.message, /id\.DEFAULT_SET_02\.read/);
    assert.equal((await identify(await tokenFor(t.dataDir, 'id.identify id.DEFAULT_SET_02.read'))).status, 202);
  });

  it('a task is visible to the client that started it only', async () => {
    const scope = 'id.identify id.DEFAULT_SET_02.read';
    const started = await identify(await tokenFor(t.dataDir, scope, 'u', 'client-a'));
    assert.equal(started.status, 202);
    await t.services.thirdParty?.tasks.idle();
    const read = async (client: string) =>
      (await request(t.app).get(`/thirdparty/v1/identify/${started.body.taskId}${TX}`).auth(await tokenFor(t.dataDir, scope, 'u', client), { type: 'bearer' })).status;
    assert.equal(await read('client-b'), 404);
    assert.equal(await read('client-a'), 200);
  });
});

describe('identify tasks whose search fails', () => {
  it('read as FAILED at once, not as running until they expire', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-identify-'));
    const storage = await createStorage({ dataDir });
    try {
      const search = async (): Promise<string[]> => {
        throw new Error('registry unreachable');
      };
      const tasks = await IdentifyTasks.open(new Store(storage), { search, ttlSeconds: 60, clock: systemClock, logger: pino({ level: 'silent' }) });
      const taskId = await tasks.start({ criteria: [] }, { clientId: 'bank', outputAttributeSetName: 'DEFAULT_SET_01' });
      await tasks.idle();
      assert.deepEqual(await tasks.read(taskId, 'bank'), { status: 'FAILED' });
    } finally {
      await storage.documents.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
