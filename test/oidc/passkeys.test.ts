/**
 * The passkey domain on a real store, with a software authenticator: registration then login gives the person at
 * `substantial`, and every way an answer can be wrong is refused (replayed or expired challenge, wrong origin or rp
 * id, unknown credential, a person who may no longer sign in, a counter that went back). Two services on one store
 * stand for two processes.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LoginRefused } from '../../src/oidc/login-methods.js';
import { CEREMONY_TIMEOUT_MS, Passkeys } from '../../src/oidc/passkeys.js';
import { ConflictError, InvalidError, NotFoundError } from '../../src/shared/domain-errors.js';
import { createStorage } from '../../src/storage/create-storage.js';
import type { Storage } from '../../src/storage/document-store.port.js';
import { Store } from '../../src/storage/store.js';
import { fakeClock } from '../support/fake-clock.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';

const PUBLIC_URL = 'https://id.example.test:8443';
const ORIGIN = 'https://id.example.test:8443';

describe('passkeys (domain)', () => {
  const clock = fakeClock();
  /** Persons who may no longer sign in (dead, or no longer ACTIVE). */
  const barred = new Set<string>();
  let dataDir: string;
  let storage: Storage;
  let passkeys: Passkeys;
  /** A second service on the same store: another server process. */
  let other: Passkeys;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-passkeys-'));
    storage = await createStorage({ dataDir, mongodbUri: process.env.MONGODB_URI, mongodbDatabase: path.basename(dataDir) });
    const options = { publicUrl: PUBLIC_URL, clock, standing: async (personId: string) => !barred.has(personId), accountName: async (personId: string) => `Person ${personId}` };
    passkeys = await Passkeys.open(new Store(storage), options);
    other = await Passkeys.open(new Store(storage), options);
  });
  after(async () => {
    await storage.documents.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Registers a passkey of `personId` on `authenticator`, through the other process for the answer. */
  async function register(personId: string, authenticator = new SoftAuthenticator()) {
    const options = await passkeys.registrationOptions(personId);
    const summary = await other.register(personId, authenticator.create(options, { origin: ORIGIN }));
    return { authenticator, summary, options };
  }

  it('registers a passkey with options that name a random user handle, the host as rp id, and user verification', async () => {
    const { options, summary } = await register('P-1');
    assert.deepEqual(options.rp, { id: 'id.example.test', name: 'id.example.test:8443' });
    assert.equal(options.user.name, 'Person P-1');
    assert.notEqual(Buffer.from(options.user.id, 'base64url').toString('utf8'), 'P-1');
    assert.equal(Buffer.from(options.user.id, 'base64url').length, 32);
    assert.deepEqual(options.authenticatorSelection, { residentKey: 'preferred', userVerification: 'required', requireResidentKey: false });
    assert.equal(options.timeout, CEREMONY_TIMEOUT_MS);
    assert.deepEqual((await passkeys.list('P-1')).map(({ id }) => id), [summary.id]);
    // The same handle next time, and the passkey just made is excluded.
    const again = await passkeys.registrationOptions('P-1');
    assert.equal(again.user.id, options.user.id);
    assert.deepEqual(again.excludeCredentials?.map(({ id }) => id), [summary.id]);
  });

  it('logs the person in at substantial, on another process than the one that gave the options', async () => {
    const { authenticator } = await register('P-2');
    const options = await passkeys.authenticationOptions('uid-2');
    assert.equal(options.rpId, 'id.example.test');
    assert.equal(options.userVerification, 'required');
    assert.equal('allowCredentials' in options, false);
    const result = await other.authenticate('uid-2', authenticator.get(options, { origin: ORIGIN }));
    assert.deepEqual(result, { personId: 'P-2', acr: 'substantial', amr: ['hwk', 'user'] });
    const [listed] = await passkeys.list('P-2');
    assert.equal(listed?.lastUsedAt, clock().toISOString());
  });

  it('says swk for a synced passkey', async () => {
    const { authenticator, summary } = await register('P-3', new SoftAuthenticator({ synced: true }));
    assert.equal(summary.synced, true);
    const options = await passkeys.authenticationOptions('uid-3');
    assert.deepEqual((await passkeys.authenticate('uid-3', authenticator.get(options, { origin: ORIGIN }))).amr, ['swk', 'user']);
  });

  it('refuses a replayed answer, and an answer to the options of another interaction', async () => {
    const { authenticator } = await register('P-4');
    const options = await passkeys.authenticationOptions('uid-4');
    const answer = authenticator.get(options, { origin: ORIGIN });
    await passkeys.authenticate('uid-4', answer);
    await assert.rejects(other.authenticate('uid-4', answer), (err) => err instanceof LoginRefused && /expired or was used/.test(err.message));
    const elsewhere = await passkeys.authenticationOptions('uid-4a');
    await assert.rejects(passkeys.authenticate('uid-4b', authenticator.get(elsewhere, { origin: ORIGIN })), LoginRefused);
    // Refused once, the challenge is gone even for its own interaction.
    await assert.rejects(passkeys.authenticate('uid-4a', authenticator.get(elsewhere, { origin: ORIGIN })), LoginRefused);
  });

  it('refuses an answer past the challenge lifetime on the injected clock', async () => {
    const { authenticator } = await register('P-5');
    const options = await passkeys.authenticationOptions('uid-5');
    clock.advance(CEREMONY_TIMEOUT_MS / 1000 + 1);
    await assert.rejects(passkeys.authenticate('uid-5', authenticator.get(options, { origin: ORIGIN })), /expired or was used/);
  });

  it('refuses an answer made for another origin or another rp id', async () => {
    const { authenticator } = await register('P-6');
    const options = await passkeys.authenticationOptions('uid-6');
    await assert.rejects(passkeys.authenticate('uid-6', authenticator.get(options, { origin: 'https://evil.example.test:8443' })), /could not be verified/);
    const again = await passkeys.authenticationOptions('uid-6');
    await assert.rejects(passkeys.authenticate('uid-6', authenticator.get(again, { origin: ORIGIN, rpId: 'evil.example.test' })), /could not be verified/);
    const registration = await passkeys.registrationOptions('P-6');
    await assert.rejects(passkeys.register('P-6', new SoftAuthenticator().create(registration, { origin: 'https://evil.example.test' })), InvalidError);
    assert.equal((await passkeys.list('P-6')).length, 1);
  });

  it('refuses an unknown credential', async () => {
    const authenticator = new SoftAuthenticator();
    const options = await passkeys.authenticationOptions('uid-7');
    await assert.rejects(passkeys.authenticate('uid-7', authenticator.get(options, { origin: ORIGIN }, authenticator.stranger())), /not registered here/);
  });

  it('refuses the passkey of a person who may no longer sign in (dead, or no longer active)', async () => {
    const { authenticator } = await register('P-8');
    barred.add('P-8');
    const options = await passkeys.authenticationOptions('uid-8');
    await assert.rejects(passkeys.authenticate('uid-8', authenticator.get(options, { origin: ORIGIN })), /can no longer sign in/);
  });

  it('keeps the counter: an answer whose counter did not move on (a cloned authenticator) is refused', async () => {
    const { authenticator } = await register('P-9', new SoftAuthenticator({ startCounter: 10 }));
    const [credential] = authenticator.credentials;
    assert.ok(credential);
    const first = await passkeys.authenticationOptions('uid-9');
    await passkeys.authenticate('uid-9', authenticator.get(first, { origin: ORIGIN }));
    credential.counter -= 1; // the clone answers with the counter the original used already
    const second = await passkeys.authenticationOptions('uid-9');
    await assert.rejects(passkeys.authenticate('uid-9', authenticator.get(second, { origin: ORIGIN })), /could not be verified/);
    const third = await passkeys.authenticationOptions('uid-9');
    credential.counter += 5;
    assert.equal((await passkeys.authenticate('uid-9', authenticator.get(third, { origin: ORIGIN }))).personId, 'P-9');
  });

  it('refuses a registration answered for another person, and the same passkey twice', async () => {
    const authenticator = new SoftAuthenticator();
    const options = await passkeys.registrationOptions('P-10');
    await assert.rejects(passkeys.register('P-11', authenticator.create(options, { origin: ORIGIN })), InvalidError);
    const mine = await passkeys.registrationOptions('P-10');
    const answer = authenticator.create(mine, { origin: ORIGIN });
    await passkeys.register('P-10', answer);
    const again = await passkeys.registrationOptions('P-10');
    const replayed = { ...answer, response: { ...answer.response, clientDataJSON: authenticator.create(again, { origin: ORIGIN }).response.clientDataJSON } };
    // Attestation "none" signs nothing: the old attestation under a fresh challenge verifies, and its id is taken.
    await assert.rejects(passkeys.register('P-10', replayed), ConflictError);
    assert.equal((await passkeys.list('P-10')).length, 1);
  });

  it('deletes a passkey for its owner only; a deleted passkey no longer logs in', async () => {
    const { authenticator, summary } = await register('P-12');
    await assert.rejects(passkeys.remove('P-13', summary.id), NotFoundError);
    await passkeys.remove('P-12', summary.id);
    assert.deepEqual(await passkeys.list('P-12'), []);
    const options = await passkeys.authenticationOptions('uid-12');
    await assert.rejects(passkeys.authenticate('uid-12', authenticator.get(options, { origin: ORIGIN })), /not registered here/);
  });
});
