/**
 * The gateway engine against a vendor that answers what the test says (test/abis/stub-vendor.ts): what is forwarded
 * (method, path, query, body, token from a file, client certificate), and how every kind of vendor answer reaches
 * our caller — relayed when it is OSIA, an upstream error (502, the OSIA Error object, no stack) when it is not.
 * The same engine in front of a real osia-server is test/abis/gateway.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { createTestPki, type TestPki } from '../support/test-pki.js';
import type { TestApp } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';

type TestAppLike = Pick<TestApp, 'app' | 'services'>;
import { json, type StubVendor, startStubVendor } from './stub-vendor.js';

const A = '/abis/v1';
const candidates = [{ personId: 'p-1', rank: 1, score: 0.93, scores: [{ score: 0.93, encounterId: 'e-1', galleries: ['national'] }] }];
const probe = { filter: {}, biometricData: [{ biometricType: 'FACE' }] };

/** Our 502: the OSIA Error object with a message, nothing internal. */
function assertUpstream(res: request.Response, message: RegExp): void {
  assert.equal(res.status, 502, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body).sort(), ['code', 'message']);
  assert.equal(res.body.code, 502);
  assert.match(res.body.message, message);
  assert.doesNotMatch(res.text, /at .*\.ts:\d+|Error:/);
}

