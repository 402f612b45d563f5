/** The 8 Notification operations and their documented status codes, with a real HTTP subscriber on loopback. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { loadDocument } from '../../src/openapi/documents.js';
import { createSchemaValidator } from '../../src/openapi/schema-validator.js';
import { notificationApp, notificationSuite } from './notification-fixtures.js';

const N = '/notification/v1';

describe('Notification operations', () => {
  const s = notificationSuite();
  const api = () => request(s.n.t.app);

  it('createTopic is idempotent and listTopics lists what exists', async () => {
    const first = await api().post(`${N}/topics?name=death`).expect(200);
    const again = await api().post(`${N}/topics?name=death`).set('Content-Type', 'application/json').expect(200);
    assert.deepEqual(again.body, first.body);
    assert.match(first.body.uuid, /^[0-9a-f-]{36}$/);
    const list = await api().get(`${N}/topics`).expect(200);
    assert.deepEqual(list.body, [{ uuid: first.body.uuid, name: 'death' }]);
    await api().post(`${N}/topics`).expect(400);
  });

  it('deleteTopic answers 204, then 404, and ends the subscriptions of the topic', async () => {
    const topic = (await api().post(`${N}/topics?name=short-lived`).expect(200)).body;
    const sub = await api().post(`${N}/subscriptions`).query({ topic: topic.uuid, address: s.receiver.url }).expect(200);
    await api().delete(`${N}/topics/${topic.uuid}`).expect(204);
    await api().delete(`${N}/topics/${topic.uuid}`).expect(404);
    const subs = (await api().get(`${N}/subscriptions`).expect(200)).body as { uuid: string }[];
    assert.equal(subs.some((s) => s.uuid === sub.body.uuid), false);
    assert.equal((await api().get(`${N}/topics`)).body.some((t: { uuid: string }) => t.uuid === topic.uuid), false);
  });

  it('subscribe is idempotent on topic+protocol+address, checks the policy and the topic', async () => {
    const topic = (await api().post(`${N}/topics?name=births`).expect(200)).body;
    const one = await api().post(`${N}/subscriptions`).query({ topic: 'births', address: s.receiver.url, protocol: 'http' }).expect(200);
    const two = await api().post(`${N}/subscriptions`).query({ topic: topic.uuid, address: s.receiver.url }).expect(200);
    assert.deepEqual(two.body, one.body);
    assert.deepEqual(one.body, { uuid: one.body.uuid, topic: topic.uuid, protocol: 'http', address: s.receiver.url, policy: '3600,168', active: false });
    const bad = await api().post(`${N}/subscriptions`).query({ topic: 'births', address: s.receiver.url, policy: 'often' }).expect(400);
    assert.match(bad.body.message, /countdown,max/);
    const unknown = await api().post(`${N}/subscriptions`).query({ topic: 'nope', address: s.receiver.url }).expect(400);
    assert.match(unknown.body.message, /topic nope does not exist/);
    const email = await api().post(`${N}/subscriptions`).query({ topic: 'births', address: 'a@b.org', protocol: 'email' }).expect(400);
    assert.match(email.body.message, /SMTP/);
    await api().post(`${N}/subscriptions`).query({ topic: 'births', address: 'http://169.254.169.254/latest' }).expect(400);
    await api().post(`${N}/subscriptions`).query({ topic: 'births', address: 'file:///etc/passwd' }).expect(400);
  });

  it('unsubscribe answers 204, then 404', async () => {
    await api().post(`${N}/topics?name=gone`).expect(200);
    const sub = await api().post(`${N}/subscriptions`).query({ topic: 'gone', address: `${s.receiver.url}/x` }).expect(200);
    await api().delete(`${N}/subscriptions/${sub.body.uuid}`).expect(204);
    await api().delete(`${N}/subscriptions/${sub.body.uuid}`).expect(404);
  });

  it('confirmation handshake: a schema-valid SubscriptionConfirmation, confirm activates, a used or bad token is 400', async () => {
    const messages = createSchemaValidator((await loadDocument('notification')).document);
    const topic = (await api().post(`${N}/topics?name=handshake`).expect(200)).body;
    const sub = (await api().post(`${N}/subscriptions`).query({ topic: 'handshake', address: `${s.receiver.url}/hs` }).expect(200)).body;
    await s.n.engine.worker.runOnce();
    const [confirmation] = await s.receiver.until(1, sub.uuid);
    assert.ok(confirmation);
    assert.equal(messages.check('Message', confirmation.body), '');
    assert.equal(confirmation.headers['message-type'], 'SubscriptionConfirmation');
    assert.equal(confirmation.headers['subscription-id'], sub.uuid);
    assert.equal(confirmation.headers['topic-id'], topic.uuid);
    assert.equal(confirmation.headers['message-id'], confirmation.body.messageId);
    const token = String(confirmation.body.token);
    assert.equal(new URL(String(confirmation.body.subscribeURL)).searchParams.get('token'), token);
    assert.equal('confirmURL' in confirmation.body, false);
    await api().get(`${N}/subscriptions/confirm?token=${token}`).expect(200);
    await api().get(`${N}/subscriptions/confirm?token=${token}`).expect(400);
    await api().get(`${N}/subscriptions/confirm?token=forged`).expect(400);
    const listed = (await api().get(`${N}/subscriptions`).expect(200)).body.find((s: { uuid: string }) => s.uuid === sub.uuid);
    assert.equal(listed.active, true);

    // publish: text/plain, application/json and plain/text bodies, by uuid or by name, carried unchanged.
    const event = '{"source":"CR","uin":"123"}';
    await api().post(`${N}/topics/${topic.uuid}/publish?subject=death`).set('Content-Type', 'application/json').send(event).expect(200);
    await api().post(`${N}/topics/handshake/publish`).set('Content-Type', 'text/plain').send('second').expect(200);
    await api().post(`${N}/topics/handshake/publish`).set('Content-Type', 'plain/text').send('third').expect(200);
    await api().post(`${N}/topics/unknown/publish`).set('Content-Type', 'text/plain').send('x').expect(404);
    await s.n.engine.worker.runOnce();
    const notes = (await s.receiver.until(4, sub.uuid)).slice(1);
    assert.deepEqual(notes.map((r) => r.body.message), [event, 'second', 'third']);
    assert.equal(notes[0]?.body.subject, 'death');
    for (const note of notes) {
      assert.equal(messages.check('Message', note.body), '');
      assert.equal(note.headers['message-type'], 'Notification');
      assert.equal(note.body.type, 'Notification');
    }
    const metrics = await api().get('/metrics').expect(200);
    assert.match(metrics.text, /osia_notification_messages_published_total 3/);
    const delivered = Number(/osia_notification_deliveries_total\{outcome="delivered"\} (\d+)/.exec(metrics.text)?.[1]);
    assert.ok(delivered >= 4, `delivered ${delivered}`);
    assert.match(metrics.text, /osia_notification_outbox_depth 0/);
  });

  it('an inactive subscription receives no notifications', async () => {
    await api().post(`${N}/topics?name=quiet`).expect(200);
    const sub = await api().post(`${N}/subscriptions`).query({ topic: 'quiet', address: `${s.receiver.url}/quiet` }).expect(200);
    await s.n.engine.worker.runOnce();
    await api().post(`${N}/topics/quiet/publish`).set('Content-Type', 'text/plain').send('unseen').expect(200);
    await s.n.engine.worker.runOnce();
    assert.deepEqual(
      (await s.receiver.until(1, sub.body.uuid)).map((r) => r.body.type),
      ['SubscriptionConfirmation'],
    );
  });

  it('answers 400 to malformed calls of each operation that documents it', async () => {
    const topic = (await api().post(`${N}/topics?name=strict`).expect(200)).body;
    const sub = (await api().post(`${N}/subscriptions`).query({ topic: 'strict', address: `${s.receiver.url}/strict` }).expect(200)).body;
    await api().delete(`${N}/topics/${topic.uuid}?force=true`).expect(400);
    await api().delete(`${N}/subscriptions/${sub.uuid}?force=true`).expect(400);
    await api().delete(`${N}/subscriptions/%ZZ`).expect(400);
    const empty = await api().post(`${N}/topics/strict/publish`).set('Content-Type', 'text/plain').send('').expect(400);
    assert.match(empty.body.message, /publish needs a body/);
  });

  it('answers 500 on every operation when the store fails', async () => {
    const broken = await notificationApp();
    await broken.t.storage.documents.close();
    const calls = [
      request(broken.t.app).post(`${N}/topics?name=x`),
      request(broken.t.app).get(`${N}/topics`),
      request(broken.t.app).delete(`${N}/topics/x`),
      request(broken.t.app).post(`${N}/subscriptions`).query({ topic: 'x', address: s.receiver.url }),
      request(broken.t.app).get(`${N}/subscriptions`),
      request(broken.t.app).delete(`${N}/subscriptions/x`),
      request(broken.t.app).get(`${N}/subscriptions/confirm?token=t`),
      request(broken.t.app).post(`${N}/topics/x/publish`).set('Content-Type', 'text/plain').send('m'),
    ];
    for (const call of calls) assert.equal((await call).status, 500);
    await broken.t.close();
  });
});
