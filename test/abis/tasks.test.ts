/**
 * ABIS calls with a `callback` (abis.yaml): 202 {taskId} whatever the operation, the result (or the Error) POSTed to
 * a real HTTP receiver on loopback with transactionId and taskId added to the callback's own query, readTaskStatus
 * along the way, retries moved by a fake clock (never by waiting), redeliverTaskResult, priority order, retention.
 * The jobs stay stopped: the tests run the runner and the delivery by hand.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import { FaceModel } from '../../src/biometrics/face-model.js';
import { faceItem } from '../support/abis-fixtures.js';
import { databaseText } from '../support/database-text.js';
import { fakeClock } from '../support/fake-clock.js';
import { cropFace, faceless as noFace, groupPhoto } from '../support/face-photos.js';
import { type Received, type Receiver, startReceiver } from '../support/receiver.js';
import { useTestApp } from '../support/use-test-app.js';

const A = '/abis/v1';
const TX = 'tx-tasks';

/** An encounter the engine keeps without face work: a fingerprint image is stored, never encoded. */
const encounter = (marker = 'enrolment') => ({
  status: 'ACTIVE',
  encounterType: marker,
  galleries: ['tasks'],
  biometricData: [{ biometricType: 'FINGER', biometricSubType: 'RIGHT_INDEX', image: Buffer.from(`fingerprint ${marker}`).toString('base64') }],
});

const queryOf = (received: Received) => new URL(received.url, 'http://receiver').searchParams;

