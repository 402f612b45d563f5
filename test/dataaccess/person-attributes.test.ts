/** readPersonAttributes, matchPersonAttributes and verifyPersonAttributes, on both mounts, from reference identities. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { SENTINEL_NAMES } from '../support/sentinels.js';
import { assertErrorAnswer, CLAIM_ONLY, MOUNTS, NOT_APPLICABLE, UNMAPPED, usePopulatedApp, ZEBULON } from './population-fixture.js';

describe('person attributes', () => {
  const t = usePopulatedApp();

  for (const mount of MOUNTS) {
    const persons = `${mount}/v1/persons`;
    const read = (uin: string, names: string[]) =>
      request(t.app).get(`${persons}/${uin}?${names.map((name) => `attributeNames=${name}`).join('&')}`);
    const match = (uin: string, body: unknown) => request(t.app).post(`${persons}/${uin}/match`).send(body as object);
    const verify = (uin: string, body: unknown) => request(t.app).post(`${persons}/${uin}/verify`).send(body as object);

    describe(`readPersonAttributes under ${mount}`, () => {
      it('answers the requested attributes of the reference identity, with an Error for each that has no value', async () => {
        const res = await read(ZEBULON.personId, ['firstName', 'lastName', 'dateOfBirth', 'gender', 'placeOfBirth', 'uin', 'dob', 'dateOfDeath']);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, {
          firstName: SENTINEL_NAMES.firstName,
          lastName: SENTINEL_NAMES.lastName,
          dateOfBirth: '1984-11-19',
          gender: 1,
          placeOfBirth: SENTINEL_NAMES.placeOfBirth,
          uin: ZEBULON.personId,
          dob: { code: 1023, message: 'Unknown attribute name' },
          dateOfDeath: { code: 1025, message: 'No value recorded' },
        });
      });

      it('answers gender in ISO 5218 whatever the record holds', async () => {
        assert.deepEqual((await read(NOT_APPLICABLE.personId, ['gender'])).body, { gender: 9 });
        assert.deepEqual((await read(UNMAPPED.personId, ['gender'])).body, {
          gender: { code: 1026, message: 'Recorded value cannot be expressed as the attribute type' },
        });
      });

      it('answers 404 for an unknown UIN and for a person without reference identity', async () => {
        assertErrorAnswer(await read('P9999', ['firstName']), 404, /no person with UIN P9999/);
        assertErrorAnswer(await read(CLAIM_ONLY.personId, ['firstName']), 404, /person P1005 has no reference identity/);
      });
    });

    describe(`matchPersonAttributes under ${mount}`, () => {
      it('answers an empty list when every value matches', async () => {
        const res = await match(ZEBULON.personId, { firstName: SENTINEL_NAMES.firstName, dateOfBirth: '1984-11-19', gender: 1, uin: ZEBULON.personId });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, []);
      });

      it('lists what differs (1) and what does not exist (0)', async () => {
        const res = await match(ZEBULON.personId, { firstName: 'Ignatius', gender: 2, spouseName: 'Smith', shoeSize: 42, lastName: SENTINEL_NAMES.lastName });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, [
          { attributeName: 'firstName', errorCode: 1 },
          { attributeName: 'gender', errorCode: 1 },
          { attributeName: 'spouseName', errorCode: 0 },
          { attributeName: 'shoeSize', errorCode: 0 },
        ]);
      });

      it('reads a value sent as a string as the declared type', async () => {
        assert.deepEqual((await match(ZEBULON.personId, { gender: '1' })).body, []);
        assertErrorAnswer(await match(ZEBULON.personId, { gender: 'M' }), 400, /attribute gender must be of type integer/);
      });

      it('counts a recorded value the type cannot express as different', async () => {
        assert.deepEqual((await match(UNMAPPED.personId, { gender: 9 })).body, [{ attributeName: 'gender', errorCode: 1 }]);
      });

      it('refuses an empty comparison and answers 404 for an unknown UIN or a person without reference', async () => {
        assertErrorAnswer(await match(ZEBULON.personId, {}), 400, /give at least one attribute/);
        assertErrorAnswer(await match('P9999', { firstName: 'Ada' }), 404, /no person with UIN P9999/);
        assertErrorAnswer(await match(CLAIM_ONLY.personId, { firstName: 'Ada' }), 404, /no reference identity/);
      });
    });

    describe(`verifyPersonAttributes under ${mount}`, () => {
      const holds = async (uin: string, expressions: unknown[]) => {
        const res = await verify(uin, expressions);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.match(res.headers['content-type'] ?? '', /application\/json/);
        assert.ok(res.text === 'true' || res.text === 'false', `a bare boolean, got ${res.text}`);
        return res.body as boolean;
      };

      it('answers true only when every expression holds', async () => {
        assert.equal(await holds(ZEBULON.personId, [
          { attributeName: 'firstName', operator: '=', value: SENTINEL_NAMES.firstName },
          { attributeName: 'dateOfBirth', operator: '<', value: '1990-12-31' },
          { attributeName: 'dateOfBirth', operator: '>=', value: '1984-11-19' },
          { attributeName: 'gender', operator: '<=', value: 1 },
        ]), true);
        assert.equal(await holds(ZEBULON.personId, [
          { attributeName: 'dateOfBirth', operator: '<', value: '1990-12-31' },
          { attributeName: 'dateOfBirth', operator: '>', value: '1990-12-31' },
        ]), false);
      });

      it('compares gender as an ISO 5218 number', async () => {
        assert.equal(await holds(ZEBULON.personId, [{ attributeName: 'gender', operator: '=', value: 1 }]), true);
        assert.equal(await holds(ZEBULON.personId, [{ attributeName: 'gender', operator: '=', value: 2 }]), false);
        assert.equal(await holds(NOT_APPLICABLE.personId, [{ attributeName: 'gender', operator: '>', value: 2 }]), true);
      });

      it('answers false for an attribute with no recorded value', async () => {
        assert.equal(await holds(ZEBULON.personId, [{ attributeName: 'dateOfDeath', operator: '<', value: '2100-01-01' }]), false);
      });

      it('refuses an unknown attribute, a value of the wrong type, != and an empty list with 400', async () => {
        assertErrorAnswer(await verify(ZEBULON.personId, [{ attributeName: 'shoeSize', operator: '=', value: 42 }]), 400, /unknown attribute shoeSize/);
        assertErrorAnswer(await verify(ZEBULON.personId, [{ attributeName: 'dateOfBirth', operator: '<', value: '31/12/1990' }]), 400, /dateOfBirth must be a date/);
        assertErrorAnswer(await verify(ZEBULON.personId, [{ attributeName: 'gender', operator: '!=', value: 1 }]), 400, /operator/);
        assertErrorAnswer(await verify(ZEBULON.personId, []), 400, /give at least one expression/);
      });

      it('answers 404 for an unknown UIN, checked before the expressions', async () => {
        assertErrorAnswer(await verify('P9999', [{ attributeName: 'gender', operator: '=', value: 1 }]), 404, /no person with UIN P9999/);
        assertErrorAnswer(await verify('P9999', [{ attributeName: 'shoeSize', operator: '=', value: 1 }]), 404, /no person with UIN P9999/);
      });

      it('answers false for a person without a reference identity: nothing can be verified', async () => {
        const res = await verify(CLAIM_ONLY.personId, [{ attributeName: 'gender', operator: '=', value: 1 }]);
        assert.deepEqual([res.status, res.body], [200, false]);
        // The expressions are still checked: an unknown attribute is a mistake whatever the person.
        assertErrorAnswer(await verify(CLAIM_ONLY.personId, [{ attributeName: 'shoeSize', operator: '=', value: 1 }]), 400, /unknown attribute/);
      });
    });
  }

  it('under /pr, GET /v1/persons/{id} without attributeNames stays the PR readPerson', async () => {
    const res = await request(t.app).get(`/pr/v1/persons/${ZEBULON.personId}?transactionId=t`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { personId: ZEBULON.personId, status: 'ACTIVE', physicalStatus: 'ALIVE' });
  });
});
