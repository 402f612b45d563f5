/** Sector tokens instead of UINs: per-client sectors, HMAC per sector, resolution only in the issuing sector. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { createTestApp, } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';
import { tokenFor } from '../support/tokens.js';
import { ADA, citizen, TX } from './thirdparty-fixtures.js';

async function file(content: string): Promise<string> {
  const name = path.join(await mkdtemp(path.join(os.tmpdir(), 'osia-3p-')), 'file');
  await writeFile(name, content);
  return name;
}

const SECTORS = 'clients:\n  bank-a: BANKING\n  bank-b: BANKING\n  telco: TELECOM\n';
const SCOPES = 'id.verify id.read id.identify id.DEFAULT_SET_EIDAS.read';

describe('Third Party sector tokens', () => {
  const bearer: Record<string, string> = {};
  const t = useTestApp(async () => ({ interfaces: ['pr', 'thirdparty', 'cms'], env: { OSIA_AUTH: 'on', OSIA_SECTORS: await file(SECTORS) } }));
  before(async () => {
    for (const client of ['bank-a', 'bank-b', 'telco', 'ministry']) bearer[client] = await tokenFor(t.dataDir, SCOPES, 'user', client);
    // Test data goes in through the PR API, which needs its own scopes.
    const admin = await tokenFor(t.dataDir, 'pr.person.write pr.identity.write pr.reference.write');
    for (const [method, url, body] of [
      ['post', '/pr/v1/persons/U-ADA', { status: 'ACTIVE', physicalStatus: 'ALIVE' }],
      ['post', '/pr/v1/persons/U-ADA/identities/REF', { identityType: 'CIVIL', status: 'VALID', biographicData: ADA }],
      ['put', '/pr/v1/persons/U-ADA/identities/REF/reference', undefined],
      ['post', '/pr/v1/persons/U-BOB', { status: 'ACTIVE', physicalStatus: 'ALIVE' }],
      ['post', '/pr/v1/persons/U-BOB/identities/REF', { identityType: 'CIVIL', status: 'VALID', biographicData: { firstName: 'Bob' } }],
      ['put', '/pr/v1/persons/U-BOB/identities/REF/reference', undefined],
    ] as const) {
      const call = request(t.app)[method](`${url}${TX}`).auth(admin, { type: 'bearer' });
      const res = body ? await call.send(body) : await call;
      assert.ok(res.status < 300, `${url}: ${res.status} ${res.text}`);
    }
  });

  const as = (client: string) => ({
    readSet: (identifier: string, query = '') =>
      request(t.app).get(`/thirdparty/v1/attributes/DEFAULT_SET_EIDAS/${identifier}${TX}${query}`).auth(bearer[client] as string, { type: 'bearer' }),
    verify: (identifier: string, query = '') =>
      request(t.app)
        .post(`/thirdparty/v1/verify/${identifier}${TX}${query}`)
        .auth(bearer[client] as string, { type: 'bearer' })
        .send({ biographicData: { lastName: 'Lovelace' } }),
  });
  const tokenOf = async (client: string, uin: string) => {
    const res = await as(client).readSet(uin);
    assert.equal(res.status, 200, res.text);
    return res.body.biographicData.identifier as string;
  };

  it('a client with a sector gets HMAC-SHA-256(secret, sector 0x00 UIN) instead of the UIN', async () => {
    const token = await tokenOf('bank-a', 'U-ADA');
    assert.notEqual(token, 'U-ADA');
    const secretFile = path.join(t.dataDir, 'thirdparty', 'token-secret');
    assert.equal((await stat(secretFile)).mode & 0o777, 0o600);
    const secret = (await readFile(secretFile, 'utf8')).trim();
    assert.equal(token, createHmac('sha256', secret).update('BANKING\u0000U-ADA').digest('base64url'));
    assert.equal(await tokenOf('bank-a', 'U-ADA'), token, 'stable');
    assert.equal(await tokenOf('bank-b', 'U-ADA'), token, 'one token per sector, not per client');
    assert.notEqual(await tokenOf('telco', 'U-ADA'), token, 'another sector, another token');
  });

  it('identifierType=token resolves in the issuing sector only', async () => {
    const bankToken = await tokenOf('bank-a', 'U-ADA');
    const verified = await as('bank-b').verify(bankToken, '&identifierType=token');
    assert.equal(verified.status, 200, verified.text);
    assert.equal(verified.body.verificationCode, 0);
    assert.equal((await as('bank-a').readSet(bankToken, '&identifierType=token')).body.biographicData.lastName, 'Lovelace');
    assert.equal((await as('telco').verify(bankToken, '&identifierType=token')).status, 404, 'a bank token means nothing to a telco');
    const telcoToken = await tokenOf('telco', 'U-ADA');
    assert.equal((await as('bank-a').readSet(telcoToken, '&identifierType=token')).status, 404);
  });

  it('a token the server never handed out does not resolve, even if computed right', async () => {
    const secret = (await readFile(path.join(t.dataDir, 'thirdparty', 'token-secret'), 'utf8')).trim();
    const computed = createHmac('sha256', secret).update('BANKING\u0000U-BOB').digest('base64url');
    assert.equal((await as('bank-a').verify(computed, '&identifierType=token')).status, 404);
    assert.equal(await tokenOf('bank-a', 'U-BOB'), computed);
    assert.equal((await as('bank-a').readSet(computed, '&identifierType=token')).status, 200, 'issued now');
  });

  it('a client without a sector sees UINs and cannot use tokens (400)', async () => {
    assert.equal(await tokenOf('ministry', 'U-ADA'), 'U-ADA');
    assert.equal((await as('ministry').verify(await tokenOf('bank-a', 'U-ADA'), '&identifierType=token')).status, 400);
  });
});

describe('Third Party sector configuration', () => {
  it('with OSIA_AUTH=off every call is in the default sector, when one is set', async () => {
    const t = await createTestApp({ interfaces: ['pr', 'thirdparty'], env: { OSIA_SECTORS: await file('default: PUBLIC\n') } });
    try {
      await citizen(t, 'U-ADA', ADA);
      const res = await request(t.app).get(`/thirdparty/v1/attributes/DEFAULT_SET_EIDAS/U-ADA${TX}`);
      const token = res.body.biographicData.identifier as string;
      assert.notEqual(token, 'U-ADA');
      const back = await request(t.app).get(`/thirdparty/v1/attributes/DEFAULT_SET_01/${token}${TX}&identifierType=token`);
      assert.deepEqual([back.status, back.body.biographicData?.firstName], [200, 'Ada']);
    } finally {
      await t.close();
    }
  });

  it('a bad sectors file or a short token secret stops start-up', async () => {
    await assert.rejects(
      createTestApp({ interfaces: ['thirdparty'], env: { OSIA_SECTORS: await file('clients:\n  bank: "has space"\n') } }),
      /OSIA_SECTORS .*clients\.bank/,
    );
    await assert.rejects(createTestApp({ interfaces: ['thirdparty'], env: { OSIA_TOKEN_SECRET: await file('short') } }), /OSIA_TOKEN_SECRET/);
  });
});
