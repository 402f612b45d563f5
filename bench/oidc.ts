/**
 * The OpenID provider's scenarios (`npm run bench -- --only oidc`): logins per second with the ID card, and the
 * "my data" report of a person with 10,000 accesses, over HTTP/TLS against a server process (src/main.ts,
 * NODE_ENV=production, auth on, embedded store): TLS with a localhost certificate made at run time, the card
 * listener, one relying party from a clients file. Persons are loaded and their NATIONAL_ID_CARDs issued through the
 * API, for keys made here. The bare-Express yardstick is measured right before each figure.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers/promises';
import autocannon from 'autocannon';
import { stringify } from 'yaml';
import { openAuditTrail } from '../src/audit/audit-trail.js';
import { mintDevToken } from '../src/cli/mint-token.js';
import { createStorage } from '../src/storage/create-storage.js';
import { Store } from '../src/storage/store.js';
import { createTestPki } from '../test/support/test-pki.js';
import { loadPopulation } from './load-population.js';
import { type CardKeys, CardBrowser, logIn, type Provider, type RelyingParty } from './oidc-login.js';
import { identityOf, personId } from './population.js';
import { type ServerProcess, startProcess } from './processes.js';
import { freePort } from '../test/support/free-port.js';
import { fetchTrusting, type TrustingFetch } from '../test/support/https-fetch.js';
import { summarise } from './profile-summary.js';
import { yardstickRate } from './yardstick.js';

export interface OidcLoad {
  /** Persons with a card; logins go round them. */
  persons: number;
  /** Concurrent login loops, and autocannon connections for /me. */
  concurrency: number;
  /** Seconds of logins, and of each /me measurement. */
  duration: number;
  /** Accesses to the one person whose report is read, and as many to the others. */
  accesses: number;
  logLevel: string;
  /** Run the server under `node --cpu-prof`, writing its profile here, and summarise the logins' and /me's windows. */
  profileDir?: string;
}

/** A phase of the run, in milliseconds since the server was spawned (the profile's clock, near enough). */
interface Phase {
  name: string;
  from: number;
  to: number;
}

type PhaseTimer = (name: string, run: () => Promise<void>) => Promise<void>;

type Fetch = TrustingFetch;

const SCOPES = 'pr.person.write pr.identity.write pr.reference.write cms.request.write cms.request.read cms.credential.read id.verify';
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function expectOk(response: Response, what: string): Promise<unknown> {
  const body = await response.text();
  if (!response.ok) throw new Error(`${what}: ${response.status} ${body.slice(0, 300)}`);
  return body ? JSON.parse(body) : undefined;
}

/** A NATIONAL_ID_CARD for person `i`, issued by the CMS for keys made here; its authentication certificate and key. */
async function issueCard(send: Fetch, url: string, headers: Record<string, string>, i: number): Promise<CardKeys> {
  const [authentication, signature] = [generateKeyPairSync('ec', { namedCurve: 'P-256' }), generateKeyPairSync('ec', { namedCurve: 'P-256' })];
  const spki = { type: 'spki', format: 'pem' } as const;
  const publicKeys = { authentication: authentication.publicKey.export(spki), signature: signature.publicKey.export(spki) };
  const requestUrl = `${url}/cms/v1/credentialRequests/CARD-${i}?transactionId=bench-card-${i}`;
  const body = {
    personId: personId(i),
    biographicData: identityOf(i).biographicData,
    requestData: { priority: 5, credentialProfileId: 'NATIONAL_ID_CARD', requestType: 'FIRST_ISSUANCE', others: { publicKeys } },
  };
  await expectOk(await send(requestUrl, { method: 'POST', headers, body: JSON.stringify(body) }), 'createCredentialRequest');
  const { credentialIds } = (await expectOk(await send(requestUrl, { headers }), 'readCredentialRequest')) as { credentialIds: string[] };
  const credential = (await expectOk(await send(`${url}/cms/v1/credentials/${credentialIds[0]}?transactionId=bench-card-${i}`, { headers }), 'readCredential')) as {
    others: { certificates: { usage: string; certificate: string }[] };
  };
  const cert = credential.others.certificates.find(({ usage }) => usage === 'authentication')?.certificate;
  const key = authentication.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  if (!cert) throw new Error(`card ${i} has no authentication certificate`);
  return { cert, key };
}

