/**
 * The citizen's side of the real server for end-to-end tests: src/server.ts over HTTPS on localhost (the test PKI's
 * server certificate), the ID-card listener beside it, OpenID clients from a YAML file, API clients named by a
 * profile fragment (one restricted), authentication on, the app's clock given by the test. A second app on the same
 * store, without authentication, plays the registry office: it enrols people and issues cards through the APIs.
 */
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load-config.js';
import { startServer } from '../../src/server.js';
import { type Clock, systemClock } from '../../src/shared/clock.js';
import { freePort } from './free-port.js';
import { fetchTrusting, type TrustingFetch } from './https-fetch.js';
import { createTestApp, type TestApp, testLogger } from './test-app.js';
import { createTestPki, type TestPki } from './test-pki.js';
import { tokenFor } from './tokens.js';

export const RP_SECRET = 'an-e2e-client-secret-long-enough-for-the-schema';
/** Days a restricted client's access stays off the person's report. */
export const RESTRICTED_DAYS = 30;

const PIVOT_CLAIMS = { required: ['given_name', 'family_name'], optional: ['birthdate', 'gender', 'birthplace', 'birthcountry'] };

/** Three relying parties, all coming back to `callback`: two sectors at the default minimum (substantial), one asking the card (high). */
function relyingParties(callback: string) {
  const shared = { client_secret: RP_SECRET, redirect_uris: [callback], organisation: 'Ministry of Health', purpose: 'Booking your appointments' };
  return [
    { client_id: 'health-portal', client_name: 'Health portal', sector: 'health', scopes: ['profile', 'birth'], claims: PIVOT_CLAIMS, ...shared },
    { client_id: 'tax-portal', client_name: 'Tax portal', sector: 'tax', scopes: ['profile'], ...shared, organisation: 'Ministry of Finance', purpose: 'Filing your tax return' },
    { client_id: 'border-portal', client_name: 'Border portal', sector: 'border', scopes: ['profile'], acr: 'high', ...shared, organisation: 'Border Police', purpose: 'Travel documents' },
  ];
}

/** API clients of Third Party, as the person's report names them. */
const ACCESS_REPORT = {
  accessReport: {
    restrictedDelayDays: RESTRICTED_DAYS,
    clients: {
      'first-bank': { organisation: 'Bank of Utopia', purpose: 'Opening an account' },
      'police-records': { organisation: 'National Police', purpose: 'Criminal investigations', restricted: true },
    },
  },
};

export interface CitizenServer {
  /** `https://localhost:<port>`: the public URL. */
  origin: string;
  issuer: string;
  /** `https://localhost:<card port>`: the ID-card listener. */
  cardOrigin: string;
  /** The relying parties' redirect URI: a page of a plain HTTP server on localhost, where the browser ends. */
  rpCallback: string;
  /** The test PKI: its CA signed the server's certificate (browsers and `fetch` trust it). */
  pki: TestPki;
  /** The registry office on the same store (no authentication), for the fixtures of test/support and test/oidc. */
  office: TestApp;
  /** fetch trusting the server's CA. */
  fetch: TrustingFetch;
  /** A bearer token of the API client `client` with `scope`. */
  token(scope: string, client: string): Promise<string>;
  stop(): Promise<void>;
}

export interface CitizenServerOptions {
  /** The app's clock (a fake one the test moves); the system's by default. */
  clock?: Clock;
  /** The server's logger (the test logger by default). */
  logger?: Logger;
  /** More settings of the server, as environment variables. */
  env?: NodeJS.ProcessEnv;
}

export async function startCitizenServer({ clock = systemClock, logger = testLogger(), env: more = {} }: CitizenServerOptions = {}): Promise<CitizenServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'osia-citizen-'));
  const pki = await createTestPki(dir);
  const clientsFile = path.join(dir, 'clients.yaml');
  const profileFile = path.join(dir, 'access-report.yaml');
  const rp = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Back at the service</title>'));
  await once(rp.listen(0, '127.0.0.1'), 'listening');
  const rpCallback = `http://localhost:${(rp.address() as AddressInfo).port}/cb`;
  await writeFile(clientsFile, stringify({ clients: relyingParties(rpCallback) }));
  await writeFile(profileFile, stringify(ACCESS_REPORT));
  const [port, cardPort] = [await freePort(), await freePort()];
  const origin = `https://localhost:${port}`;
  const dataDir = path.join(dir, 'data');
  const env = {
    OSIA_PUBLIC_URL: origin,
    OSIA_TLS_CERT: pki.files.serverCert,
    OSIA_TLS_KEY: pki.files.serverKey,
    OSIA_OIDC_CARD_PORT: String(cardPort),
    OSIA_OIDC_CLIENTS: clientsFile,
    OSIA_PROFILE: profileFile,
  };
  const request = loadConfig([], { ...env, ...more, PORT: String(port), OSIA_HOST: '127.0.0.1', OSIA_AUTH: 'on', OSIA_INTERFACES: 'pr,cms,thirdparty,oidc', OSIA_DATA_DIR: dataDir });
  if (request.help) throw new Error('unreachable: no --help given');
  const server = await startServer(request.config, logger, clock);
  // After the server: it made the store's schema, the CA and the provider's keys.
  const office = await createTestApp({ interfaces: ['pr', 'cms', 'thirdparty', 'oidc'], dataDir, clock, env });
  return {
    origin,
    issuer: `${origin}/oidc`,
    cardOrigin: `https://localhost:${cardPort}`,
    rpCallback,
    pki,
    office,
    fetch: fetchTrusting(pki.caCert),
    token: (scope, client) => tokenFor(dataDir, scope, `${client}-agent`, client),
    stop: async () => {
      await server.stop();
      await office.close();
      rp.closeAllConnections();
      await new Promise((resolve) => rp.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
