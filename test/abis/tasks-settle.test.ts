/**
 * An engine that is itself asynchronous (`start`, the gateway's way) gets the call and the task waits, PENDING, for
 * `TaskSettler.settle`; the settled outcome is delivered like any other, and a 504 once the retention has passed
 * without one. The task layer is built here over a real store and a real HTTP receiver, with a small asynchronous
 * engine of the test's own (the gateway engine tests the same path end to end through its relay route).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { type AbisTaskLayer, openAbisTasks } from '../../src/abis/open-abis-tasks.js';
import type { TaskAuditEvent } from '../../src/abis/task-audit.js';
import type { AbisCall, AbisEngine, TaskSettler } from '../../src/biometrics/abis-engine.port.js';
import { loadConfig } from '../../src/config/load-config.js';
import { InvalidError } from '../../src/shared/domain-errors.js';
import { createStorage } from '../../src/storage/create-storage.js';
import type { Storage } from '../../src/storage/document-store.port.js';
import { Store } from '../../src/storage/store.js';
import { fakeClock } from '../support/fake-clock.js';
import { type Received, type Receiver, startReceiver } from '../support/receiver.js';
import { testLogger } from '../support/test-app.js';

/** What the engine was started with; `refuse` makes the next start throw, `settleAtOnce` settles within start. */
class AsyncEngine implements AbisEngine {
  readonly name = 'gateway';
  readonly started: { call: AbisCall; taskId: string }[] = [];
  refuse = false;
  settler: TaskSettler | undefined;
  settleAtOnce = false;

  async run(): Promise<never> {
    throw new Error('an asynchronous engine is started, never run');
  }

  async start(call: AbisCall, taskId: string): Promise<void> {
    if (this.refuse) throw new InvalidError('the vendor refused the call');
    this.started.push({ call, taskId });
    if (this.settleAtOnce) await this.settler?.settle(taskId, { ok: true, body: ['early'] });
  }
}

const call = (operationId: AbisCall['operationId']): AbisCall => ({ operationId, transactionId: 'tx-settle', path: {}, query: {} });
const taskOf = (received: Received) => new URL(received.url, 'http://receiver').searchParams.get('taskId');

