/**
 * End to end between osia-server instances: A forwards a credential profile to bureau B (another osia-server
 * serving the CMS interface), mirrors what B issues and forwards status changes to it; switching the profile to
 * bureau B' is one line of A's catalogue. No waiting: reading on A is what polls the bureau.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { tokenFor } from '../support/tokens.js';

const TX = '?transactionId=tx-two-servers';

/** A bureau: an osia-server serving only the CMS, its profile produced by the built-in issuer, on a real port. */
interface Bureau {
  t: TestApp;
  server: Server;
  url: string;
  /** Authorization header for calls made by the test (empty when its auth is off). */
  auth: Record<string, string>;
}

const BUREAU_CATALOGUE = `
profiles:
  - credentialProfileId: NID-CARD-V2
    name: National ID card (bureau)
    credentialType: ID_CARD
    defaultLifetime: 3650
    producer: internal
`;

/** A's catalogue: both bureaus declared; which one produces the profile is the one `producer:` line. */
function catalogueOfA(producer: string, tokenFile: string, urls: { b: string; b2: string }): string {
  return `
bureaus:
  acme-cards:
    url: ${urls.b}
    tokenFile: ${tokenFile}
  other-cards:
    url: ${urls.b2}
    tokenEnv: OTHER_CARDS_TOKEN
profiles:
  - credentialProfileId: NATIONAL_ID_CARD
    name: National ID card
    credentialType: ID_CARD
    producer: ${producer}
    upstreamProfileId: NID-CARD-V2
  - credentialProfileId: PASSPORT
    credentialType: PASSPORT
    producer: acme-cards
`;
}

const credentialRequest = (personId: string, credentialProfileId = 'NATIONAL_ID_CARD') => ({
  personId,
  biographicData: { firstName: 'Amina', lastName: 'Diallo', dateOfBirth: '1990-04-12' },
  requestData: { priority: 2, credentialProfileId, requestType: 'FIRST_ISSUANCE' },
});