describe('the gateway engine forwarding to a vendor ABIS', () => {
  let vendor: StubVendor;
  let dir: string;
  before(async () => {
    vendor = await startStubVendor();
    dir = await mkdtemp(path.join(os.tmpdir(), 'osia-gateway-'));
    await writeFile(path.join(dir, 'token'), 'vendor-token-123\n');
  });
  after(async () => {
    await vendor.close();
    await rm(dir, { recursive: true, force: true });
  });
  const t = useTestApp(() =>
    Promise.resolve({
      interfaces: ['abis'],
      env: {
        OSIA_ABIS_ENGINE: 'gateway',
        OSIA_ABIS_GATEWAY_URL: `${vendor.url}/`,
        OSIA_ABIS_GATEWAY_TOKEN: path.join(dir, 'token'),
        OSIA_ABIS_GATEWAY_TIMEOUT: '1',
      },
    }),
  );

  it('forwards the operation with its method, path, query, body and the token read from its file', async () => {
    vendor.reply = () => json(200, candidates);
    const res = await request(t.app).post(`${A}/identify/national?transactionId=tx-1&maxNbCand=5&threshold=0.5`).send(probe);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, candidates);
    const [sent] = vendor.requests.slice(-1);
    assert.equal(sent?.method, 'POST');
    const url = new URL(sent?.url ?? '', 'http://vendor');
    assert.equal(url.pathname, '/abis/v1/identify/national');
    assert.deepEqual(Object.fromEntries(url.searchParams), { transactionId: 'tx-1', maxNbCand: '5', threshold: '0.5' });
    assert.equal(sent?.headers.authorization, 'Bearer vendor-token-123');
    assert.deepEqual(JSON.parse(sent?.text ?? ''), probe);
  });

  it('encodes path parameters and answers 204 for the operations without a payload', async () => {
    vendor.reply = () => ({ status: 204 });
    const res = await request(t.app).delete(`${A}/persons/p%201/encounters/e%2F2?transactionId=tx-2`);
    assert.equal(res.status, 204);
    const [sent] = vendor.requests.slice(-1);
    assert.equal(sent?.method, 'DELETE');
    assert.equal(sent?.url, '/abis/v1/persons/p%201/encounters/e%2F2?transactionId=tx-2');
  });

  for (const [status, expected] of [
    [400, 400],
    [404, 404],
    [409, 409],
  ] as const) {
    it(`relays the vendor's ${status} with its message`, async () => {
      vendor.reply = () => json(status, { code: status, message: `vendor says ${status}` });
      const res = await request(t.app).get(`${A}/persons/p-1/encounters/e-1?transactionId=tx-3`);
      assert.equal(res.status, expected);
      assert.deepEqual(res.body, { code: expected, message: `vendor says ${status}` });
    });
  }

  const failures: [string, () => ReturnType<NonNullable<StubVendor['reply']>>, RegExp][] = [
    ['refuses our token (401)', () => json(401, { code: 401, message: 'bad token' }), /refused our credentials \(401\) on readEncounter: bad token/],
    ['refuses our scopes (403)', () => ({ status: 403 }), /refused our credentials \(403\) on readEncounter/],
    ['fails (500)', () => json(500, { code: 500, message: 'disk full' }), /failed \(500\) on readEncounter: disk full/],
    ['answers HTML', () => ({ status: 200, contentType: 'text/html', body: '<html>maintenance</html>' }), /not JSON/],
    ['answers JSON that is not an Encounter', () => json(200, { hello: 'world' }), /does not follow abis.yaml/],
    ['answers 202 to a call without callback', () => json(202, { taskId: 't' }), /202 where 200 was expected/],
    ['redirects', () => ({ status: 302, headers: { location: 'http://elsewhere.example/' } }), /302 where 200 was expected/],
  ];
  for (const [what, reply, message] of failures) {
    it(`answers an upstream error when the vendor ${what}`, async () => {
      vendor.reply = reply;
      const before = vendor.requests.length;
      const res = await request(t.app).get(`${A}/persons/p-1/encounters/e-1?transactionId=tx-4`);
      assertUpstream(res, message);
      assert.doesNotMatch(res.text, /hello|maintenance/, 'nothing of the vendor body that is not OSIA');
      assert.equal(vendor.requests.length, before + 1, 'one request, no redirect followed');
    });
  }

  it('makes CSV gallery content from the JSON it asks the vendor for', async () => {
    vendor.reply = () => json(200, [{ personId: 'p-1', encounterId: 'e-1' }]);
    const res = await request(t.app).get(`${A}/galleries/national?transactionId=tx-csv&offset=10&limit=5`).set('Accept', 'text/csv');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^text\/csv/);
    assert.match(res.text, /p-1, ?e-1/);
    const [sent] = vendor.requests.slice(-1);
    assert.equal(sent?.headers.accept, 'application/json');
    assert.equal(sent?.url, '/abis/v1/galleries/national?transactionId=tx-csv&offset=10&limit=5');
  });

  it('answers an upstream error when the vendor does not answer in time', async () => {
    vendor.reply = undefined;
    const res = await request(t.app).get(`${A}/galleries?transactionId=tx-5`);
    assertUpstream(res, /did not answer readGalleries \(no answer within 1000 ms\)/);
  });
});

