/** PR persons: createPerson, readPerson, updatePerson, deletePerson, mergePerson, findPersons. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { ALIVE, claim, createIdentity, createPerson, defineReference, TX } from '../support/registry-fixtures.js';
import { useTestApp } from '../support/use-test-app.js';

describe('PR persons', () => {
  const t = useTestApp({ interfaces: ['pr'] });

  it('createPerson: 201, then 409 for the same id; readPerson returns it, personId first', async () => {
    assert.equal((await request(t.app).post(`/pr/v1/persons/P-1${TX}`).send(ALIVE)).status, 201);
    const again = await request(t.app).post(`/pr/v1/persons/P-1${TX}`).send(ALIVE);
    assert.deepEqual([again.status, again.body], [409, { code: 409, message: 'Person P-1 already exists' }]);
    const read = await request(t.app).get(`/pr/v1/persons/P-1${TX}`);
    assert.equal(read.status, 200);
    assert.equal(read.text, '{"personId":"P-1","status":"ACTIVE","physicalStatus":"ALIVE"}');
  });

  it('createPerson refuses a body that violates the schema, and a missing transactionId', async () => {
    const bad = await request(t.app).post(`/pr/v1/persons/P-bad${TX}`).send({ status: 'ACTIVE', physicalStatus: 'ZOMBIE' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /physicalStatus/);
    assert.equal((await request(t.app).post('/pr/v1/persons/P-bad').send(ALIVE)).status, 400);
    assert.equal((await request(t.app).get(`/pr/v1/persons/P-bad${TX}`)).status, 404, 'nothing was written');
  });

  it('readPerson, updatePerson and deletePerson answer 404 for an unknown person', async () => {
    assert.equal((await request(t.app).get(`/pr/v1/persons/nobody${TX}`)).status, 404);
    assert.equal((await request(t.app).put(`/pr/v1/persons/nobody${TX}`).send(ALIVE)).status, 404);
    assert.equal((await request(t.app).delete(`/pr/v1/persons/nobody${TX}`)).status, 404);
  });

  it('updatePerson: 204 and the new values are read back', async () => {
    await createPerson(t, 'P-upd');
    const res = await request(t.app).put(`/pr/v1/persons/P-upd${TX}`).send({ status: 'INACTIVE', physicalStatus: 'DEAD' });
    assert.equal(res.status, 204);
    assert.deepEqual((await request(t.app).get(`/pr/v1/persons/P-upd${TX}`)).body, {
      personId: 'P-upd',
      status: 'INACTIVE',
      physicalStatus: 'DEAD',
    });
    assert.equal((await request(t.app).put(`/pr/v1/persons/P-upd${TX}`).send({ status: 'ACTIVE' })).status, 400);
  });

  it('deletePerson removes the person and all its identities', async () => {
    await createPerson(t, 'P-del');
    await createIdentity(t, 'P-del', 'I-1', claim({ lastName: 'Gone' }));
    await createIdentity(t, 'P-del', 'I-2', claim({ lastName: 'Gone' }));
    assert.equal((await request(t.app).delete(`/pr/v1/persons/P-del${TX}`)).status, 204);
    assert.equal((await request(t.app).get(`/pr/v1/persons/P-del${TX}`)).status, 404);
    assert.equal((await request(t.app).get(`/pr/v1/persons/P-del/identities/I-1${TX}`)).status, 404);
    const found = await request(t.app).post(`/pr/v1/persons${TX}`).send([{ attributeName: 'lastName', operator: '=', value: 'Gone' }]);
    assert.deepEqual(found.body, []);
  });

  describe('mergePerson', () => {
    it('moves every source identity to the target, keeps ids and the target reference, deletes the source', async () => {
      await createPerson(t, 'M-target');
      await createPerson(t, 'M-source');
      await createIdentity(t, 'M-target', 'T-1', claim({ lastName: 'Target' }));
      await defineReference(t, 'M-target', 'T-1');
      await createIdentity(t, 'M-source', 'S-1', claim({ lastName: 'Source' }));
      await createIdentity(t, 'M-source', 'S-2', claim({ lastName: 'Source' }));
      await defineReference(t, 'M-source', 'S-1');
      const res = await request(t.app).post(`/pr/v1/persons/M-target/merge/M-source${TX}`);
      assert.equal(res.status, 204);
      const identities = await request(t.app).get(`/pr/v1/persons/M-target/identities${TX}`);
      assert.deepEqual(identities.body.map((i: { identityId: string }) => i.identityId), ['T-1', 'S-1', 'S-2']);
      assert.equal((await request(t.app).get(`/pr/v1/persons/M-target/reference${TX}`)).body.identityId, 'T-1');
      assert.equal((await request(t.app).get(`/pr/v1/persons/M-source${TX}`)).status, 404);
    });

    it('answers 409 and changes nothing when an identity id exists on both sides', async () => {
      await createPerson(t, 'C-target');
      await createPerson(t, 'C-source');
      await createIdentity(t, 'C-target', 'SAME', claim());
      await createIdentity(t, 'C-source', 'SAME', claim());
      await createIdentity(t, 'C-source', 'OTHER', claim());
      const res = await request(t.app).post(`/pr/v1/persons/C-target/merge/C-source${TX}`);
      assert.equal(res.status, 409);
      assert.match(res.body.message, /SAME/);
      const source = await request(t.app).get(`/pr/v1/persons/C-source/identities${TX}`);
      assert.deepEqual(source.body.map((i: { identityId: string }) => i.identityId), ['SAME', 'OTHER']);
      const target = await request(t.app).get(`/pr/v1/persons/C-target/identities${TX}`);
      assert.deepEqual(target.body.map((i: { identityId: string }) => i.identityId), ['SAME']);
    });

    it('answers 404 for an unknown target or source, 400 for a merge into itself; works without a body', async () => {
      await createPerson(t, 'M-alone');
      assert.equal((await request(t.app).post(`/pr/v1/persons/M-alone/merge/nobody${TX}`)).status, 404);
      assert.equal((await request(t.app).post(`/pr/v1/persons/nobody/merge/M-alone${TX}`)).status, 404);
      assert.equal((await request(t.app).post(`/pr/v1/persons/M-alone/merge/M-alone${TX}`)).status, 400);
    });
  });

  describe('findPersons', () => {
    // Its own app: the expected rows are the persons created here, whatever the tests above left.
    const t = useTestApp({ interfaces: ['pr'] });
    before(async () => {
      for (const [personId, lastName, year, gallery] of [
        ['F-1', 'Findley', '1980-01-01', 'CITIZENS'],
        ['F-2', 'Findley', '1990-06-15', 'RESIDENTS'],
        ['F-3', 'Other', '2000-12-31', 'CITIZENS'],
      ] as const) {
        await createPerson(t, personId);
        await createIdentity(t, personId, 'A', claim({ lastName, dateOfBirth: year }, { galleries: [gallery] }));
      }
      await createIdentity(t, 'F-1', 'B', claim({ lastName: 'Findley', dateOfBirth: '1980-01-01' }));
      await defineReference(t, 'F-1', 'A');
      await createPerson(t, 'F-4');
      await createIdentity(t, 'F-4', 'A', claim({ firstName: 'Nameless' }));
    });

    const find = (expressions: object[], query = '') => request(t.app).post(`/pr/v1/persons${TX}${query}`).send(expressions);
    const rows = (res: request.Response) => res.body.map((r: { personId: string; identityId?: string }) => `${r.personId}/${r.identityId ?? ''}`);

    it('matches with each of the six operators, combined with AND, in creation order', async () => {
      const last = { attributeName: 'lastName', operator: '=', value: 'Findley' };
      assert.deepEqual(rows(await find([last])), ['F-1/A', 'F-2/A', 'F-1/B']);
      // Other last names match `!=`; identities without a lastName do not.
      assert.deepEqual(rows(await find([{ ...last, operator: '!=' }])), ['F-3/A']);
      const dob = (operator: string, value: string) => ({ attributeName: 'dateOfBirth', operator, value });
      assert.deepEqual(rows(await find([dob('<', '1990-06-15')])), ['F-1/A', 'F-1/B']);
      assert.deepEqual(rows(await find([dob('<=', '1990-06-15'), last])), ['F-1/A', 'F-2/A', 'F-1/B']);
      assert.deepEqual(rows(await find([dob('>', '1990-06-15')])), ['F-3/A']);
      assert.deepEqual(rows(await find([dob('>=', '1990-06-15'), last])), ['F-2/A']);
      assert.deepEqual(rows(await find([{ attributeName: 'biographicData.lastName', operator: '=', value: 'Other' }])), ['F-3/A']);
    });

    it('groups by person, restricts to reference identities or a gallery, and pages', async () => {
      const last = [{ attributeName: 'lastName', operator: '=', value: 'Findley' }];
      assert.deepEqual((await find(last, '&group=true')).body, [{ personId: 'F-1' }, { personId: 'F-2' }]);
      assert.deepEqual(rows(await find(last, '&reference=true')), ['F-1/A']);
      assert.deepEqual(rows(await find(last, '&gallery=RESIDENTS')), ['F-2/A']);
      assert.deepEqual(rows(await find(last, '&offset=1&limit=1')), ['F-2/A']);
      assert.deepEqual((await find([{ attributeName: 'lastName', operator: '=', value: 'Nobody' }])).body, []);
    });

    it('refuses an unknown operator', async () => {
      assert.equal((await find([{ attributeName: 'lastName', operator: '~', value: 'F' }])).status, 400);
    });
  });
});
