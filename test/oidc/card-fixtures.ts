/**
 * Shared pieces of the ID-card login tests: holder cards issued through our CMS with keys made here (the card's
 * keys), and a card listener (createCardServer) whose test route runs the app's card authenticator on the TLS
 * connection, reached with node:https presenting a client certificate.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import express from 'express';
import request from 'supertest';
import { createCardServer } from '../../src/http/http-server.js';
import { cardPeerOf } from '../../src/oidc/card-authenticator.js';
import { LoginRefused } from '../../src/oidc/login-methods.js';
import { credentialRequest, issue, readCredential } from '../cms/cms-fixtures.js';
import type { TestApp, TestAppOptions } from '../support/test-app.js';
import { createTestPki, type TestPki } from '../support/test-pki.js';
import { useTestApp } from '../support/use-test-app.js';

export interface KeyedCertificate {
  cert: string;
  key: string;
}

export interface HolderCard {
  credentialId: string;
  authentication: KeyedCertificate;
  /** NATIONAL_ID_CARD only. */
  signature?: KeyedCertificate;
}

const USAGES: Record<string, string[]> = { NATIONAL_ID_CARD: ['authentication', 'signature'], MOBILE_ID: ['authentication'] };

/** Issues a credential of `profile` to `personId` for the card's own keys, and reads its certificates back. */
export async function issueCard(t: TestApp, requestId: string, personId: string, profile = 'NATIONAL_ID_CARD'): Promise<HolderCard> {
  const usages = USAGES[profile] ?? [];
  const pairs = usages.map((usage) => [usage, generateKeyPairSync('ec', { namedCurve: 'P-256' })] as const);
  const publicKeys = Object.fromEntries(pairs.map(([usage, pair]) => [usage, pair.publicKey.export({ type: 'spki', format: 'pem' })]));
  const credentialId = await issue(t, requestId, credentialRequest(profile, { others: { publicKeys } }, personId));
  const { others } = await readCredential(t, credentialId);
  const certificates = (others as { certificates: { usage: string; certificate: string }[] }).certificates;
  const keyed = (usage: string): KeyedCertificate => {
    const pair = pairs.find(([name]) => name === usage)?.[1];
    const cert = certificates.find((item) => item.usage === usage)?.certificate;
    assert.ok(pair && cert, `the ${usage} certificate`);
    return { cert, key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
  };
  return { credentialId, authentication: keyed('authentication'), ...(usages.includes('signature') ? { signature: keyed('signature') } : {}) };
}

export interface CardEndpoint {
  /** Logs in on the card listener presenting `client` (or no certificate): 200 with the LoginResult, or 403 with the reason. */
  login(client?: KeyedCertificate): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** The card listener over the test app's authenticator, with the server certificate of `pki`. */
export async function openCardEndpoint(t: TestApp, pki: TestPki): Promise<CardEndpoint> {
  const authenticator = t.services.cardAuthenticator;
  assert.ok(authenticator, 'the app has a card login');
  const issuingCa = await request(t.app).get('/cms/ca.pem');
  const app = express();
  app.get('/card', async (req, res) => {
    try {
      res.json(await authenticator.authenticateCard(cardPeerOf(req.socket)));
    } catch (err) {
      if (!(err instanceof LoginRefused)) throw err;
      res.status(403).json({ refused: err.message });
    }
  });
  const server = createCardServer({ tlsCert: pki.files.serverCert, tlsKey: pki.files.serverKey }, issuingCa.text, app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    login: (client) =>
      new Promise((resolve, reject) => {
        // No agent: each login is a handshake of its own, never a resumed session of another certificate.
        const options = { host: '127.0.0.1', port, path: '/card', ca: pki.caCert, agent: false as const, ...client };
        https
          .get(options, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
          })
          .on('error', reject);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface CardLogin {
  t: TestApp;
  /** The card listener's server certificate and a client certificate of another CA. */
  readonly pki: TestPki;
  readonly card: CardEndpoint;
}

/** A test app and its card listener for a describe block: opened in `before`, closed in `after`. */
export function useCardLogin(options: TestAppOptions): CardLogin {
  const t = useTestApp(options);
  let opened: { pki: TestPki; card: CardEndpoint } | undefined;
  before(async () => {
    const pki = await createTestPki(await mkdtemp(path.join(os.tmpdir(), 'osia-card-')));
    opened = { pki, card: await openCardEndpoint(t, pki) };
  });
  after(() => opened?.card.close());
  const current = () => {
    if (!opened) throw new Error('the card listener is open only while the tests of its block run');
    return opened;
  };
  return {
    t,
    get pki() {
      return current().pki;
    },
    get card() {
      return current().card;
    },
  };
}