/** `concurrency` login loops for `duration` seconds, going round the cards. */
async function logins(provider: Provider, rp: RelyingParty, cards: CardKeys[], osia: ServerProcess, { concurrency, duration }: OidcLoad): Promise<void> {
  const yardstick = await yardstickRate(duration, concurrency);
  const times: number[] = [];
  let errors = 0;
  let consents = 0;
  let next = 0;
  const seen = new Set<number>();
  let firsts = 0;
  const cpuBefore = osia.cpuMs();
  const began = performance.now();
  const end = began + duration * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const i = next++ % cards.length;
      const start = performance.now();
      try {
        if ((await logIn(provider, rp, cards[i] as CardKeys)).consented) consents++;
        times.push(performance.now() - start);
        if (!seen.has(i)) firsts++;
        seen.add(i);
      } catch (err) {
        if (errors++ < 3) console.error(`oidc: login failed: ${(err as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const seconds = (performance.now() - began) / 1000;
  times.sort((a, b) => a - b);
  const cpuUs = Math.round(((osia.cpuMs() - cpuBefore) * 1000) / Math.max(1, times.length));
  const rate = times.length / seconds;
  console.log(
    `oidc: logins with the ID card (PAR, login page, card TLS handshake, consent when asked, code, token, userinfo), ${concurrency} loops: ` +
      `${rate.toFixed(1)} logins/s, p50 ${percentile(times, 50).toFixed(0)} ms, p99 ${percentile(times, 99).toFixed(0)} ms, ` +
      `${errors} errors, consent asked in ${consents} of ${times.length} (${firsts} a person's first login); server CPU ${cpuUs} µs/login; ` +
      `bare Express ${yardstick} req/s (${concurrency} connections); ratio ${(rate / yardstick).toFixed(4)}`,
  );
}

/** `amount` Third Party verify calls, each for the person `pick()` names. */
async function verifications(osia: ServerProcess, headers: Record<string, string>, amount: number, pick: () => number) {
  return autocannon({
    url: osia.url,
    connections: 16,
    amount,
    headers,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const i = pick();
          const { firstName, lastName } = identityOf(i).biographicData;
          return { ...req, path: `/thirdparty/v1/verify/${personId(i)}?transactionId=bench`, body: JSON.stringify({ biographicData: { firstName, lastName } }) };
        },
      },
    ],
  });
}

/** Resolves once the server's audit indexer has filed every event (read from the shared store, as another process). */
async function filed(dataDir: string): Promise<number> {
  const storage = await createStorage({ dataDir });
  const began = performance.now();
  try {
    const { unindexed } = await openAuditTrail(new Store(storage));
    while ((await unindexed.count()) > 0) await setTimeout(200);
    return performance.now() - began;
  } finally {
    await storage.documents.close();
  }
}

/** The report of person 0 after `accesses` verifications of them and as many of the others. */
async function myData(
  provider: Provider,
  send: Fetch,
  osia: ServerProcess,
  dataDir: string,
  headers: Record<string, string>,
  cards: CardKeys[],
  load: OidcLoad,
  phase: PhaseTimer,
) {
  const began = performance.now();
  const [heavy, others] = await Promise.all([
    verifications(osia, headers, load.accesses, () => 0),
    verifications(osia, headers, load.accesses, () => 1 + Math.floor(Math.random() * (cards.length - 1))),
  ]);
  const made = heavy.requests.total + others.requests.total;
  const failed = heavy.errors + heavy.non2xx + others.errors + others.non2xx;
  console.log(`oidc: ${made} Third Party verify calls (${load.accesses} of person 0) in ${((performance.now() - began) / 1000).toFixed(1)} s, ${failed} errors`);
  console.log(`oidc: audit indexer done ${(await filed(dataDir)).toFixed(0)} ms after the last call; the report is read once filed`);
  const browser = new CardBrowser(provider, cards[0] as CardKeys);
  const page = await browser.signIn(`${osia.url}/me/`);
  if (page.status !== 200 || !page.url.endsWith('/me/')) throw new Error(`the /me login ended at ${page.url} (${page.status})`);
  const session = { cookie: browser.cookieHeader(), 'accept-language': 'en' };
  const { total } = (await expectOk(await send(`${osia.url}/me/v1/accesses?limit=1`, { headers: session }), '/me/v1/accesses')) as { total: number };
  console.log(`oidc: person 0's report holds ${total} accesses`);
  const pages = [
    ['GET /me/ (HTML, first page)', '/me/'],
    ['GET /me/v1/accesses (JSON, first page of 50)', '/me/v1/accesses'],
    ['GET /me/v1/accesses (JSON, last page of 50)', `/me/v1/accesses?offset=${Math.max(0, total - 50)}`],
  ] as const;
  for (const [name, path] of pages) {
    await phase(name, () => mePage(osia, session, name, path, load));
  }
  const exportBegan = performance.now();
  const csv = await send(`${osia.url}/me/v1/accesses?format=csv`, { headers: session });
  const text = await csv.text();
  if (!csv.ok) throw new Error(`CSV export: ${csv.status} ${text.slice(0, 300)}`);
  console.log(`oidc: CSV export of the whole report: ${text.split('\r\n').length - 2} lines, ${(text.length / 2 ** 20).toFixed(1)} MiB in ${(performance.now() - exportBegan).toFixed(0)} ms`);
}