describe('ABIS tasks of an asynchronous engine', () => {
  const clock = fakeClock();
  const engine = new AsyncEngine();
  let dataDir: string;
  let storage: Storage;
  let tasks: AbisTaskLayer;
  let receiver: Receiver;
  const audited: TaskAuditEvent[] = [];
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-abis-settle-'));
    storage = await createStorage({ dataDir, mongodbUri: process.env.MONGODB_URI, mongodbDatabase: path.basename(dataDir), clock });
    const request = loadConfig([], { OSIA_DATA_DIR: dataDir, OSIA_ABIS_CALLBACK_ALLOW: '127.0.0.0/8', OSIA_ABIS_TASK_RETENTION: '3600' });
    assert.ok(!request.help);
    tasks = await openAbisTasks({ store: new Store(storage), engine, config: request.config, metrics: new Registry(), clock, logger: testLogger(), audit: async (event) => void audited.push(event) });
    engine.settler = tasks.service;
    receiver = await startReceiver('/abis-client');
    receiver.status = 204;
  });
  after(async () => {
    await receiver.close();
    await storage.documents.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const deliveredOf = (taskId: string) => receiver.received.filter((r) => taskOf(r) === taskId);

  it('starts the call, stays PENDING until settled, then delivers the settled outcome; a repeated settle changes nothing', async () => {
    const taskId = await tasks.service.accept(call('readGalleries'), receiver.url, undefined, {});
    await tasks.runner.runOnce();
    assert.deepEqual(engine.started.map((s) => [s.taskId, s.call.operationId]), [[taskId, 'readGalleries']]);
    assert.equal(await tasks.service.status(taskId), 'PENDING');
    await tasks.delivery.runOnce();
    assert.equal(deliveredOf(taskId).length, 0);
    await tasks.runner.runOnce();
    assert.equal(engine.started.length, 1, 'started once');

    await tasks.service.settle(taskId, { ok: true, body: ['national'] });
    assert.equal(await tasks.service.status(taskId), 'RESPONSE_SCHEDULED');
    await tasks.service.settle(taskId, { ok: false, status: 500, error: { code: 500, message: 'late duplicate' } });
    await tasks.delivery.runOnce();
    assert.deepEqual(deliveredOf(taskId).map((r) => r.body), [['national']]);
    assert.equal(await tasks.service.status(taskId), 'COMPLETED');
  });

  it('records the persons a settled result names, under the caller of the call', async () => {
    const taskId = await tasks.service.accept(call('identify'), receiver.url, 5, { subject: 'officer-9', client: 'border' });
    await tasks.runner.runOnce();
    assert.deepEqual(audited, [], 'nothing is known of the result yet');
    const candidates = [
      { personId: 'P-1', rank: 1, score: 0.91 },
      { personId: 'P-2', rank: 2, score: 0.74 },
    ];
    await tasks.service.settle(taskId, { ok: true, body: candidates });
    assert.deepEqual(audited, [
      { operationId: 'identify', transactionId: 'tx-settle', status: 200, personIds: ['P-1', 'P-2'], recordIds: [taskId], subject: 'officer-9', client: 'border' },
    ]);
    audited.length = 0;
  });

  it('delivers a settled refusal as application/error+json, and "OK" for an operation answering 204', async () => {
    const refused = await tasks.service.accept(call('identify'), receiver.url, 9, {});
    const deleted = await tasks.service.accept(call('deleteAll'), receiver.url, 9, {});
    await tasks.runner.runOnce();
    await tasks.service.settle(refused, { ok: false, status: 404, error: { code: 404, message: 'no such gallery' } });
    await tasks.service.settle(deleted, { ok: true });
    await tasks.delivery.runOnce();
    const [error] = deliveredOf(refused);
    assert.equal(error?.headers['content-type'], 'application/error+json');
    assert.deepEqual(error?.body, { code: 404, message: 'no such gallery' });
    assert.deepEqual(deliveredOf(deleted).map((r) => r.body), ['OK']);
  });

  it('a start the engine refuses is the outcome: delivered as the Error', async () => {
    engine.refuse = true;
    const taskId = await tasks.service.accept(call('identify'), receiver.url, undefined, {});
    await tasks.runner.runOnce();
    engine.refuse = false;
    await tasks.delivery.runOnce();
    assert.deepEqual(deliveredOf(taskId).map((r) => r.body), [{ code: 400, message: 'the vendor refused the call' }]);
  });

  it('an outcome settled before the runner marked the task started stands', async () => {
    engine.settleAtOnce = true;
    const taskId = await tasks.service.accept(call('readGalleries'), receiver.url, undefined, {});
    await tasks.runner.runOnce();
    engine.settleAtOnce = false;
    assert.equal(await tasks.service.status(taskId), 'RESPONSE_SCHEDULED');
    await tasks.delivery.runOnce();
    assert.deepEqual(deliveredOf(taskId).map((r) => r.body), [['early']]);
  });

  it('a task the engine never settles gets a 504 Error once older than the retention, delivered like any other', async () => {
    const taskId = await tasks.service.accept(call('identify'), receiver.url, undefined, {});
    await tasks.runner.runOnce();
    clock.advance(3600);
    await tasks.retention.sweep();
    assert.equal(await tasks.service.status(taskId), 'PENDING', 'not before the retention has passed');
    clock.advance(1);
    await tasks.retention.sweep();
    assert.equal(await tasks.service.status(taskId), 'RESPONSE_SCHEDULED');
    await tasks.delivery.runOnce();
    const [error] = deliveredOf(taskId);
    assert.equal(error?.headers['content-type'], 'application/error+json');
    assert.deepEqual(error?.body, { code: 504, message: 'the ABIS engine gave no outcome within OSIA_ABIS_TASK_RETENTION (3600 s)' });
  });

  it('settling an unknown task is a NotFoundError', async () => {
    await assert.rejects(tasks.service.settle('no-such-task', { ok: true, body: [] }), /task no-such-task not found/);
  });
});
