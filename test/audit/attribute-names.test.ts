/** The audit trail records the attribute names each read names, checks or answers (names, never values). */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { useTestApp } from '../support/use-test-app.js';
import { ADA, citizen, TX } from '../thirdparty/thirdparty-fixtures.js';

describe('attribute names in the audit trail', () => {
  const t = useTestApp({ interfaces: ['pr', 'dataaccess', 'cms', 'thirdparty'] });
  const recorded: Record<string, string[] | undefined> = {};
  before(async () => {
    await citizen(t, 'U-ADA', ADA);
    const calls = [
      request(t.app).get(`/thirdparty/v1/attributes/DEFAULT_SET_01/U-ADA${TX}`),
      request(t.app).post(`/thirdparty/v1/attributes/U-ADA${TX}`).send({ outputBiographicData: ['lastName'], outputContactData: ['email'] }),
      request(t.app).post(`/thirdparty/v1/identify${TX}`).send({ attributeSet: { biographicData: { lastName: 'Lovelace' } }, outputAttributeSetName: 'DEFAULT_SET_01' }),
      request(t.app).post('/dataaccess/v1/persons/U-ADA/match').send({ firstName: 'Ada', lastName: 'Lovelace' }),
      request(t.app).post('/dataaccess/v1/persons/U-ADA/verify').send([{ attributeName: 'dateOfBirth', operator: '<', value: '1900-01-01' }]),
    ];
    for (const call of calls) {
      const res = await call;
      assert.equal(res.status, 200, res.text);
    }
    const report = await request(t.app).get('/audit/v1/persons/U-ADA/accesses?limit=100');
    for (const access of report.body) recorded[access.operationId] = access.attributes;
  });

  it('records the names of an attribute set or a selection answered by Third Party', () => {
    const set = ['biographicData.firstName', 'biographicData.lastName', 'biographicData.dateOfBirth', 'biographicData.placeOfBirth'];
    assert.deepEqual(recorded.readAttributeSet, set);
    assert.deepEqual(recorded.readAttributes, ['biographicData.lastName', 'contactData.email']);
    assert.deepEqual(recorded.identify, set);
  });

  it('records the names Data Access compares and verifies, and none for a write', () => {
    assert.deepEqual(recorded.matchPersonAttributes, ['firstName', 'lastName']);
    assert.deepEqual(recorded.verifyPersonAttributes, ['dateOfBirth']);
    assert.equal(recorded.createIdentityWithId, undefined);
  });
});
