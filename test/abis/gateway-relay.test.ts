/**
 * Calls made with a callback through the gateway: our server (listening on loopback, OSIA_PUBLIC_URL set) forwards
 * them with a callback to its relay to a second osia-server process (built-in engine), whose own task layer calls
 * the relay back; the relay settles our task and our caller's callback receives the vendor's result. Our task
 * layer's jobs are driven by hand; the vendor's run on their own. Then the relay's guards: a wrong secret or
 * operation settles nothing, and a result that does not follow abis.yaml reaches our caller as a 502.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import request from 'supertest';
import type { AbisOperationId } from '../../src/biometrics/abis-engine.port.js';
import { RelayAddresses } from '../../src/biometrics/gateway-relay.js';
import { Store } from '../../src/storage/store.js';
import { encounter } from '../support/abis-fixtures.js';
import { type Received, type Receiver, startReceiver } from '../support/receiver.js';
import { type ServerProcesses, startServers } from '../support/server-processes.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const A = '/abis/v1';
const TX = 'tx-relay';
/** A fingerprint is stored as given by the built-in engine (never decoded): no face work in this file. */
const finger = { biometricType: 'FINGER', biometricSubType: 'RIGHT_INDEX', image: Buffer.from('fingerprint image bytes').toString('base64') };

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('the gateway relay between our callers and a vendor that calls back', () => {
  let vendor: ServerProcesses;
  let ours: TestApp;
  let listening: Server;
  let receiver: Receiver;
  let publicUrl = '';
  const lines: string[] = [];
  /** The tasks whose relay address someone called: [taskId, operationId]. */
  const relayed: [string, AbisOperationId][] = [];

  before(async () => {
    vendor = await startServers(1, {
      OSIA_INTERFACES: 'abis',
      OSIA_ABIS_ENGINE: 'builtin',
      // The vendor calls our relay on loopback, which its callback checks refuse by default.
      OSIA_ABIS_CALLBACK_ALLOW: '127.0.0.0/8',
      OSIA_ABIS_POLL_INTERVAL: '20',
    });
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    ours = await createTestApp({
      interfaces: ['abis'],
      logger: pino({ level: 'debug' }, { write: (line: string) => lines.push(line) }),
      env: {
        OSIA_ABIS_ENGINE: 'gateway',
        OSIA_ABIS_GATEWAY_URL: `${vendor.bases[0]}/abis`,
        OSIA_PUBLIC_URL: publicUrl,
        OSIA_ABIS_CALLBACK_ALLOW: '127.0.0.0/8',
      },
    });
    listening = ours.app.listen(port, '127.0.0.1');
    receiver = await startReceiver('/abis-client?client=ours');
    receiver.status = 204;
  });
  after(async () => {
    await receiver?.close();
    listening?.closeAllConnections();
    await new Promise((resolve) => listening?.close(resolve));
    await ours?.close();
    await vendor?.stop();
  });

  const layer = () => {
    const tasks = ours.services.abisTasks;
    assert.ok(tasks, 'the ABIS task layer is composed');
    return tasks;
  };
  const status = async (taskId: string): Promise<string> =>
    (await request(ours.app).get(`${A}/tasks/${taskId}/status?transactionId=${TX}`).expect(200)).body;
  const taskOf = (received: Received) => new URL(received.url, 'http://receiver').searchParams.get('taskId');

  /** Makes the call with our receiver as callback; resolves our task id (202). */
  const accept = async (method: 'get' | 'post' | 'delete', path: string, body?: object): Promise<string> => {
    const url = `${A}${path}${path.includes('?') ? '&' : '?'}transactionId=${TX}&callback=${encodeURIComponent(receiver.url)}`;
    const call = request(ours.app)[method](url);
    const res = body ? await call.send(body) : await call;
    assert.equal(res.status, 202, res.text);
    return res.body.taskId;
  };

  /** Our runner forwards the task; the vendor calls the relay back; our delivery posts the result to our caller. */
  const deliveredThroughVendor = async (taskId: string, operationId: AbisOperationId): Promise<Received> => {
    relayed.push([taskId, operationId]);
    assert.equal(await layer().runner.runOnce(), 1);
    await waitFor(`task ${taskId} settled through the relay`, async () => (await status(taskId)) === 'RESPONSE_SCHEDULED');
    await layer().delivery.runOnce();
    assert.equal(await status(taskId), 'COMPLETED');
    const [delivered, ...more] = receiver.received.filter((received) => taskOf(received) === taskId);
    assert.ok(delivered, 'our caller received the result');
    assert.equal(more.length, 0);
    return delivered;
  };

  it("delivers the vendor's result of a create to our caller, and the encounter is at the vendor", async () => {
    const taskId = await accept('post', '/persons/P-1/encounters/E-1', encounter([finger]));
    const delivered = await deliveredThroughVendor(taskId, 'createEncounter');
    assert.equal(delivered.headers['content-type'], 'application/json');
    assert.equal(new URL(delivered.url, 'http://receiver').searchParams.get('client'), 'ours', "our caller's own query kept");
    assert.deepEqual([delivered.body.personId, delivered.body.encounterId], ['P-1', 'E-1']);
    const atVendor = await request(`${vendor.bases[0]}/abis`).get(`/v1/persons/P-1/encounters/E-1?transactionId=${TX}`);
    assert.equal(atVendor.status, 200);
    assert.equal(atVendor.body.biometricData[0].image, finger.image);
  });

  it('delivers "OK" for an operation answering 204, and the vendor did the work', async () => {
    await request(ours.app).post(`${A}/persons/P-2/encounters/E-1?transactionId=${TX}`).send(encounter([finger])).expect(200);
    const taskId = await accept('delete', '/persons/P-2');
    const delivered = await deliveredThroughVendor(taskId, 'deleteAll');
    assert.equal(delivered.body, 'OK');
    assert.equal((await request(ours.app).get(`${A}/persons/P-2/encounters?transactionId=${TX}`)).status, 404);
  });

  it("delivers the vendor's refusal as an application/error+json Error with the vendor's message", async () => {
    const taskId = await accept('get', '/persons/P-404/encounters/E-1');
    const delivered = await deliveredThroughVendor(taskId, 'readEncounter');
    assert.equal(delivered.headers['content-type'], 'application/error+json');
    const direct = await request(`${vendor.bases[0]}/abis`).get(`/v1/persons/P-404/encounters/E-1?transactionId=${TX}`);
    assert.equal(direct.status, 404);
    assert.deepEqual(delivered.body, { code: 404, message: direct.body.message });
  });

  describe('the relay address', () => {
    let taskId = '';
    let addresses: RelayAddresses;
    before(async () => {
      // A task accepted but not run: the vendor never heard of it, so only this test calls its relay address.
      taskId = await accept('get', '/galleries');
      addresses = await RelayAddresses.open(new Store(ours.storage), `${publicUrl}/abis`);
      relayed.push([taskId, 'readGalleries']);
    });
    const relay = (address: string, body: unknown, type = 'application/json') =>
      fetch(`${address}?transactionId=${TX}&taskId=vendor-7`, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(body) });

    it('answers 404 and settles nothing with a wrong secret, another operation or another task', async () => {
      const right = addresses.address(taskId, 'readGalleries');
      const wrongs = [
        right.replace(/[^/]+$/, 'A'.repeat(43)),
        right.replace('/readGalleries/', '/readTemplate/'),
        right.replace(`/tasks/${taskId}/`, '/tasks/another-task/'),
        `${right}x`,
      ];
      for (const address of wrongs) {
        const res = await relay(address, ['national']);
        assert.equal(res.status, 404, address);
        assert.deepEqual(await res.json(), { code: 404, message: 'No such relay address' });
      }
      assert.equal(await status(taskId), 'PENDING');
    });

    it('settles with a 502 a result that does not follow abis.yaml, and ignores a second result', async () => {
      const address = addresses.address(taskId, 'readGalleries');
      const res = await relay(address, [{ not: 'a gallery name' }]);
      assert.equal(res.status, 204);
      assert.equal(await status(taskId), 'RESPONSE_SCHEDULED');
      assert.equal((await relay(address, ['national'])).status, 204, 'a repeat is acknowledged');
      await layer().delivery.runOnce();
      const [delivered] = receiver.received.filter((received) => taskOf(received) === taskId);
      assert.equal(delivered?.headers['content-type'], 'application/error+json');
      assert.equal(delivered?.body.code, 502);
      assert.match(String(delivered?.body.message), /the vendor ABIS answered readGalleries with a callback that does not follow abis.yaml/);
      assert.doesNotMatch(String(delivered?.body.message), /a gallery name/, "the vendor's body is not passed on");
    });

    it('answers 404 for a task that does not exist, with its own valid address', async () => {
      const res = await relay(addresses.address('no-such-task', 'readGalleries'), ['national']);
      assert.equal(res.status, 404);
      assert.match(((await res.json()) as { message: string }).message, /no-such-task/);
    });

    it('never logs a relay secret (request lines show [secret] in its place)', () => {
      assert.ok(lines.some((line) => line.includes(`/abis/relay/v1/tasks/${taskId}/readGalleries/[secret]`)));
      assert.equal(relayed.length, 4);
      for (const [task, operationId] of relayed) {
        const secret = addresses.address(task, operationId).split('/').at(-1) as string;
        assert.equal(lines.filter((line) => line.includes(secret)).length, 0, `${operationId}: its secret is not in the log`);
      }
    });
  });
});
