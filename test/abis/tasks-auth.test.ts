/**
 * The scopes of the task operations (abis.yaml): readTaskStatus needs abis.task.read, redeliverTaskResult
 * abis.task.update (the YAML, not the functional prose's task.read); a call with a callback needs its own
 * operation's scope, like the call without one.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { tokenFor } from '../support/tokens.js';
import { useTestApp } from '../support/use-test-app.js';

const A = '/abis/v1';
const TX = 'transactionId=tx-scopes';

describe('ABIS task scopes', () => {
  const t = useTestApp({ interfaces: ['abis'], env: { OSIA_AUTH: 'on', OSIA_ABIS_CALLBACK_ALLOW: '127.0.0.0/8' } });
  const bearer = async (scope: string) => `Bearer ${await tokenFor(t.dataDir, scope)}`;
  let taskId = '';

  before(async () => {
    const callback = encodeURIComponent('http://127.0.0.1:9/abis-client');
    const galleries = `${A}/galleries?${TX}&callback=${callback}`;
    await request(t.app).get(galleries).set('Authorization', await bearer('abis.task.read')).expect(403);
    const res = await request(t.app).get(galleries).set('Authorization', await bearer('abis.gallery.read')).expect(202);
    taskId = res.body.taskId;
    const tasks = t.services.abisTasks;
    assert.ok(tasks);
    await tasks.runner.runOnce();
  });

  it('readTaskStatus: 200 with abis.task.read, 403 with abis.task.update alone, 401 without a token', async () => {
    const url = `${A}/tasks/${taskId}/status?${TX}`;
    const ok = await request(t.app).get(url).set('Authorization', await bearer('abis.task.read')).expect(200);
    assert.equal(ok.body, 'RESPONSE_SCHEDULED');
    await request(t.app).get(url).set('Authorization', await bearer('abis.task.update')).expect(403);
    await request(t.app).get(url).expect(401);
  });

  it('redeliverTaskResult: 204 with abis.task.update, 403 with abis.task.read alone', async () => {
    const url = `${A}/tasks/${taskId}/redeliver?${TX}`;
    await request(t.app).post(url).set('Authorization', await bearer('abis.task.read')).expect(403);
    await request(t.app).post(url).set('Authorization', await bearer('abis.task.update')).expect(204);
    const status = await request(t.app).get(`${A}/tasks/${taskId}/status?${TX}`).set('Authorization', await bearer('abis.task.read'));
    assert.equal(status.body, 'RESPONSE_RETRY');
  });
});
