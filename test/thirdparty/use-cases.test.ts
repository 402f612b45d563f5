/**
 * OSIA use cases of relying parties (inventory §12 items 7–10), end to end with authentication on: the registry and
 * the credentials are created through the PR and CMS interfaces, then a bank, a police officer and a telco use
 * Third Party Services with their own tokens, scopes and sectors.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { openProofSigner } from '../../src/thirdparty/proof-signer.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { tokenFor } from '../support/tokens.js';
import { ADA, PORTRAIT, portrait, TX } from './thirdparty-fixtures.js';

const SECTORS = 'clients:\n  acme-bank: BANKING\n  telco-kyc: TELECOM\n';
const fingerprint = { biometricType: 'FINGER', biometricSubType: 'RIGHT_INDEX', image: 'AAAA' };

describe('Third Party use cases', () => {
  let t: TestApp;
  let cardNumber: string;
  const bearer: Record<string, string> = {};
  type Call = ReturnType<typeof request>;
  const as = (who: string) => ({
    get: (url: string) => request(t.app).get(`${url}${url.includes('?') ? '&' : '?'}transactionId=tx-uc`).auth(bearer[who] as string, { type: 'bearer' }),
    post: (url: string, body?: object) => {
      const call = request(t.app).post(`${url}${url.includes('?') ? '&' : '?'}transactionId=tx-uc`).auth(bearer[who] as string, { type: 'bearer' });
      return body ? call.send(body) : call;
    },
    put: (url: string) => request(t.app).put(`${url}${TX}`).auth(bearer[who] as string, { type: 'bearer' }),
  });
  const ok = async (call: ReturnType<Call['get']>, status = 200) => {
    const res = await call;
    assert.equal(res.status, status, res.text);
    return res.body;
  };
  /** Checks a kept proof against the published key, as an auditor would. */
  const checkProof = async (proof: string) => {
    const signer = await openProofSigner({ dataDir: t.dataDir, proofKey: undefined, issuer: 'unused' });
    return (await jwtVerify(proof, createLocalJWKSet(signer.jwks()))).payload;
  };

  before(async () => {
    const sectors = path.join(await mkdtemp(path.join(os.tmpdir(), 'osia-3p-')), 'sectors.yaml');
    await writeFile(sectors, SECTORS);
    t = await createTestApp({ interfaces: ['pr', 'thirdparty', 'cms'], env: { OSIA_AUTH: 'on', OSIA_SECTORS: sectors } });
    bearer.registry = await tokenFor(t.dataDir, 'pr.person.write pr.identity.write pr.reference.write cms.request.write cms.request.read cms.credential.read', 'clerk', 'registry-office');
    bearer.bank = await tokenFor(t.dataDir, 'id.verify id.DEFAULT_SET_EIDAS.read', 'teller', 'acme-bank');
    bearer.police = await tokenFor(t.dataDir, 'id.verify id.identify id.DEFAULT_SET_02.read', 'officer', 'police-mobile');
    bearer.telco = await tokenFor(t.dataDir, 'id.verify id.read', 'shop', 'telco-kyc');

    // The registry office records Ada (with portrait and fingerprint) and issues her residence permit.
    const registry = as('registry');
    await ok(registry.post('/pr/v1/persons/U-ADA', { status: 'ACTIVE', physicalStatus: 'ALIVE' }), 201);
    await ok(
      registry.post('/pr/v1/persons/U-ADA/identities/REF', {
        identityType: 'CIVIL',
        status: 'VALID',
        biographicData: { ...ADA, address: { city: 'London' } },
        biometricData: [portrait, fingerprint],
        contextualData: { contactData: { email: 'ada@example.org', phone1: '+44 20 0000' } },
      }),
      201,
    );
    await ok(registry.put('/pr/v1/persons/U-ADA/identities/REF/reference'), 204);
    await ok(
      registry.post('/cms/v1/credentialRequests/REQ-ADA', {
        personId: 'U-ADA',
        biographicData: {},
        requestData: { priority: 1, credentialProfileId: 'RESIDENCE_PERMIT', requestType: 'FIRST_ISSUANCE' },
      }),
      201,
    );
    const [credentialId] = (await ok(registry.get('/cms/v1/credentialRequests/REQ-ADA'))).credentialIds;
    cardNumber = (await ok(registry.get(`/cms/v1/credentials/${credentialId}`))).credentialNumber;
    // A namesake, for the police search.
    await ok(registry.post('/pr/v1/persons/U-ADA2', { status: 'ACTIVE', physicalStatus: 'ALIVE' }), 201);
    await ok(
      registry.post('/pr/v1/persons/U-ADA2/identities/REF', { identityType: 'CIVIL', status: 'VALID', biographicData: { ...ADA, dateOfBirth: '1990-01-01' } }),
      201,
    );
    await ok(registry.put('/pr/v1/persons/U-ADA2/identities/REF/reference'), 204);
  });
  after(() => t.close());

  it('7. bank account opening: verify biographics and the ID card (with proof), then read the eIDAS set', async () => {
    const bank = as('bank');
    const verified = await ok(
      bank.post('/thirdparty/v1/verify/U-ADA', {
        biographicData: { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10' },
        credentialData: [{ credentialNumber: cardNumber, credentialType: 'ID_CARD' }],
      }),
    );
    assert.equal(verified.verificationCode, 0);
    const evidence = await checkProof(verified.verificationProof);
    assert.deepEqual(evidence.attributes, [
      'biographicData.firstName',
      'biographicData.lastName',
      'biographicData.dateOfBirth',
      'credentialData.credentialNumber',
      'credentialData.credentialType',
    ]);
    const customer = await ok(bank.get('/thirdparty/v1/attributes/DEFAULT_SET_EIDAS/U-ADA'));
    assert.equal(customer.biographicData.lastName, 'Lovelace');
    const token = customer.biographicData.identifier as string;
    assert.notEqual(token, 'U-ADA', 'the bank keeps a banking-sector token, not the UIN');
    // Later checks use the token only.
    const again = await ok(bank.post(`/thirdparty/v1/verify/${token}?identifierType=token`, { biographicData: { lastName: 'LOVELACE' } }));
    assert.equal(again.verificationCode, 0);
    // The bank may not read other sets.
    assert.equal((await bank.get('/thirdparty/v1/attributes/DEFAULT_SET_02/U-ADA')).status, 403);
  });

  it('8. police identity control: a fingerprint cannot be checked without ABIS; search by name, then read each candidate', async () => {
    const police = as('police');
    const byFinger = await ok(police.post('/thirdparty/v1/verify/U-ADA', { biometricData: [fingerprint] }));
    assert.deepEqual([byFinger.verificationCode, byFinger.verificationProof], [4, undefined]);
    const candidates = await ok(
      police.post('/thirdparty/v1/identify', { attributeSet: { biographicData: { firstName: 'Ada', lastName: 'Lovelace' } }, outputAttributeSetName: 'DEFAULT_SET_02' }),
    );
    assert.equal(candidates.length, 2);
    assert.deepEqual(
      candidates.map((c: { biographicData: { dateOfBirth: string } }) => c.biographicData.dateOfBirth),
      ['1815-12-10', '1990-01-01'],
    );
    assert.equal(candidates[0].biometricData[0].image, PORTRAIT, 'the portrait lets the officer compare faces');
    assert.equal(candidates[1].biometricData, undefined);
    const card = await ok(police.get(`/thirdparty/v1/attributes/DEFAULT_SET_02/${cardNumber}?identifierType=credentialNumber`));
    assert.equal(card.biographicData.dateOfBirth, '1815-12-10');
  });

  it('9. telco SIM with an ID document: check the document, read its metadata, portrait check, pre-fill', async () => {
    const telco = as('telco');
    const document = await ok(
      telco.post(`/thirdparty/v1/verify/${cardNumber}?identifierType=credentialNumber`, { biographicData: { firstName: 'Ada', lastName: 'Lovelace' } }),
    );
    assert.equal(document.verificationCode, 0);
    const evidence = await checkProof(document.verificationProof);
    assert.equal(evidence.identifierType, 'credentialNumber');
    assert.equal(evidence.transactionId, 'tx-uc');
    const metadata = await ok(
      telco.post(`/thirdparty/v1/attributes/${cardNumber}?identifierType=credentialNumber`, {
        outputCredentialData: [{ credentialType: 'ID_CARD', credentialDataFields: ['status', 'expiryDate'] }],
      }),
    );
    assert.equal(metadata.credentialData[0].status, 'ACTIVE');
    const face = await ok(telco.post(`/thirdparty/v1/verify/${cardNumber}?identifierType=credentialNumber`, { biometricData: [portrait] }));
    assert.equal(face.verificationCode, 4, 'portrait matching needs an ABIS: never a false positive');
    const prefill = await ok(
      telco.post(`/thirdparty/v1/attributes/${cardNumber}?identifierType=credentialNumber`, {
        outputBiographicData: ['firstName', 'lastName', 'dateOfBirth'],
        outputContactData: ['email'],
      }),
    );
    assert.deepEqual(prefill, { biographicData: { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10' }, contactData: { email: 'ada@example.org' } });
  });

  it('10. telco SIM without document: names and date of birth verified with proof (the portrait would say 4), then pre-fill', async () => {
    const telco = as('telco');
    const claimed = { biographicData: { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10' } };
    assert.equal((await ok(telco.post('/thirdparty/v1/verify/U-ADA', { ...claimed, biometricData: [portrait] }))).verificationCode, 4);
    const verified = await ok(telco.post('/thirdparty/v1/verify/U-ADA', claimed));
    assert.equal(verified.verificationCode, 0);
    assert.equal((await checkProof(verified.verificationProof)).result, 0);
    const prefill = await ok(telco.post('/thirdparty/v1/attributes/U-ADA', { outputBiographicData: ['address'], outputContactData: ['phone1'] }));
    assert.deepEqual(prefill, { biographicData: { address: { city: 'London' } }, contactData: { phone1: '+44 20 0000' } });
    assert.equal((await telco.get('/thirdparty/v1/attributes/DEFAULT_SET_01/U-ADA')).status, 403, 'id.read is not a set scope');
  });
});
