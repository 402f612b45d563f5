/** Third Party verify: the code table, identifier types, proofs checked against the published JWKS. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { jwksInterface } from '../../src/thirdparty/jwks.routes.js';
import { openProofSigner } from '../../src/thirdparty/proof-signer.js';
import { fakeClock } from '../support/fake-clock.js';
import { servedAlone } from '../support/served-alone.js';
import { useTestApp } from '../support/use-test-app.js';
import { ADA, changeCredential, citizen, issueCredential, portrait, TX } from './thirdparty-fixtures.js';

describe('Third Party verify', () => {
  let card: { credentialId: string; credentialNumber: string };
  const started = Date.now();
  const clock = fakeClock(started);
  const t = useTestApp({ interfaces: ['pr', 'thirdparty', 'cms'], clock });
  before(async () => {
    await citizen(t, 'U-ADA', { ...ADA, address: { city: 'London', street: 'St James Square' } }, {
      contextualData: { contactData: { email: 'ada@example.org', phone1: '+44 20 0000' } },
    });
    await citizen(t, 'U-CLAIMED', ADA, { status: 'CLAIMED' });
    await citizen(t, 'U-DEAD', ADA, {}, { status: 'ACTIVE', physicalStatus: 'DEAD' });
    card = await issueCredential(t, 'REQ-ADA', 'U-ADA');
  });

  const verify = (identifier: string, body: object, query = '') => request(t.app).post(`/thirdparty/v1/verify/${identifier}${TX}${query}`).send(body);
  const outcome = async (identifier: string, body: object, query = '') => {
    const res = await verify(identifier, body, query);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { verificationCode: number; verificationMessage: string; verificationProof?: string };
  };

  it('0 when every supplied attribute matches, ignoring case, accents and spaces in text', async () => {
    const result = await outcome('U-ADA', { biographicData: { firstName: ' ÁDA ', lastName: 'lovelace', dateOfBirth: '1815-12-10' } });
    assert.equal(result.verificationCode, 0);
    assert.equal(result.verificationMessage, 'All supplied attributes match');
    assert.ok(result.verificationProof, 'a proof by default');
  });

  it('1 when one attribute differs, is not recorded, or a date is not exactly the same', async () => {
    for (const biographicData of [
      { firstName: 'Ada', lastName: 'Byron' },
      { firstName: 'Ada', nickname: 'Enchantress' },
      { dateOfBirth: '1815-12-1' },
      { address: { city: 'Paris' } },
    ]) {
      const result = await outcome('U-ADA', { biographicData });
      assert.equal(result.verificationCode, 1, JSON.stringify(biographicData));
      assert.equal(result.verificationProof, undefined, 'no proof for a negative result');
    }
    assert.equal((await outcome('U-ADA', { biographicData: { address: { city: 'london' } } })).verificationCode, 0, 'nested members');
  });

  it('checks contact data (contextualData.contactData of the reference identity)', async () => {
    assert.equal((await outcome('U-ADA', { contactData: { email: 'ADA@example.org' } })).verificationCode, 0);
    assert.equal((await outcome('U-ADA', { contactData: { email: 'eve@example.org' } })).verificationCode, 1);
  });

  it('checks credential data against the CMS records', async () => {
    const ok = await outcome('U-ADA', { credentialData: [{ credentialNumber: card.credentialNumber, credentialType: 'ID_CARD' }] });
    assert.equal(ok.verificationCode, 0);
    assert.equal((await outcome('U-ADA', { credentialData: [{ credentialNumber: 'NOPE00000' }] })).verificationCode, 1);
    assert.equal((await outcome('U-ADA', { credentialData: [{ credentialNumber: card.credentialNumber, credentialType: 'PASSPORT' }] })).verificationCode, 1);
  });

  it('4 for biometrics (no ABIS), never a positive; a biographic mismatch still says 1', async () => {
    const result = await outcome('U-ADA', { biographicData: { firstName: 'Ada' }, biometricData: [portrait] });
    assert.deepEqual([result.verificationCode, result.verificationProof], [4, undefined]);
    assert.match(result.verificationMessage, /ABIS/);
    assert.equal((await outcome('U-ADA', { biographicData: { firstName: 'Eve' }, biometricData: [portrait] })).verificationCode, 1);
  });

  it('2 for a reference identity that is not VALID or a person who is not ACTIVE and ALIVE', async () => {
    assert.equal((await outcome('U-CLAIMED', { biographicData: { firstName: 'Ada' } })).verificationCode, 2);
    assert.equal((await outcome('U-DEAD', { biographicData: { firstName: 'Ada' } })).verificationCode, 2);
  });

  it('identifierType=credentialNumber: verifies while ACTIVE, 3 once suspended or revoked', async () => {
    const other = await issueCredential(t, 'REQ-ADA-2', 'U-ADA', 'MOBILE_ID');
    const query = '&identifierType=credentialNumber';
    assert.equal((await outcome(other.credentialNumber, { biographicData: { lastName: 'Lovelace' } }, query)).verificationCode, 0);
    await changeCredential(t, other.credentialId, 'suspend');
    const suspended = await outcome(other.credentialNumber, { biographicData: { lastName: 'Lovelace' } }, query);
    assert.deepEqual([suspended.verificationCode, suspended.verificationProof], [3, undefined]);
    assert.equal(
      (await outcome('U-ADA', { credentialData: [{ credentialNumber: other.credentialNumber }] })).verificationCode,
      3,
      'a suspended credential in the body does not verify either',
    );
    await changeCredential(t, other.credentialId, 'revoke');
    assert.equal((await outcome(other.credentialNumber, { biographicData: { lastName: 'Lovelace' } }, query)).verificationCode, 3);
  });

  it('5 for an ACTIVE credential outside its validity period: not yet valid, or expired (the CMS keeps it ACTIVE)', async () => {
    const query = '&identifierType=credentialNumber';
    const claim = { biographicData: { lastName: 'Lovelace' } };
    const validFromDate = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const future = await issueCredential(t, 'REQ-ADA-FUTURE', 'U-ADA', 'RESIDENCE_PERMIT', { validFromDate });
    const notYet = await outcome(future.credentialNumber, claim, query);
    assert.deepEqual([notYet.verificationCode, notYet.verificationProof], [5, undefined]);
    assert.match(notYet.verificationMessage, /expired or not yet valid/);
    assert.equal((await outcome('U-ADA', { credentialData: [{ credentialNumber: future.credentialNumber }] })).verificationCode, 5);
    assert.equal(
      (await request(t.app).get(`/thirdparty/v1/attributes/DEFAULT_SET_01/${future.credentialNumber}${TX}${query}`)).status,
      404,
      'a card not yet valid opens no reads',
    );

    const expiryDate = (await request(t.app).get(`/cms/v1/credentials/${card.credentialId}${TX}`)).body.expiryDate as string;
    try {
      clock.set(new Date(Date.parse(expiryDate) - 1000));
      assert.equal((await outcome(card.credentialNumber, claim, query)).verificationCode, 0, 'the last second of validity');
      clock.set(expiryDate);
      const expired = await outcome(card.credentialNumber, claim, query);
      assert.deepEqual([expired.verificationCode, expired.verificationProof], [5, undefined]);
      assert.equal((await outcome('U-ADA', { credentialData: [{ credentialNumber: card.credentialNumber }] })).verificationCode, 5);
    } finally {
      clock.set(new Date(started));
    }
    assert.equal((await outcome(card.credentialNumber, claim, query)).verificationCode, 0);
  });

  it('verificationProofRequired=false: no proof', async () => {
    const result = await outcome('U-ADA', { biographicData: { firstName: 'Ada' } }, '&verificationProofRequired=false');
    assert.deepEqual([result.verificationCode, result.verificationProof], [0, undefined]);
  });

  it('404 for an unknown UIN, credential number or token; 400 for bad requests', async () => {
    const body = { biographicData: { firstName: 'Ada' } };
    assert.equal((await verify('U-NOBODY', body)).status, 404);
    assert.equal((await verify('NOPE00000', body, '&identifierType=credentialNumber')).status, 404);
    const noSector = await verify('some-token', body, '&identifierType=token');
    assert.equal(noSector.status, 400, 'without a sector, tokens mean nothing');
    assert.equal((await verify('U-ADA', body, '&identifierType=passport')).status, 400);
    assert.equal((await verify('U-ADA', {})).status, 400, 'nothing to verify');
    assert.equal((await verify('U-ADA', { biographicData: {}, credentialData: [{}] })).status, 400);
    assert.equal((await verify('U-ADA', { unknown: 1 })).status, 400);
    assert.equal((await request(t.app).post('/thirdparty/v1/verify/U-ADA').send(body)).status, 400, 'transactionId is required');
  });

  describe('proofs', () => {
    /** Another app on the same data directory publishes the same key (it is kept, not regenerated). */
    const restartedApp = async () =>
      servedAlone(jwksInterface, await openProofSigner({ dataDir: t.dataDir, proofKey: undefined, issuer: 'test' }), '/thirdparty');

    it('are compact JWS signed by the key of /thirdparty/jwks.json; a changed payload fails', async () => {
      const proof = (await outcome('U-ADA', { biographicData: { firstName: 'Ada', lastName: 'Lovelace' } })).verificationProof;
      assert.ok(proof);
      const jwks = await request(t.app).get('/thirdparty/jwks.json');
      assert.equal(jwks.status, 200);
      assert.match(jwks.headers['content-type'] ?? '', /application\/jwk-set\+json/);
      const keys = JSON.parse(jwks.text) as { keys: Record<string, unknown>[] };
      assert.equal(keys.keys.length, 1);
      assert.equal(keys.keys[0]?.d, undefined, 'no private part');
      const header = decodeProtectedHeader(proof);
      assert.deepEqual([header.alg, header.typ, header.kid], ['ES256', 'osia-verification+jwt', keys.keys[0]?.kid]);

      const { payload } = await jwtVerify(proof, createLocalJWKSet(keys as never), { typ: 'osia-verification+jwt' });
      assert.equal(payload.transactionId, 'tx-3p');
      assert.equal(payload.identifierType, 'uin');
      assert.equal(payload.identifierHash, createHash('sha256').update('uin:U-ADA').digest('base64url'));
      assert.equal(payload.result, 0);
      assert.deepEqual(payload.attributes, ['biographicData.firstName', 'biographicData.lastName']);
      assert.equal(typeof payload.iat, 'number');
      assert.ok(payload.jti);
      assert.ok(!proof.includes('U-ADA') && !JSON.stringify(payload).includes('U-ADA'), 'the UIN never appears, only its hash');

      const [head, body, signature] = proof.split('.');
      const forged = Buffer.from(JSON.stringify({ ...payload, result: 0, identifierHash: 'someone-else' })).toString('base64url');
      await assert.rejects(compactVerify(`${head}.${forged}.${signature}`, createLocalJWKSet(keys as never)));
      assert.ok(body);
    });

    it('the generated key is kept under the data directory with mode 0600 and reused', async () => {
      const file = path.join(t.dataDir, 'thirdparty', 'proof-key.pem');
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const first = (await request(t.app).get('/thirdparty/jwks.json')).text;
      assert.equal((await request(await restartedApp()).get('/thirdparty/jwks.json')).text, first);
    });
  });
});
