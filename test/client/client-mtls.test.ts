/** The client reaches a server that demands a client certificate (mutual TLS) through an undici dispatcher. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { Agent } from 'undici';
import { createOsiaClient, unwrap } from '../../src/client/index.js';
import { type LiveServer, startLiveServer } from '../support/live-server.js';
import { createTestPki, type TestPki } from '../support/test-pki.js';

let dir: string;
let pki: TestPki;
let server: LiveServer;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'osia-client-tls-'));
  pki = await createTestPki(dir);
  server = await startLiveServer({ OSIA_TLS_CERT: pki.files.serverCert, OSIA_TLS_KEY: pki.files.serverKey, OSIA_TLS_CA: pki.files.caCert });
});
after(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

it('generates a UIN over mutual TLS with the client certificate, and cannot connect without it', async () => {
  assert.match(server.url, /^https:/);
  const token = await server.token('uin.generate');
  const query = { transactionId: 'tx-mtls' };
  const withCertificate = createOsiaClient({
    baseUrl: server.url,
    token,
    dispatcher: new Agent({ connect: { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey } }),
  });
  const uin = await unwrap(withCertificate.uin.POST('/v1/uin', { params: { query }, body: {} }));
  assert.match(String(uin), /^\d+$/);

  const without = createOsiaClient({ baseUrl: server.url, token, dispatcher: new Agent({ connect: { ca: pki.caCert } }) });
  await assert.rejects(without.uin.POST('/v1/uin', { params: { query }, body: {} }), /fetch failed/);
});