describe('ABIS asynchronous calls', () => {
  const clock = fakeClock();
  const t = useTestApp({
    interfaces: ['abis'],
    clock,
    env: { OSIA_ABIS_CALLBACK_ALLOW: '127.0.0.0/8', OSIA_ABIS_CALLBACK_RETRIES: '3', OSIA_ABIS_TASK_RETENTION: '3600' },
  });
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver('/abis-client');
  });
  after(() => receiver.close());
  beforeEach(() => {
    receiver.status = 204;
  });

  const layer = () => {
    const tasks = t.services.abisTasks;
    assert.ok(tasks, 'the ABIS task layer is served');
    return tasks;
  };
  const run = () => layer().runner.runOnce();
  const deliver = () => layer().delivery.runOnce();
  const api = () => request(t.app);
  const withCallback = (url: string, callback = receiver.url) => `${A}${url}?transactionId=${TX}&callback=${encodeURIComponent(callback)}`;
  const accepted = async (res: request.Response): Promise<string> => {
    assert.equal(res.status, 202, res.text);
    assert.equal(typeof res.body.taskId, 'string');
    return res.body.taskId;
  };
  const status = async (taskId: string): Promise<string> => (await api().get(`${A}/tasks/${taskId}/status?transactionId=${TX}`).expect(200)).body;
  const redeliver = (taskId: string) => api().post(`${A}/tasks/${taskId}/redeliver?transactionId=${TX}`);
  /** Every POST the receiver got for the task, answered with a 2xx or not. */
  const attemptsOf = (taskId: string) => receiver.attempts.filter((r) => queryOf(r).get('taskId') === taskId);
  const deliveredOf = (taskId: string): Received => {
    const found = receiver.received.filter((r) => queryOf(r).get('taskId') === taskId);
    assert.equal(found.length, 1, `one delivery of task ${taskId}, got ${found.length}`);
    return found[0] as Received;
  };

  it('answers 202 {taskId} even for an instant result, walks PENDING → RESPONSE_SCHEDULED → COMPLETED, and keeps the callback\'s own query', async () => {
    const taskId = await accepted(await api().get(withCallback('/galleries', `${receiver.url}?client=abc&transactionId=stale`)));
    assert.equal(await status(taskId), 'PENDING');
    assert.equal(await run(), 1);
    assert.equal(await status(taskId), 'RESPONSE_SCHEDULED');
    await deliver();
    assert.equal(await status(taskId), 'COMPLETED');
    const delivered = deliveredOf(taskId);
    const query = queryOf(delivered);
    assert.deepEqual([query.get('client'), query.getAll('transactionId'), query.get('taskId')], ['abc', [TX], taskId]);
    assert.equal(delivered.headers['content-type'], 'application/json');
    assert.deepEqual(delivered.body, (await api().get(`${A}/galleries?transactionId=${TX}`).expect(200)).body);
  });

  it('delivers each kind of result: the ids of a create, the encounters read, "OK" for the operations answering 204', async () => {
    const create = await accepted(await api().post(withCallback('/persons/P-async/encounters/E-async')).send(encounter()));
    await run();
    await deliver();
    const ids = deliveredOf(create).body;
    assert.deepEqual([ids.personId, ids.encounterId], ['P-async', 'E-async']);

    const read = await accepted(await api().get(withCallback('/persons/P-async/encounters')));
    const remove = await accepted(await api().delete(withCallback('/persons/P-async')));
    // The synchronous answer, read before the delete runs: the callback gets the same body.
    const sync = await api().get(`${A}/persons/P-async/encounters?transactionId=${TX}`).expect(200);
    await run();
    await deliver();
    assert.deepEqual(deliveredOf(read).body, sync.body);
    assert.equal(deliveredOf(remove).body, 'OK');
    assert.equal(deliveredOf(remove).headers['content-type'], 'application/json');
    // The task did run: the person is gone.
    await api().get(`${A}/persons/P-async/encounters?transactionId=${TX}`).expect(404);
  });

  it('identifies faces asynchronously: the callback gets the candidates the synchronous call answers, and a probe without a face its 400', async () => {
    const model = await FaceModel.open();
    const photo = await groupPhoto('sample1.jpg');
    const [first, second] = (await model.faces(photo)).sort((a, b) => a.box.x - b.box.x);
    assert.ok(first && second, 'two faces in the group photo');
    const portrait = (box: typeof first.box, margin: number) => cropFace(photo, box, margin);
    const enrol = async (personId: string, image: Buffer) =>
      accepted(await api().post(withCallback(`/persons/${personId}/encounters/E1`)).send({ ...encounter(), biometricData: [faceItem(image)] }));
    const enrolled = [await enrol('P-face-1', await portrait(first.box, 0.8)), await enrol('P-face-2', await portrait(second.box, 0.8))];
    const probe = { filter: {}, biometricData: [faceItem(await portrait(first.box, 0.4))] };
    const identify = await accepted(await api().post(withCallback('/identify/ALL')).send(probe));
    const faceless = await accepted(await api().post(withCallback('/identify/ALL')).send({ filter: {}, biometricData: [faceItem(await noFace())] }));
    await run();
    await deliver();
    for (const taskId of enrolled) assert.equal(deliveredOf(taskId).headers['content-type'], 'application/json');
    const sync = await api().post(`${A}/identify/ALL?transactionId=${TX}`).send(probe).expect(200);
    const candidates = deliveredOf(identify).body as unknown as { personId: string }[];
    assert.equal(candidates[0]?.personId, 'P-face-1');
    assert.deepEqual(candidates, sync.body);
    const refused = deliveredOf(faceless);
    assert.equal(refused.headers['content-type'], 'application/error+json');
    assert.equal(refused.body.code, 400);
  });

  it('delivers a refusal as the OSIA Error object in application/error+json', async () => {
    const taskId = await accepted(await api().get(withCallback('/persons/nobody/encounters/none')));
    await run();
    await deliver();
    const delivered = deliveredOf(taskId);
    assert.equal(delivered.headers['content-type'], 'application/error+json');
    assert.deepEqual(Object.keys(delivered.body).sort(), ['code', 'message']);
    assert.equal(delivered.body.code, 404);
    assert.equal(await status(taskId), 'COMPLETED');
  });

  it('retries a callback that fails after a growing pause, then completes', async () => {
    const taskId = await accepted(await api().get(withCallback('/galleries')));
    await run();
    receiver.status = 503;
    await deliver();
    assert.equal(await status(taskId), 'RESPONSE_SCHEDULED');
    await deliver();
    assert.equal(attemptsOf(taskId).length, 1, 'not tried again before the pause is over');
    receiver.status = 204;
    clock.advance(29);
    await deliver();
    assert.equal(attemptsOf(taskId).length, 1);
    clock.advance(1);
    await deliver();
    assert.equal(attemptsOf(taskId).length, 2);
    deliveredOf(taskId);
    assert.equal(await status(taskId), 'COMPLETED');
    assert.match((await api().get('/metrics')).text, /osia_abis_callbacks_total\{outcome="retry"\} [1-9]/);
  });

  it('a callback that always fails ends RESPONSE_ERROR; redeliverTaskResult sends it again (RESPONSE_RETRY → COMPLETED), also once completed', async () => {
    const taskId = await accepted(await api().get(withCallback('/galleries')));
    await run();
    receiver.status = 500;
    await deliver();
    clock.advance(30);
    await deliver();
    assert.equal(await status(taskId), 'RESPONSE_SCHEDULED');
    clock.advance(60);
    await deliver();
    assert.equal(attemptsOf(taskId).length, 3, 'OSIA_ABIS_CALLBACK_RETRIES attempts');
    assert.equal(await status(taskId), 'RESPONSE_ERROR');
    clock.advance(3600);
    await deliver();
    assert.equal(attemptsOf(taskId).length, 3, 'nothing more without a redeliver');

    receiver.status = 204;
    await redeliver(taskId).expect(204);
    assert.equal(await status(taskId), 'RESPONSE_RETRY');
    await deliver();
    assert.equal(await status(taskId), 'COMPLETED');
    deliveredOf(taskId);

    await redeliver(taskId).expect(204);
    assert.equal(await status(taskId), 'RESPONSE_RETRY');
    await deliver();
    assert.equal(await status(taskId), 'COMPLETED');
    assert.equal(receiver.received.filter((r) => queryOf(r).get('taskId') === taskId).length, 2);
  });

  it('runs the most urgent first (9 first), then in acceptance order', async () => {
    // Each read shows which creates ran before it.
    const order = [
      { priority: 0, call: () => api().get(withCallback('/persons/P-prio/encounters')) },
      { priority: 9, call: () => api().post(withCallback('/persons/P-prio/encounters/E1')).send(encounter('one')) },
      { priority: 5, call: () => api().get(withCallback('/persons/P-prio/encounters')) },
      { priority: 9, call: () => api().post(withCallback('/persons/P-prio/encounters/E2')).send(encounter('two')) },
      { priority: undefined, call: () => api().post(withCallback('/persons/P-prio/encounters/E3')).send(encounter('three')) },
    ];
    const ids: string[] = [];
    for (const { priority, call } of order) ids.push(await accepted(await (priority === undefined ? call() : call().query({ priority }))));
    assert.equal(await run(), 5);
    await deliver();
    const seen = (taskId: string) => (deliveredOf(taskId).body as unknown as { encounterId: string }[]).map((e) => e.encounterId).sort();
    assert.deepEqual(seen(ids[2] as string), ['E1', 'E2'], 'priority 5 after both 9s, before the later 5 (the default)');
    assert.deepEqual(seen(ids[0] as string), ['E1', 'E2', 'E3'], 'priority 0 last');
  });

  it('refuses a callback address the checks refuse, or a priority out of 0–9, with 400 and stores nothing', async () => {
    const before = await layer().runner.runOnce();
    assert.equal(before, 0);
    const refused = await api().get(withCallback('/galleries', 'http://169.254.169.254/latest/meta-data')).expect(400);
    assert.match(refused.body.message, /callback host 169\.254\.169\.254 is not allowed for ABIS callbacks/);
    const scheme = await api().get(withCallback('/galleries', 'file:///etc/passwd')).expect(400);
    assert.match(scheme.body.message, /callback must use http or https/);
    const priority = await api().get(withCallback('/galleries')).query({ priority: 10 }).expect(400);
    assert.match(priority.body.message, /priority must be an integer from 0/);
    assert.equal(await run(), 0, 'no task was stored');
  });

  it('answers 404 for an unknown task, and 400 to redeliver a task that has no result yet', async () => {
    const unknown = await api().get(`${A}/tasks/no-such-task/status?transactionId=${TX}`).expect(404);
    assert.match(unknown.body.message, /task no-such-task not found/);
    await redeliver('no-such-task').expect(404);
    const taskId = await accepted(await api().get(withCallback('/galleries')));
    const early = await redeliver(taskId).expect(400);
    assert.match(early.body.message, /still PENDING/);
    await run();
    await deliver();
  });

  it('keeps the call (and its images) out of the JSON record: a blob until the engine has it', async () => {
    const marker = 'marker-kept-as-blob-7Q4';
    const body = encounter(marker);
    const taskId = await accepted(await api().post(withCallback('/persons/P-blob/encounters/E-blob')).send(body));
    const text = await databaseText(t.dataDir);
    assert.ok(text.includes(taskId), 'the task is stored');
    assert.ok(!text.includes(marker), 'the call is not inside the record');
    await run();
    await deliver();
  });

  it('purges finished tasks after OSIA_ABIS_TASK_RETENTION; a result not delivered yet stays', async () => {
    const done = await accepted(await api().get(withCallback('/galleries')));
    await run();
    await deliver();
    const waiting = await accepted(await api().get(withCallback('/galleries')));
    await run();
    receiver.status = 503;
    await deliver();
    clock.advance(3601);
    receiver.status = 503;
    assert.ok((await layer().retention.sweep()) >= 1);
    await api().get(`${A}/tasks/${done}/status?transactionId=${TX}`).expect(404);
    await redeliver(done).expect(404);
    assert.equal(await status(waiting), 'RESPONSE_SCHEDULED');
    receiver.status = 204;
    await deliver();
    assert.equal(await status(waiting), 'COMPLETED');
  });
});