describe('calls with a callback', () => {
  let vendor: StubVendor;
  let receiver: Receiver;
  before(async () => {
    vendor = await startStubVendor();
    receiver = await startReceiver('/abis-client');
    receiver.status = 204;
  });
  after(async () => {
    await vendor.close();
    await receiver.close();
  });
  const openGateway = (publicUrl?: string) =>
    Promise.resolve({
      interfaces: ['abis'] as const,
      env: {
        OSIA_ABIS_ENGINE: 'gateway',
        OSIA_ABIS_GATEWAY_URL: vendor.url,
        OSIA_ABIS_CALLBACK_ALLOW: '127.0.0.0/8',
        ...(publicUrl ? { OSIA_PUBLIC_URL: publicUrl } : {}),
      },
    });
  const deliveredFor = async (app: TestAppLike, path: string): Promise<{ headers: Record<string, unknown>; body: unknown }> => {
    const accepted = await request(app.app).get(`${A}${path}?transactionId=tx-cb&callback=${encodeURIComponent(receiver.url)}`);
    assert.equal(accepted.status, 202, accepted.text);
    const tasks = app.services.abisTasks;
    assert.ok(tasks);
    assert.equal(await tasks.runner.runOnce(), 1);
    await tasks.delivery.runOnce();
    const delivered = receiver.received.find((received) => new URL(received.url, 'http://r').searchParams.get('taskId') === accepted.body.taskId);
    assert.ok(delivered, 'delivered to our caller');
    return delivered;
  };

  describe('without OSIA_PUBLIC_URL (the vendor cannot call us back)', () => {
    const t = useTestApp(() => openGateway());
    it('runs the call synchronously at the vendor, without callback, and delivers its answer', async () => {
      vendor.reply = () => json(200, ['national']);
      const delivered = await deliveredFor(t, '/galleries');
      assert.deepEqual(delivered.body, ['national']);
      const sent = new URL(vendor.requests.at(-1)?.url ?? '', 'http://vendor');
      assert.deepEqual([...sent.searchParams.keys()], ['transactionId'], 'no callback, no priority forwarded');
    });
  });

  describe('with OSIA_PUBLIC_URL', () => {
    const t = useTestApp(() => openGateway('https://osia.example/'));
    it('forwards the call with a callback to our relay and waits; a vendor that does not accept it (no 202) fails the task', async () => {
      vendor.reply = () => json(200, ['national']);
      const delivered = await deliveredFor(t, '/galleries');
      const callback = new URL(vendor.requests.at(-1)?.url ?? '', 'http://vendor').searchParams.get('callback') ?? '';
      assert.match(callback, /^https:\/\/osia\.example\/abis\/relay\/v1\/tasks\/[0-9a-f-]{36}\/readGalleries\/[\w-]{43}$/);
      assert.equal(delivered.headers['content-type'], 'application/error+json');
      assert.deepEqual(delivered.body, { code: 502, message: 'the vendor ABIS answered readGalleries with 200 where 202 was expected' });
    });
  });
});

describe('the gateway engine and a vendor that is down', () => {
  let port = 0;
  before(async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
  });
  const t = useTestApp(() => Promise.resolve({ interfaces: ['abis'], env: { OSIA_ABIS_ENGINE: 'gateway', OSIA_ABIS_GATEWAY_URL: `http://127.0.0.1:${port}/abis` } }));

  it('answers an upstream error naming the refused connection', async () => {
    const res = await request(t.app).get(`${A}/galleries?transactionId=tx-6`);
    assertUpstream(res, /did not answer readGalleries \(ECONNREFUSED\)/);
  });
});

describe('the gateway engine over mutual TLS', () => {
  let vendor: StubVendor;
  let dir: string;
  let pki: TestPki;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'osia-gateway-tls-'));
    pki = await createTestPki(dir);
    await writeFile(path.join(dir, 'client.pem'), pki.clientCert);
    await writeFile(path.join(dir, 'client-key.pem'), pki.clientKey, { mode: 0o600 });
    vendor = await startStubVendor({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert, requestCert: true, rejectUnauthorized: true });
  });
  after(async () => {
    await vendor.close();
    await rm(dir, { recursive: true, force: true });
  });
  const t = useTestApp(() =>
    Promise.resolve({
      interfaces: ['abis'],
      env: {
        OSIA_ABIS_ENGINE: 'gateway',
        OSIA_ABIS_GATEWAY_URL: vendor.url.replace('127.0.0.1', 'localhost'),
        OSIA_ABIS_GATEWAY_CLIENT_CERT: path.join(dir, 'client.pem'),
        OSIA_ABIS_GATEWAY_CLIENT_KEY: path.join(dir, 'client-key.pem'),
        OSIA_ABIS_GATEWAY_CA: pki.files.caCert,
      },
    }),
  );

  it('presents the client certificate and checks the vendor against the given CA', async () => {
    vendor.reply = () => json(200, ['national', 'watchlist']);
    const res = await request(t.app).get(`${A}/galleries?transactionId=tx-7`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, ['national', 'watchlist']);
    assert.equal(vendor.requests.at(-1)?.clientCn, 'civil-registry-client');
  });
});
