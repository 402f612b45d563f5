/**
 * liveBirth read from a civil registry's Data Access interface (another app, on loopback), and duplicatePerson in
 * `flag` mode; both idempotent on a replay.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { claim, createIdentity, createPerson, defineReference, TX } from '../support/registry-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';
import { deliver, event, eventsFile, subscribedCallbacks } from './flow-fixtures.js';

describe('liveBirth and duplicatePerson (flag)', () => {
  let cr: TestApp;
  let crServer: http.Server;
  let crUrl: string;
  before(async () => {
    cr = await createTestApp({ interfaces: ['pr', 'dataaccess'] });
    for (const [uin, biographicData] of [
      ['NB-1', { firstName: 'Chidi', lastName: 'Okafor', dateOfBirth: '2026-01-01', placeOfBirth: 'Lagos', gender: 'M' }],
      ['MO-1', { firstName: 'Ada', lastName: 'Okafor' }],
    ] as const) {
      await createPerson(cr, uin);
      await createIdentity(cr, uin, 'CR', claim(biographicData));
      await defineReference(cr, uin, 'CR');
    }
    crServer = http.createServer(cr.app).listen(0, '127.0.0.1');
    await once(crServer, 'listening');
    crUrl = `http://127.0.0.1:${(crServer.address() as AddressInfo).port}/dataaccess`;
  });
  after(async () => {
    crServer.closeAllConnections();
    crServer.close();
    await cr.close();
  });

  const t = useTestApp(async () => ({
    interfaces: ['pr', 'notification'],
    env: {
      OSIA_NOTIFICATION_ALLOW: 'localhost',
      OSIA_EVENTS: await eventsFile(`
source: pr.test
components:
  pr: { engine: local, subscribes: [liveBirth, duplicatePerson] }
reactions:
  liveBirth:
    civilRegistry: { url: "${crUrl}", token: cr-token }
    attributes: [firstName, lastName, dateOfBirth, placeOfBirth, gender, nickname]
  duplicatePerson: { action: flag }
`),
    },
  }));
  let callbacks: Map<string, string>;
  before(async () => {
    callbacks = await subscribedCallbacks(t);
  });
  const get = (path: string) => request(t.app).get(`/pr/v1/persons/${path}${TX}`);

  it('creates the newborn, their identity from the civil registry and its reference; the parents in contextualData', async () => {
    const message = event({ uin: 'NB-1', uin1: 'MO-1', uin2: 'UNKNOWN-FATHER' });
    assert.equal((await deliver(t, callbacks.get('pr.liveBirth') as string, message)).status, 200);
    assert.deepEqual((await get('NB-1')).body, { personId: 'NB-1', status: 'ACTIVE', physicalStatus: 'ALIVE' });
    const reference = await get('NB-1/reference');
    assert.equal(reference.status, 200);
    const { createdDate, updatedDate, ...identity } = reference.body;
    assert.ok(createdDate && updatedDate);
    assert.deepEqual(identity, {
      identityId: 'liveBirth',
      identityType: 'CIVIL',
      status: 'VALID',
      // Data Access answers gender as ISO 5218; nickname is unknown to its dictionary: an Error, left out.
      biographicData: { firstName: 'Chidi', lastName: 'Okafor', dateOfBirth: '2026-01-01', placeOfBirth: 'Lagos', gender: 1 },
      biometricData: [],
      documentData: [],
      contextualData: {
        registeredBy: 'liveBirth',
        source: 'cr.example',
        parent1: { uin: 'MO-1', firstName: 'Ada', lastName: 'Okafor' },
        parent2: { uin: 'UNKNOWN-FATHER' },
      },
    });
    // Delivered again (another message-id): still one person with one identity.
    assert.equal((await deliver(t, callbacks.get('pr.liveBirth') as string, message)).status, 200);
    assert.equal((await get('NB-1/identities')).body.length, 1);
  });

  it('acknowledges a birth the civil registry does not know, creating nothing', async () => {
    assert.equal((await deliver(t, callbacks.get('pr.liveBirth') as string, event({ uin: 'NB-404' }))).status, 200);
    assert.equal((await get('NB-404')).status, 404);
  });

  it('asks for a retry (503) while the civil registry cannot be read', async () => {
    crServer.closeAllConnections();
    const closed = new Promise((resolve) => crServer.close(resolve));
    await closed;
    const res = await deliver(t, callbacks.get('pr.liveBirth') as string, event({ uin: 'NB-2' }));
    assert.equal(res.status, 503, JSON.stringify(res.body));
    assert.equal(res.body.code, 503);
    crServer = http.createServer(cr.app).listen(Number(new URL(crUrl).port), '127.0.0.1');
    await once(crServer, 'listening');
  });

  it('flags duplicates for an operator instead of merging them, once', async () => {
    await createPerson(t, 'FK-1');
    await createPerson(t, 'FD-1');
    const message = event({ uin: 'FK-1', duplicates: ['FD-1'] });
    assert.equal((await deliver(t, callbacks.get('pr.duplicatePerson') as string, message)).status, 200);
    assert.equal((await deliver(t, callbacks.get('pr.duplicatePerson') as string, message)).status, 200);
    assert.equal((await get('FD-1')).status, 200, 'not merged');
    const flags = await (await t.storage.documents.collection('pr_duplicate_flags')).find({});
    assert.deepEqual(
      flags.map(({ kept, duplicate, reason }) => ({ kept, duplicate, reason })),
      [{ kept: 'FK-1', duplicate: 'FD-1', reason: 'flagged by configuration' }],
    );
  });
});
