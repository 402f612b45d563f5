/** Third Party readAttributeSet and readAttributes: configured sets, exact selections, scopes per set. */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { createTestApp, } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';
import { tokenFor } from '../support/tokens.js';
import { ADA, changeCredential, citizen, issueCredential, PORTRAIT, portrait, TX } from './thirdparty-fixtures.js';

async function yamlFile(content: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'osia-3p-')), 'file.yaml');
  await writeFile(file, content);
  return file;
}

const CUSTOM_SETS = `
sets:
  KYC_TELCO:
    biographicData:
      surname: biographicData.lastName
      uin: $identifier
    contactData:
      mobile: contextualData.contactData.phone1
    credentialData:
      - credentialType: ID_CARD
        fields: [credentialNumber, expiryDate, status]
  DEFAULT_SET_01:
    biographicData:
      firstName: biographicData.firstName
`;

describe('Third Party attribute reads', () => {
  let card: { credentialId: string; credentialNumber: string };
  const t = useTestApp(async () => ({ interfaces: ['pr', 'thirdparty', 'cms'], env: { OSIA_ATTRIBUTE_SETS: await yamlFile(CUSTOM_SETS) } }));
  before(async () => {
    await citizen(t, 'U-ADA', { ...ADA, birthName: 'Byron', address: { city: 'London' } }, {
      biometricData: [portrait, { biometricType: 'FINGER', biometricSubType: 'RIGHT_INDEX', template: 'AAAA', quality: 80 }],
      contextualData: { contactData: { email: 'ada@example.org', phone1: '+44 20 0000' } },
    });
    await citizen(t, 'U-SPARSE', { firstName: 'Sparse' });
    card = await issueCredential(t, 'REQ-ADA', 'U-ADA');
    await issueCredential(t, 'REQ-MOBILE', 'U-ADA', 'MOBILE_ID');
  });

  const readSet = (name: string, identifier: string, query = '') => request(t.app).get(`/thirdparty/v1/attributes/${name}/${identifier}${TX}${query}`);
  const read = (identifier: string, body: object, query = '') => request(t.app).post(`/thirdparty/v1/attributes/${identifier}${TX}${query}`).send(body);

  describe('readAttributeSet', () => {
    it('DEFAULT_SET_02: names, date and place of birth, and the portrait', async () => {
      const res = await readSet('DEFAULT_SET_02', 'U-ADA');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.biographicData, { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10', placeOfBirth: 'London' });
      assert.deepEqual(res.body.biometricData, [
        { biometricType: 'FACE', biometricSubType: 'PORTRAIT', image: PORTRAIT, mimeType: 'image/png', width: 480, height: 640 },
      ]);
      assert.deepEqual(Object.keys(res.body), ['biographicData', 'biometricData']);
    });

    it('DEFAULT_SET_EIDAS: identifier (the UIN for a caller without sector) and the optional attributes recorded', async () => {
      const res = await readSet('DEFAULT_SET_EIDAS', 'U-ADA');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        biographicData: {
          identifier: 'U-ADA',
          firstName: 'Ada',
          lastName: 'Lovelace',
          dateOfBirth: '1815-12-10',
          birthName: 'Byron',
          placeOfBirth: 'London',
          gender: 'F',
          currentAddress: { city: 'London' },
        },
      });
    });

    it('answers only the attributes with a value', async () => {
      const res = await readSet('DEFAULT_SET_02', 'U-SPARSE');
      assert.deepEqual(res.body, { biographicData: { firstName: 'Sparse' } });
    });

    it('a deployment set (OSIA_ATTRIBUTE_SETS) adds sets and replaces one by name', async () => {
      const custom = await readSet('KYC_TELCO', 'U-ADA');
      assert.equal(custom.status, 200);
      assert.deepEqual(custom.body.biographicData, { surname: 'Lovelace', uin: 'U-ADA' });
      assert.deepEqual(custom.body.contactData, { mobile: '+44 20 0000' });
      assert.deepEqual(custom.body.credentialData, [{ credentialType: 'ID_CARD', credentialNumber: card.credentialNumber, expiryDate: custom.body.credentialData[0].expiryDate, status: 'ACTIVE' }]);
      assert.ok(custom.body.credentialData[0].expiryDate);
      assert.deepEqual((await readSet('DEFAULT_SET_01', 'U-ADA')).body, { biographicData: { firstName: 'Ada' } });
    });

    it('identifierType=credentialNumber reads through an active credential only', async () => {
      assert.equal((await readSet('DEFAULT_SET_01', card.credentialNumber, '&identifierType=credentialNumber')).status, 200);
      const other = await issueCredential(t, 'REQ-REVOKED', 'U-ADA', 'RESIDENCE_PERMIT');
      await changeCredential(t, other.credentialId, 'revoke');
      assert.equal((await readSet('DEFAULT_SET_01', other.credentialNumber, '&identifierType=credentialNumber')).status, 404);
    });

    it('404 for an unknown set or identifier (or a person without reference identity); 400 without transactionId', async () => {
      assert.equal((await readSet('NO_SUCH_SET', 'U-ADA')).status, 404);
      assert.equal((await readSet('DEFAULT_SET_01', 'U-NOBODY')).status, 404);
      assert.equal((await request(t.app).post(`/pr/v1/persons/U-NOREF${TX}`).send({ status: 'ACTIVE', physicalStatus: 'ALIVE' })).status, 201);
      assert.equal((await readSet('DEFAULT_SET_01', 'U-NOREF')).status, 404);
      assert.equal((await request(t.app).get('/thirdparty/v1/attributes/DEFAULT_SET_01/U-ADA')).status, 400);
      assert.equal((await readSet('DEFAULT_SET_01', 'U-ADA', '&identifierType=nickname')).status, 400);
    });
  });

  describe('readAttributes', () => {
    it('answers exactly the requested attributes: biographic, biometric by type and subtype, credential by type, contact', async () => {
      const res = await read('U-ADA', {
        outputBiographicData: ['lastName', 'nickname'],
        outputBiometricData: [{ biometricType: 'FINGER', biometricSubType: 'RIGHT_INDEX', biometricDataFields: ['quality'] }],
        outputCredentialData: [{ credentialType: 'MOBILE', credentialDataFields: ['status'] }],
        outputContactData: ['email'],
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, {
        biographicData: { lastName: 'Lovelace' },
        biometricData: [{ biometricType: 'FINGER', biometricSubType: 'RIGHT_INDEX', quality: 80 }],
        credentialData: [{ credentialType: 'MOBILE', status: 'ACTIVE' }],
        contactData: { email: 'ada@example.org' },
      });
    });

    it('a biometric selection without subtype takes every sample of the type; without fields, every field', async () => {
      const res = await read('U-ADA', { outputBiometricData: [{ biometricType: 'FACE' }] });
      assert.deepEqual(res.body, { biometricData: [portrait] });
      assert.deepEqual((await read('U-ADA', { outputBiometricData: [{ biometricType: 'IRIS' }] })).body, {}, 'nothing recorded: empty set');
    });

    it('credential fields never include CMS-only fields (credentialProfileId)', async () => {
      const res = await read('U-ADA', { outputCredentialData: [{ credentialType: 'ID_CARD' }] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.credentialData.length, 2, 'both residence permits, whatever their status');
      for (const credential of res.body.credentialData) {
        assert.equal(credential.credentialProfileId, undefined);
        assert.equal(credential.credentialType, 'ID_CARD');
        assert.equal(credential.personId, 'U-ADA');
      }
    });

    it('400 for an empty selection or a biometric selection without type; 404 for an unknown identifier', async () => {
      assert.equal((await read('U-ADA', {})).status, 400);
      assert.equal((await read('U-ADA', { outputBiometricData: [{ biometricDataFields: ['image'] }] })).status, 400);
      assert.equal((await read('U-ADA', { outputBiographic: ['x'] })).status, 400);
      assert.equal((await read('U-NOBODY', { outputBiographicData: ['lastName'] })).status, 404);
    });
  });
});

describe('Third Party attribute sets: scopes and configuration', () => {
  const t = useTestApp({ interfaces: ['pr', 'thirdparty', 'cms'], env: { OSIA_AUTH: 'on' } });

  it('readAttributeSet needs id.<setName>.read: another set\'s scope is 403, no token 401', async () => {
    const url = `/thirdparty/v1/attributes/DEFAULT_SET_02/U-ANY${TX}`;
    assert.equal((await request(t.app).get(url)).status, 401);
    const wrong = await tokenFor(t.dataDir, 'id.DEFAULT_SET_01.read id.read');
    assert.equal((await request(t.app).get(url).auth(wrong, { type: 'bearer' })).status, 403);
    const right = await tokenFor(t.dataDir, 'id.DEFAULT_SET_02.read');
    assert.equal((await request(t.app).get(url).auth(right, { type: 'bearer' })).status, 404, 'past the scope check: unknown UIN');
  });

  it('a bad attribute set file stops start-up with the file and the place at fault', async () => {
    const file = await yamlFile('sets:\n  BROKEN:\n    biometricData:\n      - biometricSubType: PORTRAIT\n');
    await assert.rejects(
      createTestApp({ interfaces: ['thirdparty'], env: { OSIA_ATTRIBUTE_SETS: file } }),
      (err: Error) => err.message.includes('OSIA_ATTRIBUTE_SETS') && err.message.includes('sets.BROKEN.biometricData.0'),
    );
  });
});
