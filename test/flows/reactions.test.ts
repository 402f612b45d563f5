/**
 * The reactions to civil-registry events, in-process on the local engine: the handshake, death (PR and CMS),
 * duplicatePerson (merge), each idempotent on a replay; an unknown uin; bad callback input.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import pino from 'pino';
import request from 'supertest';
import { credentialRequest, issue, readCredential } from '../cms/cms-fixtures.js';
import { claim, createIdentity, createPerson, defineReference, TX } from '../support/registry-fixtures.js';
import { useTestApp } from '../support/use-test-app.js';
import { deliver, event, eventsFile, subscribedCallbacks } from './flow-fixtures.js';

const WIRING = `
source: pr.test
components:
  pr:
    engine: local
    subscribes: [death, duplicatePerson]
  cms:
    engine: local
    subscribes: [death]
`;

describe('event reactions', () => {
  const lines: string[] = [];
  const t = useTestApp(async () => ({
    logger: pino({ level: 'debug' }, { write: (line: string) => lines.push(line) }),
    interfaces: ['pr', 'cms', 'notification'],
    env: { OSIA_EVENTS: await eventsFile(WIRING), OSIA_NOTIFICATION_ALLOW: 'localhost' },
  }));
  let callbacks: Map<string, string>;
  const callback = (key: string) => callbacks.get(key) as string;
  before(async () => {
    callbacks = await subscribedCallbacks(t);
  });
  const person = async (personId: string) => (await request(t.app).get(`/pr/v1/persons/${personId}${TX}`)).body;

  it('subscribes one callback per reaction, each under its own secret, idempotently', async () => {
    assert.deepEqual([...callbacks.keys()].sort(), ['cms.death', 'pr.death', 'pr.duplicatePerson']);
    const secrets = [...callbacks.values()].map((pathname) => pathname.split('/').at(-1));
    assert.equal(new Set(secrets).size, 3);
    for (const secret of secrets) assert.match(secret as string, /^[A-Za-z0-9_-]{43}$/);
    await subscribedCallbacks(t);
    assert.equal((await t.services.notification?.service.listSubscriptions())?.length, 3);
  });

  it('confirms a subscription when its confirmation arrives, and acknowledges a repeat', async () => {
    const subscriptions = await t.storage.documents.collection('notification-subscriptions');
    const [pending] = await subscriptions.find({ address: { $in: [...callbacks.values()].map((p) => `http://localhost:8080${p}`) } });
    assert.ok(pending);
    const pathname = new URL(String(pending.address)).pathname;
    const confirmation = { type: 'SubscriptionConfirmation' as const, body: { token: pending.token } };
    assert.equal((await deliver(t, pathname, 'Confirm', confirmation)).status, 200);
    const listed = await t.services.notification?.service.listSubscriptions();
    assert.equal(listed?.find((s) => s.uuid === pending._id)?.active, true);
    assert.equal((await deliver(t, pathname, 'Confirm', confirmation)).status, 200);
  });

  it('death: the person becomes DEAD and their active credentials SUSPENDED, once', async () => {
    await createPerson(t, 'D-1');
    const credentialId = await issue(t, 'REQ-D-1', credentialRequest('RESIDENCE_PERMIT', {}, 'D-1'));
    const message = event({ uin: 'D-1' });
    assert.equal((await deliver(t, callback('pr.death'), message, { messageId: 'm-death-1' })).status, 200);
    assert.equal((await deliver(t, callback('cms.death'), message, { messageId: 'm-death-1' })).status, 200);
    assert.deepEqual(await person('D-1'), { personId: 'D-1', status: 'ACTIVE', physicalStatus: 'DEAD' });
    assert.equal((await readCredential(t, credentialId)).status, 'SUSPENDED');

    // The same message again, and the same event under another message-id: nothing more changes.
    await request(t.app).post(`/cms/v1/credentials/${credentialId}/unsuspend${TX}`).expect(204);
    assert.equal((await deliver(t, callback('cms.death'), message, { messageId: 'm-death-1' })).status, 200);
    assert.equal((await readCredential(t, credentialId)).status, 'ACTIVE', 'a replayed message-id is not acted on again');
    assert.equal((await deliver(t, callback('pr.death'), message, { messageId: 'm-death-2' })).status, 200);
    assert.equal((await person('D-1')).physicalStatus, 'DEAD');
  });

  it('acknowledges an event about an unknown uin without effect (no endless retries)', async () => {
    assert.equal((await deliver(t, callback('pr.death'), event({ uin: 'NOBODY' }))).status, 200);
    assert.equal((await deliver(t, callback('cms.death'), event({ uin: 'NOBODY' }))).status, 200);
    assert.equal((await deliver(t, callback('pr.duplicatePerson'), event({ uin: 'NOBODY', duplicates: ['X'] }))).status, 200);
    assert.equal((await request(t.app).get(`/pr/v1/persons/NOBODY${TX}`)).status, 404);
  });

  it('duplicatePerson: the duplicates are merged into the person kept, and a repeat changes nothing', async () => {
    for (const [personId, identityId] of [['K-1', 'I-K'], ['K-2', 'I-D']] as const) {
      await createPerson(t, personId);
      await createIdentity(t, personId, identityId, claim({ lastName: 'Okafor' }));
    }
    await defineReference(t, 'K-1', 'I-K');
    const message = event({ uin: 'K-1', duplicates: ['K-2', 'K-1'] });
    assert.equal((await deliver(t, callback('pr.duplicatePerson'), message)).status, 200);
    assert.equal((await request(t.app).get(`/pr/v1/persons/K-2${TX}`)).status, 404);
    const identities = await request(t.app).get(`/pr/v1/persons/K-1/identities${TX}`);
    assert.deepEqual(identities.body.map((i: { identityId: string }) => i.identityId), ['I-K', 'I-D']);
    assert.equal((await deliver(t, callback('pr.duplicatePerson'), message)).status, 200);
    assert.equal((await request(t.app).get(`/pr/v1/persons/K-1/identities${TX}`)).body.length, 2);
  });

  it('never logs a callback secret (request lines show [secret] in its place)', () => {
    assert.ok(lines.some((line) => line.includes('/events/v1/pr/death/[secret]')));
    for (const pathname of callbacks.values()) {
      const secret = pathname.split('/').at(-1) as string;
      assert.equal(lines.filter((line) => line.includes(secret)).length, 0);
    }
  });

  it('ignores its own events coming back', async () => {
    await createPerson(t, 'OWN-1');
    const own = JSON.stringify({ source: 'pr.test', uin: 'OWN-1' });
    assert.equal((await deliver(t, callback('pr.death'), own)).status, 200);
    assert.equal((await person('OWN-1')).physicalStatus, 'ALIVE');
  });

  describe('bad callback input: 4xx with the OSIA Error object, never a 500', () => {
    const expectError = async (res: request.Response, status: number, pattern: RegExp) => {
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.code, status);
      assert.match(res.body.message, pattern);
    };

    it('a wrong secret, an unknown component or event: 404', async () => {
      const good = callback('pr.death');
      const secret = good.split('/').at(-1) as string;
      await expectError(await deliver(t, `${good.slice(0, -4)}AAAA`, event({ uin: 'D-1' })), 404, /No such event callback/);
      await expectError(await deliver(t, `/events/v1/pr/liveBirth/${secret}`, event({ uin: 'D-1' })), 404, /No such/);
      await expectError(await deliver(t, `/events/v1/abis/death/${secret}`, event({ uin: 'D-1' })), 404, /No such/);
    });

    it('missing or inconsistent headers: 400', async () => {
      await expectError(await deliver(t, callback('pr.death'), event({ uin: 'D-1' }), { headers: { 'message-type': 'Gossip' } }), 400, /message-type/);
      const noTopic = request(t.app).post(callback('pr.death')).set({ 'message-type': 'Notification', 'message-id': 'x' });
      await expectError(await noTopic.send({ type: 'Notification', message: '{}' }), 400, /topic-id/);
      const mixed = await deliver(t, callback('pr.death'), event({ uin: 'D-1' }), { headers: { 'message-type': 'SubscriptionConfirmation' } });
      await expectError(mixed, 400, /differs/);
    });

    it('a body that is not a Message, or not JSON: 400', async () => {
      await expectError(await deliver(t, callback('pr.death'), event({ uin: 'D-1' }), { body: { extra: 1 } }), 400, /not a notification.yaml Message/);
      const text = request(t.app).post(callback('pr.death')).set({ 'message-type': 'Notification', 'message-id': 'x', 'topic-id': 't' });
      await expectError(await text.type('application/json').send('{"type": '), 400, /not valid JSON/);
      const empty = request(t.app).post(callback('pr.death')).set({ 'message-type': 'Notification', 'message-id': 'x', 'topic-id': 't' });
      await expectError(await empty, 400, /Message/);
    });

    it('an event that is not event JSON: 400', async () => {
      await expectError(await deliver(t, callback('pr.death'), 'the person died'), 400, /event JSON/);
      await expectError(await deliver(t, callback('pr.death'), '[1]'), 400, /JSON object/);
      await expectError(await deliver(t, callback('pr.death'), event({ uin: 7 })), 400, /needs uin/);
      await expectError(await deliver(t, callback('pr.duplicatePerson'), event({ uin: 'K-1', duplicates: 'K-2' })), 400, /duplicates/);
      await expectError(await deliver(t, callback('cms.death'), 'x', { type: 'SubscriptionConfirmation' }), 400, /token/);
    });
  });
});