describe('two osia-server instances: A forwards to bureau B', () => {
  let dir: string;
  let b: Bureau;
  let b2: Bureau;
  let tokenFile: string;
  const apps: TestApp[] = [];

  async function startBureau(auth: 'on' | 'off'): Promise<Bureau> {
    const file = path.join(dir, `bureau-${apps.length}.yaml`);
    await writeFile(file, BUREAU_CATALOGUE);
    const t = await createTestApp({ interfaces: ['cms'], env: { OSIA_AUTH: auth, OSIA_CREDENTIAL_PROFILES: file } });
    apps.push(t);
    const server = t.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cms`;
    const scope = 'cms.request.read cms.request.write cms.credential.read cms.credential.write';
    const headers: Record<string, string> = auth === 'on' ? { authorization: `Bearer ${await tokenFor(t.dataDir, scope, 'bureau-client')}` } : {};
    return { t, server, url, auth: headers };
  }

  async function startA(producer: string): Promise<{ t: TestApp; yaml: string }> {
    const yaml = catalogueOfA(producer, tokenFile, { b: b.url, b2: b2.url });
    const file = path.join(dir, `a-${apps.length}.yaml`);
    await writeFile(file, yaml);
    // tokenEnv is read from the process environment at start-up, like the server does.
    process.env.OTHER_CARDS_TOKEN = 'token-for-b2-which-ignores-it';
    const t = await createTestApp({ interfaces: ['cms'], env: { OSIA_CREDENTIAL_PROFILES: file } });
    apps.push(t);
    return { t, yaml };
  }

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'osia-bureaus-'));
    b = await startBureau('on');
    b2 = await startBureau('off');
    tokenFile = path.join(dir, 'acme-token');
    await writeFile(tokenFile, `${b.auth.authorization?.replace('Bearer ', '')}\n`);
  });
  after(async () => {
    for (const { server } of [b, b2]) {
      if (!server.listening) continue;
      server.closeAllConnections();
      server.close();
    }
    for (const t of apps) await t.close();
    delete process.env.OTHER_CARDS_TOKEN;
    await rm(dir, { recursive: true, force: true });
  });

  it('a request made on A is produced by B, mirrored on A when read, and suspending on A suspends at B', async () => {
    const { t: a } = await startA('acme-cards');
    const created = await request(a.app).post(`/cms/v1/credentialRequests/CR-1${TX}`).send(credentialRequest('P-1'));
    assert.equal(created.status, 201, created.text);

    // Nothing is mirrored on A before a read polls B.
    const early = await request(a.app).post(`/cms/v1/credentials${TX}`).send([{ attributeName: 'personId', operator: '=', value: 'P-1' }]);
    assert.deepEqual(early.status === 200 ? early.body : [], []);

    // B holds the request under A's id, with B's profile id; its built-in producer issued it at once.
    const atB = await request(b.t.app).get(`/cms/v1/credentialRequests/CR-1${TX}`).set(b.auth);
    assert.equal(atB.status, 200, atB.text);
    assert.equal(atB.body.personId, 'P-1');
    assert.equal(atB.body.requestData.credentialProfileId, 'NID-CARD-V2');
    assert.equal(atB.body.status, 'ISSUED');
    assert.equal(atB.body.credentialIds.length, 1);
    const upstreamCredential = await request(b.t.app).get(`/cms/v1/credentials/${atB.body.credentialIds[0]}${TX}`).set(b.auth);
    assert.equal(upstreamCredential.status, 200, upstreamCredential.text);

    // Reading on A polls B: ISSUED, with a credential mirroring B's.
    const atA = await request(a.app).get(`/cms/v1/credentialRequests/CR-1${TX}`);
    assert.equal(atA.status, 200, atA.text);
    assert.equal(atA.body.status, 'ISSUED');
    assert.equal(atA.body.credentialIds.length, 1);
    const localId = atA.body.credentialIds[0];
    const mirrored = await request(a.app).get(`/cms/v1/credentials/${localId}${TX}`);
    assert.equal(mirrored.status, 200, mirrored.text);
    assert.equal(mirrored.body.status, 'ACTIVE');
    assert.equal(mirrored.body.personId, 'P-1');
    assert.equal(mirrored.body.credentialProfileId, 'NATIONAL_ID_CARD');
    for (const field of ['credentialNumber', 'issuedDate', 'expiryDate']) {
      assert.ok(upstreamCredential.body[field], `B's credential has a ${field}`);
      assert.equal(mirrored.body[field], upstreamCredential.body[field], field);
    }

    const suspended = await request(a.app).post(`/cms/v1/credentials/${localId}/suspend${TX}`).send({ reason: 'reported lost' });
    assert.equal(suspended.status, 204, suspended.text);
    const atBAfter = await request(b.t.app).get(`/cms/v1/credentials/${atB.body.credentialIds[0]}${TX}`).set(b.auth);
    assert.equal(atBAfter.body.status, 'SUSPENDED');
    assert.equal((await request(a.app).get(`/cms/v1/credentials/${localId}${TX}`)).body.status, 'SUSPENDED');
  });

  it('a request the bureau refuses is FAILED on A, with the answer of the bureau as the reason', async () => {
    const { t: a } = await startA('acme-cards');
    await request(a.app).post(`/cms/v1/credentialRequests/CR-P${TX}`).send(credentialRequest('P-4', 'PASSPORT')).expect(201);
    const atA = await request(a.app).get(`/cms/v1/credentialRequests/CR-P${TX}`);
    assert.equal(atA.body.status, 'FAILED');
    assert.match(atA.body.requestData.others.failureReason, /^bureau acme-cards answered 400 to POST \/v1\/credentialRequests\/CR-P: .*PASSPORT/);
    assert.equal((await request(b.t.app).get(`/cms/v1/credentialRequests/CR-P${TX}`).set(b.auth)).status, 404);
  });

  it('switching the profile to bureau B′ is one line of the catalogue', async () => {
    const { t: a2, yaml } = await startA('other-cards');
    const before = catalogueOfA('acme-cards', tokenFile, { b: b.url, b2: b2.url }).split('\n');
    const changed = yaml.split('\n').filter((line, index) => line !== before[index]);
    assert.deepEqual(changed, ['    producer: other-cards']);

    const created = await request(a2.app).post(`/cms/v1/credentialRequests/CR-2${TX}`).send(credentialRequest('P-2'));
    assert.equal(created.status, 201, created.text);
    assert.equal((await request(b2.t.app).get(`/cms/v1/credentialRequests/CR-2${TX}`)).status, 200, 'B′ has it');
    assert.equal((await request(b.t.app).get(`/cms/v1/credentialRequests/CR-2${TX}`).set(b.auth)).status, 404, 'B has not');
    const atA = await request(a2.app).get(`/cms/v1/credentialRequests/CR-2${TX}`);
    assert.equal(atA.body.status, 'ISSUED');
  });

  it('a status change the bureau cannot confirm is refused on A with 502, and nothing changes there', async () => {
    const { t: a2 } = await startA('other-cards');
    await request(a2.app).post(`/cms/v1/credentialRequests/CR-3${TX}`).send(credentialRequest('P-3')).expect(201);
    const [localId] = (await request(a2.app).get(`/cms/v1/credentialRequests/CR-3${TX}`)).body.credentialIds;
    b2.server.closeAllConnections();
    b2.server.close();
    await once(b2.server, 'close');

    const refused = await request(a2.app).post(`/cms/v1/credentials/${localId}/revoke${TX}`).send({ reason: 'stolen' });
    assert.equal(refused.status, 502, refused.text);
    assert.match(refused.body.message, /^bureau other-cards is unreachable \(POST \/v1\/credentials\/.+\/revoke: ECONNREFUSED\)$/);
    assert.equal((await request(a2.app).get(`/cms/v1/credentials/${localId}${TX}`)).body.status, 'ACTIVE');
  });
});
