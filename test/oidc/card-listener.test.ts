/**
 * The ID-card login listener of the real server (OSIA_OIDC_CARD_PORT): a second HTTPS listener serving the same app,
 * asking clients for a certificate of the CMS issuing CA without refusing those that send none, started and stopped
 * with the main one; and the start-up refusals when it cannot run.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { cardUrlOf, ConfigError } from '../../src/config/config-options.js';
import { loadConfig } from '../../src/config/load-config.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { outputOf, spawnTs } from '../support/child-process.js';
import { createTestPki, type TestPki } from '../support/test-pki.js';

function healthz(port: number, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path: '/healthz', ca, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The CA names the server sends in its CertificateRequest, as OpenSSL's client prints them. */
async function acceptableCaNames(port: number): Promise<string> {
  const client = spawn('/usr/bin/openssl', ['s_client', '-connect', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const { stdout } = await outputOf(client);
  return stdout.split('Acceptable client certificate CA names')[1]?.split('---')[0]?.trim() ?? '';
}

function configOf(env: NodeJS.ProcessEnv) {
  const request = loadConfig([], { PORT: '0', OSIA_HOST: '127.0.0.1', OSIA_AUTH: 'off', ...env });
  if (request.help) throw new Error('unexpected --help');
  return request.config;
}

describe('the ID-card login listener', () => {
  let dir: string;
  let pki: TestPki;
  let tls: NodeJS.ProcessEnv;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'osia-card-listener-'));
    pki = await createTestPki(dir);
    tls = { OSIA_TLS_CERT: pki.files.serverCert, OSIA_TLS_KEY: pki.files.serverKey };
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('serves the same app on a second port, asks for a certificate of the issuing CA, logs its port and stops with the server', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const env = { ...tls, OSIA_OIDC_CARD_PORT: '0', OSIA_INTERFACES: 'pr,cms', OSIA_DATA_DIR: path.join(dir, 'served') };
    const server: RunningServer = await startServer(configOf(env), pino({ level: 'info' }, sink));
    const { port, cardPort } = server;
    try {
      assert.ok(cardPort !== undefined && cardPort !== port);
      assert.equal(await healthz(port, pki.caCert), 200);
      assert.equal(await healthz(cardPort, pki.caCert), 200, 'no certificate is no failed handshake');
      assert.match(await acceptableCaNames(cardPort), /CN\s?=\s?osia-server issuing CA/);
      assert.equal(await acceptableCaNames(port), '', 'the main listener asks for none');
      const logged = lines.map((line) => JSON.parse(line) as { msg: string; port?: number });
      assert.ok(logged.some((entry) => entry.msg === `ID-card login listening on port ${cardPort}` && entry.port === cardPort));
    } finally {
      await server.stop();
    }
    await assert.rejects(healthz(cardPort, pki.caCert), /ECONNREFUSED/);
  });

  it('stops start-up with one line when the card port is set without the server\'s TLS certificate', async () => {
    assert.throws(() => configOf({ OSIA_OIDC_CARD_PORT: '8443' }), new ConfigError('OSIA_OIDC_CARD_PORT (ID-card login) needs OSIA_TLS_CERT and OSIA_TLS_KEY'));
    const child = spawnTs('src/main.ts', [], { OSIA_OIDC_CARD_PORT: '8443', OSIA_DATA_DIR: path.join(dir, 'cli') });
    const { stderr, code } = await outputOf(child);
    assert.equal(code, 2);
    assert.equal(stderr, 'osia-server: OSIA_OIDC_CARD_PORT (ID-card login) needs OSIA_TLS_CERT and OSIA_TLS_KEY\n');
  });

  it('stops start-up when no issuing CA is served', async () => {
    const config = configOf({ ...tls, OSIA_OIDC_CARD_PORT: '0', OSIA_INTERFACES: 'uin', OSIA_DATA_DIR: path.join(dir, 'no-ca') });
    await assert.rejects(startServer(config, pino({ level: 'silent' })), /OSIA_OIDC_CARD_PORT \(ID-card login\) needs the CMS issuing CA/);
  });

  it('links to the public host on the card port unless OSIA_OIDC_CARD_URL says otherwise', () => {
    const card = { ...tls, OSIA_OIDC_CARD_PORT: '8443' };
    assert.equal(cardUrlOf(configOf({ ...card, OSIA_PUBLIC_URL: 'https://id.example.org/' })), 'https://id.example.org:8443');
    assert.equal(cardUrlOf(configOf({ ...card, OSIA_OIDC_CARD_URL: 'https://card.id.example.org/' })), 'https://card.id.example.org');
    assert.equal(cardUrlOf(configOf(tls)), undefined);
  });
});