/** One /me page measured with autocannon, right after the yardstick. */
async function mePage(osia: ServerProcess, session: Record<string, string>, name: string, target: string, load: OidcLoad): Promise<void> {
  const yardstick = await yardstickRate(load.duration, load.concurrency);
  const cpuBefore = osia.cpuMs();
  const result = await autocannon({ url: `${osia.url}${target}`, connections: load.concurrency, duration: load.duration, headers: session });
  const cpuUs = Math.round(((osia.cpuMs() - cpuBefore) * 1000) / Math.max(1, result.requests.total));
  const rate = Math.round(result.requests.average);
  console.log(
    `oidc: ${name}: ${rate} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.errors + result.non2xx} errors; server CPU ${cpuUs} µs/req; ` +
      `bare Express ${yardstick} req/s; ratio ${(rate / yardstick).toFixed(3)}`,
  );
}

export async function oidcBench(load: OidcLoad): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'osia-bench-oidc-'));
  const agent = new https.Agent({ keepAlive: true });
  let osia: ServerProcess | undefined;
  const phases: Phase[] = [];
  let spawned = 0;
  const phase: PhaseTimer = async (name, run) => {
    const from = Date.now() - spawned;
    await run();
    phases.push({ name, from, to: Date.now() - spawned });
  };
  try {
    const pki = await createTestPki(dir);
    const rp: RelyingParty = { clientId: 'bench-rp', secret: randomBytes(32).toString('base64url'), redirectUri: 'https://127.0.0.1:9/cb' };
    const clients = [
      {
        client_id: rp.clientId,
        client_secret: rp.secret,
        redirect_uris: [rp.redirectUri],
        scopes: ['profile'],
        claims: { required: ['given_name', 'family_name'] },
        sector: 'BENCH',
        organisation: 'Bench services',
        purpose: 'Measuring logins',
      },
    ];
    const clientsFile = path.join(dir, 'clients.yaml');
    await writeFile(clientsFile, stringify({ clients }));
    const [port, cardPort] = [await freePort(), await freePort()];
    const dataDir = path.join(dir, 'data');
    if (load.profileDir) await mkdir(load.profileDir, { recursive: true });
    spawned = Date.now();
    osia = await startProcess(
      [...(load.profileDir ? ['--cpu-prof', '--cpu-prof-dir', load.profileDir] : []), '--import', 'tsx', 'src/main.ts'],
      {
        OSIA_HOST: '127.0.0.1',
        OSIA_DATA_DIR: dataDir,
        OSIA_LOG_LEVEL: load.logLevel,
        NODE_ENV: 'production',
        OSIA_TLS_CERT: pki.files.serverCert,
        OSIA_TLS_KEY: pki.files.serverKey,
        OSIA_PUBLIC_URL: `https://127.0.0.1:${port}`,
        OSIA_OIDC_CARD_PORT: String(cardPort),
        OSIA_OIDC_CLIENTS: clientsFile,
      },
      { port, scheme: 'https' },
    );
    const send = fetchTrusting(pki.caCert, undefined, agent);
    const token = await mintDevToken({ dataDir, scope: SCOPES, subject: 'bench', client: 'bench', ttlSeconds: 3600 });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    await loadPopulation(osia.url, load.persons, headers, 8, send);
    const cards: CardKeys[] = [];
    for (let i = 0; i < load.persons; i++) cards.push(await issueCard(send, osia.url, headers, i));
    const discovery = (await expectOk(await send(`${osia.url}/oidc/.well-known/openid-configuration`), 'discovery')) as Provider['discovery'];
    const provider: Provider = { ca: pki.caCert, agent, cardOrigin: `https://127.0.0.1:${cardPort}`, discovery };
    console.log(`oidc: osia-server ${osia.url} (card listener ${provider.cardOrigin}), ${load.persons} persons with a NATIONAL_ID_CARD`);
    await phase('logins', () => logins(provider, rp, cards, osia as ServerProcess, load));
    await myData(provider, send, osia, dataDir, headers, cards, load, phase);
    console.log(`oidc: osia-server peak RSS ${osia.peakRssMiB()} MiB`);
  } finally {
    agent.destroy();
    await osia?.stop();
    await rm(dir, { recursive: true, force: true });
  }
  if (load.profileDir && osia) await summarisePhases(load.profileDir, osia, phases);
}

/** The top self-time functions of the server in each phase (the /me one includes its verify calls' load). */
async function summarisePhases(profileDir: string, osia: ServerProcess, phases: Phase[]): Promise<void> {
  const file = (await readdir(profileDir)).find((name) => name.includes(`.${osia.child.pid}.0.`) && name.endsWith('.cpuprofile'));
  if (!file) return console.log(`oidc: no CPU profile of process ${osia.child.pid} found in ${profileDir}`);
  for (const { name, from, to } of phases) {
    console.log(`oidc: CPU profile ${path.join(profileDir, file)}, ${name} (${from}–${to} ms after spawn):`);
    console.log(await summarise(path.join(profileDir, file), 30, from, to));
  }
}
