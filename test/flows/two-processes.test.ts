/**
 * Birth and death end to end between two osia-server processes on loopback. Process 1 is the civil registry (PR
 * records behind Data Access, and the Notification engine, authentication on); process 2 is the population
 * registry, CMS and Third Party Services, its PR and CMS subscribed to process 1's engine over HTTP with a bearer
 * token (the external-engine configuration), reading the newborn from process 1's Data Access interface.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readCrl } from '../pki/pki-fixtures.js';
import { exitOf, spawnTs, waitForLine } from '../support/child-process.js';
import { tokenFor } from '../support/tokens.js';
import { waitFor } from '../support/wait-for.js';

const TX = '?transactionId=tx-flows';

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function start(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; base: string }> {
  const child = spawnTs('src/main.ts', [], { OSIA_HOST: '127.0.0.1', OSIA_LOG_LEVEL: 'info', ...env });
  const listening = JSON.parse(await waitForLine(child, (line) => line.includes('listening'))) as { port: number };
  child.stdout?.resume();
  child.stderr?.resume();
  return { child, base: `http://127.0.0.1:${listening.port}` };
}

describe('birth and death between a civil registry and a population registry', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  let cr: string;
  let pr: string;
  let crToken: string;

  const call = async (base: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= typeof body === 'string' ? 'text/plain' : 'application/json';
    }
    return fetch(`${base}${url}`, init);
  };
  const atCr = (method: string, url: string, body?: unknown) => call(cr, method, url, body, { authorization: `Bearer ${crToken}` });
  const atPr = (method: string, url: string, body?: unknown) => call(pr, method, url, body);
  const expectStatus = async (response: Promise<Response>, status: number) => {
    const res = await response;
    if (res.status !== status) assert.fail(`${res.url}: ${res.status} ${await res.text()}`);
    return res;
  };
  const person = async (base: typeof atCr, uin: string, biographicData: object) => {
    await expectStatus(base('POST', `/pr/v1/persons/${uin}${TX}`, { status: 'ACTIVE', physicalStatus: 'ALIVE' }), 201);
    const identity = { identityType: 'CIVIL', status: 'VALID', galleries: ['civil'], biographicData };
    await expectStatus(base('POST', `/pr/v1/persons/${uin}/identities/CR1${TX}`, identity), 201);
    await expectStatus(base('PUT', `/pr/v1/persons/${uin}/identities/CR1/reference${TX}`), 204);
  };

  before(async () => {
    const crDir = await mkdtemp(path.join(os.tmpdir(), 'osia-cr-'));
    const prDir = await mkdtemp(path.join(os.tmpdir(), 'osia-pr-'));
    dirs.push(crDir, prDir);
    const civil = await start({
      PORT: '0',
      OSIA_DATA_DIR: crDir,
      OSIA_AUTH: 'on',
      OSIA_INTERFACES: 'pr,dataaccess,notification',
      OSIA_NOTIFICATION_ALLOW: '127.0.0.1',
    });
    children.push(civil.child);
    cr = civil.base;
    crToken = await tokenFor(
      crDir,
      'pr.person.read pr.person.write pr.identity.read pr.identity.write pr.reference.write cr.person.read notif.topic.read notif.topic.write notif.topic.publish notif.sub.read notif.sub.write',
    );
    const tokenFile = path.join(prDir, 'cr-token');
    await writeFile(tokenFile, `${crToken}\n`);
    const engine = `{ url: "${cr}/notification", tokenFile: "${tokenFile}" }`;
    const wiring = path.join(prDir, 'events.yaml');
    await writeFile(
      wiring,
      `source: pr.test
components:
  pr: { engine: ${engine}, subscribes: [death, liveBirth] }
  cms: { engine: ${engine}, subscribes: [death] }
reactions:
  death: { credentials: revoke }
  liveBirth: { civilRegistry: { url: "${cr}/dataaccess", tokenFile: "${tokenFile}" } }
policy: "1,-1"
subscribeRetrySeconds: 1
`,
    );
    const port = await freePort();
    const population = await start({
      PORT: String(port),
      OSIA_PUBLIC_URL: `http://127.0.0.1:${port}`,
      OSIA_DATA_DIR: prDir,
      OSIA_AUTH: 'off',
      OSIA_INTERFACES: 'pr,cms,thirdparty',
      OSIA_EVENTS: wiring,
    });
    children.push(population.child);
    pr = population.base;
  });

  after(async () => {
    for (const child of children) {
      child.kill('SIGTERM');
      await exitOf(child);
    }
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('subscribes the PR and the CMS to the civil registry, confirmed through the handshake', async () => {
    const active = await waitFor('three confirmed subscriptions', async () => {
      const listed = (await (await atCr('GET', '/notification/v1/subscriptions')).json()) as { active: boolean; address: string }[];
      return listed.length === 3 && listed.every((s) => s.active) && listed;
    });
    assert.deepEqual(active.map((s) => new URL(s.address).pathname.split('/').slice(0, 5).join('/')).sort(), [
      '/events/v1/cms/death',
      '/events/v1/pr/death',
      '/events/v1/pr/liveBirth',
    ]);
  });

  it('a birth registered at the civil registry becomes a person with identity and reference in the PR', async () => {
    await person(atCr, 'MOTHER-1', { firstName: 'Ngozi', lastName: 'Okafor' });
    await person(atCr, 'BABY-1', { firstName: 'Chidi', lastName: 'Okafor', dateOfBirth: '2026-01-02' });
    const liveBirth = JSON.stringify({ source: 'cr.test', uin: 'BABY-1', uin1: 'MOTHER-1' });
    await expectStatus(atCr('POST', '/notification/v1/topics/liveBirth/publish?subject=liveBirth', liveBirth), 200);
    const reference = await waitFor('the newborn in the PR', async () => {
      const res = await atPr('GET', `/pr/v1/persons/BABY-1/reference${TX}`);
      return res.status === 200 && ((await res.json()) as Record<string, unknown>);
    });
    assert.equal(reference.identityId, 'liveBirth');
    assert.equal(reference.status, 'VALID');
    assert.deepEqual(reference.biographicData, { firstName: 'Chidi', lastName: 'Okafor', dateOfBirth: '2026-01-02' });
    assert.deepEqual((reference.contextualData as Record<string, unknown>).parent1, { uin: 'MOTHER-1', firstName: 'Ngozi', lastName: 'Okafor' });
    const read = await expectStatus(atPr('GET', `/pr/v1/persons/BABY-1${TX}`), 200);
    assert.deepEqual(await read.json(), { personId: 'BABY-1', status: 'ACTIVE', physicalStatus: 'ALIVE' });
  });

  it('a death registered at the civil registry makes the person DEAD, revokes their card (on the CRL) and fails verify', async () => {
    const biographicData = { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10' };
    await person(atCr, 'ADA-1', biographicData);
    await person(atPr, 'ADA-1', biographicData);
    const requestBody = { personId: 'ADA-1', biographicData, requestData: { priority: 5, credentialProfileId: 'NATIONAL_ID_CARD', requestType: 'FIRST_ISSUANCE' } };
    await expectStatus(atPr('POST', `/cms/v1/credentialRequests/REQ-ADA${TX}`, requestBody), 201);
    const issued = (await (await atPr('GET', `/cms/v1/credentialRequests/REQ-ADA${TX}`)).json()) as { credentialIds: string[] };
    const [credentialId] = issued.credentialIds;
    const credential = (await (await atPr('GET', `/cms/v1/credentials/${credentialId}${TX}`)).json()) as {
      credentialNumber: string;
      others: { certificates: { serialNumber: string }[] };
    };
    const verify = async () => {
      const res = await expectStatus(atPr('POST', `/thirdparty/v1/verify/ADA-1${TX}`, { biographicData, credentialData: [{ credentialNumber: credential.credentialNumber }] }), 200);
      return ((await res.json()) as { verificationCode: number }).verificationCode;
    };
    assert.equal(await verify(), 0);

    await expectStatus(atCr('PUT', `/pr/v1/persons/ADA-1${TX}`, { status: 'ACTIVE', physicalStatus: 'DEAD' }), 204);
    await expectStatus(atCr('POST', '/notification/v1/topics/death/publish', JSON.stringify({ source: 'cr.test', uin: 'ADA-1' })), 200);

    await waitFor('the person DEAD and the credential REVOKED', async () => {
      const read = (await (await atPr('GET', `/pr/v1/persons/ADA-1${TX}`)).json()) as { physicalStatus: string };
      const card = (await (await atPr('GET', `/cms/v1/credentials/${credentialId}${TX}`)).json()) as { status: string };
      return read.physicalStatus === 'DEAD' && card.status === 'REVOKED';
    });
    const crl = readCrl(Buffer.from(await (await expectStatus(atPr('GET', '/cms/crl'), 200)).arrayBuffer()));
    for (const { serialNumber } of credential.others.certificates) assert.equal(crl.entries.get(serialNumber), 5, 'cessationOfOperation');
    assert.notEqual(await verify(), 0);
    assert.equal(await verify(), 2, 'the identity is not active: deceased');
  });
});
