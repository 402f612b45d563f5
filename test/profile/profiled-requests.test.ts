/** With a profile applied, requests are validated against the national schemas and the served documents show them. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { parse } from 'yaml';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';
import { EXAMPLE_PROFILE, type ProfileFiles, profileFiles } from './profile-files.js';

const CREATE_IDENTITY = '/pr/v1/persons/p1/identities/i1?transactionId=t';
const VALID_PERSON = { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10', gender: 'F' };

function identity(biographicData: unknown) {
  return { identityType: 'CIVIL', status: 'CLAIMED', galleries: ['civil'], biographicData };
}

function assertBadRequest(res: request.Response, message: RegExp) {
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.match(res.body.message, message);
}

describe('requests under the example profile', () => {
  const t = useTestApp({ env: { OSIA_PROFILE: EXAMPLE_PROFILE } });

  it('refuses biographic data lacking a required field, naming it', async () => {
    const { gender: _omitted, ...person } = VALID_PERSON;
    const res = await request(t.app).post(CREATE_IDENTITY).send(identity(person));
    assertBadRequest(res, /biographicData.* must have required property 'gender'/);
  });

  it('refuses a field the dictionary does not define, naming it', async () => {
    const res = await request(t.app).post(CREATE_IDENTITY).send(identity({ ...VALID_PERSON, shoeSize: 42 }));
    assertBadRequest(res, /biographicData\/shoeSize must NOT have additional properties/);
  });

  it('refuses a value outside an enumeration, and a malformed nested value', async () => {
    const wrongGender = await request(t.app).post(CREATE_IDENTITY).send(identity({ ...VALID_PERSON, gender: 'Female' }));
    assertBadRequest(wrongGender, /biographicData\/gender must be equal to one of the allowed values: M, F, X/);
    const place = { ...VALID_PERSON, placeOfBirth: { city: 'London', country: 'GB' } };
    const wrongCountry = await request(t.app).post(CREATE_IDENTITY).send(identity(place));
    assertBadRequest(wrongCountry, /biographicData\/placeOfBirth\/country must match pattern/);
  });

  it('checks formats and patterns of the dictionary', async () => {
    const date = await request(t.app).post(CREATE_IDENTITY).send(identity({ ...VALID_PERSON, dateOfBirth: '10/12/1815' }));
    assertBadRequest(date, /biographicData\/dateOfBirth must match format "date"/);
    const email = await request(t.app).post(CREATE_IDENTITY).send(identity({ ...VALID_PERSON, email: 'ada at example' }));
    assertBadRequest(email, /biographicData\/email must match format "email"/);
  });

  it('refuses contextual data outside the dictionary', async () => {
    const body = { ...identity(VALID_PERSON), contextualData: { enrollmentDate: 'yesterday' } };
    const res = await request(t.app).post(CREATE_IDENTITY).send(body);
    assertBadRequest(res, /contextualData\/enrollmentDate must match format "date-time"/);
  });

  it('lets valid biographic data through to the service', async () => {
    const res = await request(t.app).post(CREATE_IDENTITY).send(identity(VALID_PERSON));
    assert.notEqual(res.status, 400, JSON.stringify(res.body));
  });

  it('applies the same dictionary to enrollment', async () => {
    const res = await request(t.app).post('/enrollment/v1/enrollments/e1?transactionId=t').send({ biographicData: { firstName: 'Ada' } });
    assertBadRequest(res, /biographicData.* must have required property '(lastName|dateOfBirth|gender)'/);
  });

  it('serves the profiled document, saying which profile was applied', async () => {
    const res = await request(t.app).get('/openapi/pr.yaml');
    assert.equal(res.status, 200);
    assert.match(res.text, /^# Country profile example\.yaml \(OSIA_PROFILE\) applied to: BiographicData, ContextualData\./);
    const served = parse(res.text);
    const biographic = served.components.schemas.BiographicData;
    assert.deepEqual(biographic.required, ['firstName', 'lastName', 'dateOfBirth', 'gender']);
    assert.equal(biographic.additionalProperties, false);
    assert.deepEqual(biographic.properties.gender.enum, ['M', 'F', 'X']);
    assert.equal(served.components.schemas.Identity.properties.biographicData.$ref, '#/components/schemas/BiographicData');
  });

  it('gives third party services and the ABIS their own sections', async () => {
    const thirdparty = parse((await request(t.app).get('/openapi/thirdparty.yaml')).text);
    assert.equal(thirdparty.components.schemas.BiographicData.required, undefined);
    const abis = parse((await request(t.app).get('/openapi/abis.yaml')).text);
    assert.deepEqual(Object.keys(abis.components.schemas.BiographicData.properties), ['gender', 'yearOfBirth', 'region']);
  });
});

describe('a tiny profile that requires fields and forbids others', () => {
  let t: TestApp;
  let files: ProfileFiles;
  before(async () => {
    files = await profileFiles();
    const profile = await files.write(
      'tiny.yaml',
      'BiographicData:\n  type: object\n  required: [name]\n  additionalProperties: false\n  properties:\n    name:\n      type: string\n',
    );
    t = await createTestApp({ interfaces: ['pr'], env: { OSIA_PROFILE: profile } });
  });
  after(async () => {
    await t.close();
    await files.remove();
  });

  it('requires the required field', async () => {
    const res = await request(t.app).post(CREATE_IDENTITY).send(identity({}));
    assertBadRequest(res, /biographicData.* must have required property 'name'/);
  });

  it('forbids any other field', async () => {
    const res = await request(t.app).post(CREATE_IDENTITY).send(identity({ name: 'Ada', firstName: 'Ada' }));
    assertBadRequest(res, /biographicData\/firstName must NOT have additional properties/);
  });

  it('accepts exactly the dictionary', async () => {
    const res = await request(t.app).post(CREATE_IDENTITY).send(identity({ name: 'Ada' }));
    assert.notEqual(res.status, 400, JSON.stringify(res.body));
  });
});
