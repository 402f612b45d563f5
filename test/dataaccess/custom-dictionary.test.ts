/** A dictionary file (OSIA_DATAACCESS_DICTIONARY) replaces the built-in one, including private attributes. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ConfigError } from '../../src/config/config-options.js';
import { SENTINEL_NAMES } from '../support/sentinels.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { assertErrorAnswer, recordPopulation, ZEBULON } from './population-fixture.js';

const DICTIONARY = `
attributes:
  givenName: { path: biographicData.firstName }
  familyName: { path: biographicData.lastName, readable: false }
  sex:
    path: biographicData.gender
    type: integer
    values: { M: 1, F: 2 }
  citizenship: { path: biographicData.nationality }
  lifeStatus: { path: person.physicalStatus }
`;

describe('custom attribute dictionary', () => {
  let dir: string;
  let t: TestApp;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'osia-dictionary-'));
    const file = path.join(dir, 'dictionary.yaml');
    await writeFile(file, DICTIONARY);
    t = await createTestApp({ interfaces: ['pr', 'dataaccess'], env: { OSIA_DATAACCESS_DICTIONARY: file } });
    await recordPopulation(t.app);
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  const persons = '/dataaccess/v1/persons';

  it('reads the names of the file, and only those', async () => {
    const names = ['givenName', 'sex', 'citizenship', 'lifeStatus', 'firstName'];
    const res = await request(t.app).get(`${persons}/${ZEBULON.personId}?${names.map((n) => `attributeNames=${n}`).join('&')}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      givenName: SENTINEL_NAMES.firstName,
      sex: 1,
      citizenship: 'FRA',
      lifeStatus: 'ALIVE',
      firstName: { code: 1023, message: 'Unknown attribute name' },
    });
  });

  it('searches with the names of the file', async () => {
    const res = await request(t.app).get(`${persons}?givenName=${SENTINEL_NAMES.firstName}&sex=1&names=citizenship`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, [{ citizenship: 'FRA' }]);
    assertErrorAnswer(await request(t.app).get(`${persons}?firstName=Ada`), 400, /unknown search attribute firstName/);
  });

  it('answers an Error (1024) in place of an attribute that is not readable', async () => {
    const read = await request(t.app).get(`${persons}/${ZEBULON.personId}?attributeNames=familyName&attributeNames=givenName`);
    assert.deepEqual(read.body, { familyName: { code: 1024, message: 'Attribute not readable' }, givenName: SENTINEL_NAMES.firstName });
    const listed = await request(t.app).get(`${persons}?givenName=${SENTINEL_NAMES.firstName}&names=familyName`);
    assert.deepEqual(listed.body, [{ familyName: { code: 1024, message: 'Attribute not readable' } }]);
  });

  it('refuses with 403 a search, match or verification on an attribute that is not readable', async () => {
    assertErrorAnswer(await request(t.app).get(`${persons}?familyName=${SENTINEL_NAMES.lastName}`), 403, /attribute familyName is not readable/);
    assertErrorAnswer(
      await request(t.app).post(`${persons}/${ZEBULON.personId}/match`).send({ givenName: 'x', familyName: 'y' }),
      403,
      /attribute familyName is not readable/,
    );
    assertErrorAnswer(
      await request(t.app).post(`/pr/v1/persons/${ZEBULON.personId}/verify`).send([{ attributeName: 'familyName', operator: '>', value: 'A' }]),
      403,
      /attribute familyName is not readable/,
    );
  });

  it('refuses to start with an invalid dictionary file, naming the file and the key', async () => {
    const bad = path.join(dir, 'bad.yaml');
    await writeFile(bad, 'attributes:\n  sex: { path: biographicData.gender, type: enum }\n');
    await assert.rejects(createTestApp({ interfaces: ['dataaccess'], env: { OSIA_DATAACCESS_DICTIONARY: bad } }), (err: Error) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, new RegExp(`^OSIA_DATAACCESS_DICTIONARY ${bad}: attributes\\.sex: type must be one of`));
      return true;
    });
  });
});
