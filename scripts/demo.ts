/**
 * The README's two-minute walk-through of the citizen's side:
 *   npm run demo -- setup     writes .demo/: a localhost TLS pair, a clients file with one relying party, and the
 *                             environment to start the server with (TLS, the card listener, the clients file);
 *   npm run demo -- citizen   against that running server: a person in the registry with a reference identity and
 *                             a national ID card issued by the CMS for a key made here, written as .demo/card.p12
 *                             for the browser (password `demo`).
 * It goes through the server's own APIs with a development token, as any registry or card bureau would.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomInt } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mintDevToken } from '../src/cli/mint-token.js';
import { fetchTrusting } from '../test/support/https-fetch.js';

const DIR = path.resolve('.demo');
const DATA_DIR = path.join(DIR, 'data');
const PORT = 8080;
const CARD_PORT = 8443;
const BASE = `https://localhost:${PORT}`;
const P12_PASSWORD = 'demo';

const ENVIRONMENT = {
  OSIA_DATA_DIR: DATA_DIR,
  PORT: String(PORT),
  OSIA_PUBLIC_URL: BASE,
  OSIA_TLS_CERT: path.join(DIR, 'tls.pem'),
  OSIA_TLS_KEY: path.join(DIR, 'tls-key.pem'),
  OSIA_OIDC_CARD_PORT: String(CARD_PORT),
  OSIA_OIDC_CLIENTS: path.join(DIR, 'clients.yaml'),
};

const CLIENTS = `# The relying parties of the demo (format: config/oidc-clients.example.yaml).
clients:
  - client_id: demo-portal
    client_name: Demo public service
    client_secret: demo-secret-demo-secret-demo-secret-0001
    redirect_uris: [https://localhost:${PORT}/docs/]
    scopes: [profile, birth]
    claims:
      required: [given_name, family_name]
      optional: [birthdate, birthplace]
    acr: high
    sector: DEMO
    organisation: Demo ministry
    purpose: Showing the login of osia-server
`;

async function setup(): Promise<void> {
  await mkdir(DATA_DIR, { recursive: true });
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '30', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', ENVIRONMENT.OSIA_TLS_KEY, '-out', ENVIRONMENT.OSIA_TLS_CERT,
  ], { stdio: 'ignore' });
  await writeFile(ENVIRONMENT.OSIA_OIDC_CLIENTS, CLIENTS);
  const env = Object.entries(ENVIRONMENT).map(([name, value]) => `${name}=${value}`).join(' ');
  await writeFile(path.join(DIR, 'env'), `${Object.entries(ENVIRONMENT).map(([name, value]) => `export ${name}=${value}`).join('\n')}\n`);
  console.log(`Wrote ${DIR}: tls.pem (trust it, or accept the warning), clients.yaml, env.\nStart the server:\n  ${env} npm start`);
}

/** One call to the running server, trusting the demo's own certificate. */
async function call(token: string, method: string, url: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const send = fetchTrusting(await readFile(ENVIRONMENT.OSIA_TLS_CERT, 'utf8'));
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const res = await send(`${BASE}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function expect(what: string, answer: Promise<{ status: number; json: Record<string, unknown> }>): Promise<Record<string, unknown>> {
  const { status, json } = await answer;
  if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(json)}`);
  return json;
}

async function citizen(): Promise<void> {
  const scope = 'pr.person.write pr.identity.write pr.reference.write cms.request.write cms.request.read cms.credential.read';
  const token = await mintDevToken({ dataDir: DATA_DIR, scope, subject: 'demo', client: 'demo-registry', ttlSeconds: 600 });
  const uin = String(randomInt(1e9, 1e10));
  const tx = `?transactionId=demo-${uin}`;
  const identity = { identityType: 'CIVIL', status: 'CLAIMED', biographicData: { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10', gender: 'F', placeOfBirth: 'London' } };
  await expect('createPerson', call(token, 'POST', `/pr/v1/persons/${uin}${tx}`, { status: 'ACTIVE', physicalStatus: 'ALIVE' }));
  await expect('createIdentity', call(token, 'POST', `/pr/v1/persons/${uin}/identities/civil${tx}`, identity));
  await expect('updateIdentityStatus', call(token, 'PUT', `/pr/v1/persons/${uin}/identities/civil/status${tx}&status=VALID`));
  await expect('defineReference', call(token, 'PUT', `/pr/v1/persons/${uin}/identities/civil/reference${tx}`));
  const keys = { authentication: generateKeyPairSync('ec', { namedCurve: 'P-256' }), signature: generateKeyPairSync('ec', { namedCurve: 'P-256' }) };
  const publicKeys = { authentication: keys.authentication.publicKey.export({ type: 'spki', format: 'pem' }), signature: keys.signature.publicKey.export({ type: 'spki', format: 'pem' }) };
  const requestData = { priority: 5, credentialProfileId: 'NATIONAL_ID_CARD', requestType: 'FIRST_ISSUANCE', others: { publicKeys } };
  await expect('createCredentialRequest', call(token, 'POST', `/cms/v1/credentialRequests/card-${uin}${tx}`, { personId: uin, biographicData: identity.biographicData, requestData }));
  const requested = await expect('readCredentialRequest', call(token, 'GET', `/cms/v1/credentialRequests/card-${uin}${tx}`));
  const [credentialId] = requested.credentialIds as string[];
  const credential = await expect('readCredential', call(token, 'GET', `/cms/v1/credentials/${credentialId}${tx}`));
  const certificates = (credential.others as { certificates: { usage: string; certificate: string }[] }).certificates;
  const authentication = certificates.find(({ usage }) => usage === 'authentication')?.certificate;
  if (!authentication) throw new Error('the card has no authentication certificate');
  const [certFile, keyFile, p12] = ['card.pem', 'card-key.pem', 'card.p12'].map((name) => path.join(DIR, name)) as [string, string, string];
  await writeFile(certFile, authentication);
  await writeFile(keyFile, keys.authentication.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  execFileSync('openssl', ['pkcs12', '-export', '-in', certFile, '-inkey', keyFile, '-out', p12, '-passout', `pass:${P12_PASSWORD}`, '-name', 'Ada Lovelace (demo ID card)']);
  console.log(
    `Ada Lovelace, UIN ${uin}, holds the national ID card ${credentialId}.\n` +
      `Import ${p12} (password "${P12_PASSWORD}") into your browser's certificates, then open ${BASE}/me\n` +
      `and choose "ID card": the browser presents the card's certificate to https://localhost:${CARD_PORT}.`,
  );
}

const command = process.argv[2];
if (command === 'setup') await setup();
else if (command === 'citizen') await citizen();
else {
  console.error('usage: npm run demo -- setup | citizen');
  process.exitCode = 2;
}
