/**
 * The provider's storage on our store: expiry on the injected clock (checked on read, swept by the job), consume,
 * revokeByGrantId, a person's artifacts ended at once; the keys every process shares; the clients file's start-up
 * errors.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { stringify } from 'yaml';
import { ConfigError } from '../../src/config/config-options.js';
import { OidcArtifacts } from '../../src/oidc/oidc-adapter.js';
import { loadClientEntries } from '../../src/oidc/oidc-clients.js';
import { loadOidcKeys } from '../../src/oidc/oidc-keys.js';
import { createStorage } from '../../src/storage/create-storage.js';
import type { Storage } from '../../src/storage/document-store.port.js';
import { Store } from '../../src/storage/store.js';
import { fakeClock } from '../support/fake-clock.js';

describe('OpenID provider storage', () => {
  let dir: string;
  let storage: Storage;
  let store: Store;
  const clock = fakeClock();
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'osia-oidc-store-'));
    storage = await createStorage({ dataDir: dir, mongodbUri: process.env.MONGODB_URI, mongodbDatabase: path.basename(dir), clock });
    store = new Store(storage);
  });
  after(async () => {
    await storage.documents.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('forgets an artifact once expired on the injected clock, and the sweep deletes it', async () => {
    const artifacts = await OidcArtifacts.open(store, clock);
    const codes = artifacts.adapterFor('AuthorizationCode');
    await codes.upsert('c1', { grantId: 'g1', accountId: 'p1' }, 60);
    assert.equal((await codes.find('c1'))?.grantId, 'g1');
    clock.advance(61);
    assert.equal(await codes.find('c1'), undefined, 'expired: not found');
    assert.equal(await artifacts.sweep(), 1);
    assert.equal(await artifacts.records.count({ model: 'AuthorizationCode' }), 0);
  });

  it('marks a consumed code, revokes by grant, finds sessions by uid and ends a person\'s artifacts', async () => {
    const artifacts = await OidcArtifacts.open(store, clock);
    const codes = artifacts.adapterFor('AuthorizationCode');
    const tokens = artifacts.adapterFor('AccessToken');
    const sessions = artifacts.adapterFor('Session');
    await codes.upsert('c2', { grantId: 'g2', accountId: 'p2' }, 60);
    await codes.consume('c2');
    assert.equal(typeof (await codes.find('c2'))?.consumed, 'number');
    await tokens.upsert('c2', { grantId: 'g9', accountId: 'p2' }, 600);
    await codes.destroy('c2');
    assert.equal(await codes.find('c2'), undefined, 'destroyed');
    assert.equal((await tokens.find('c2'))?.grantId, 'g9', 'the same id of another model is left');
    await codes.destroy('never-stored');
    await tokens.destroy('c2');
    await tokens.upsert('t2', { grantId: 'g2', accountId: 'p2' }, 600);
    await tokens.revokeByGrantId('g2');
    assert.equal(await tokens.find('t2'), undefined);
    await sessions.upsert('s3', { uid: 'u3', accountId: 'p3', authorizations: {} }, 3600);
    await tokens.upsert('t3', { grantId: 'g3', accountId: 'p3' }, 600);
    assert.equal((await sessions.findByUid('u3'))?.accountId, 'p3');
    assert.equal((await artifacts.endAccount('p3')).length, 1, 'one session ended');
    assert.equal(await tokens.find('t3'), undefined, 'and its tokens');
  });

  it('generates the keys once: a second process reads the same ones', async () => {
    const first = await loadOidcKeys(store, undefined);
    const second = await loadOidcKeys(store, undefined);
    assert.deepEqual(second, first);
    assert.deepEqual(first.jwks.keys.map((key) => key.alg).sort(), ['ES256', 'RS256']);
  });

  it('signs with the keys of OSIA_OIDC_KEYS when given, and refuses a public key there', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const file = path.join(dir, 'oidc-keys.json');
    await writeFile(file, JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: 'operator', alg: 'ES256' }] }));
    const keys = await loadOidcKeys(store, file);
    assert.deepEqual(keys.jwks.keys.map((key) => key.kid), ['operator']);
    assert.ok(keys.cookieKeys.length > 0, 'cookie keys from the store when the file gives none');
    await writeFile(file, JSON.stringify({ keys: [await exportJWK(publicKey)] }));
    await assert.rejects(loadOidcKeys(store, file), (err: Error) => err instanceof ConfigError && err.message === `OSIA_OIDC_KEYS ${file}: every key must be private (with "d")`);
  });

  it('stops start-up with one line naming the clients file and the place', async () => {
    const file = path.join(dir, 'clients.yaml');
    await writeFile(file, stringify({ clients: [{ client_id: 'x', redirect_uris: ['https://x.example/cb'], sector: 's', organisation: 'o', purpose: 'p' }] }));
    await assert.rejects(loadClientEntries(file), (err: Error) => err instanceof ConfigError && err.message.startsWith(`OSIA_OIDC_CLIENTS ${file}: clients.0 must have required property 'client_secret'`) && !err.message.includes('\n'));
    const twice = { client_id: 'x', client_secret: 'x'.repeat(32), redirect_uris: ['https://x.example/cb'], sector: 's', organisation: 'o', purpose: 'p' };
    await writeFile(file, stringify({ clients: [twice, twice] }));
    await assert.rejects(loadClientEntries(file), /client_id x is given twice or reserved/);
  });
});
