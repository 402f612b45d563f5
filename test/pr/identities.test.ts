/** PR identities: create (both ways), read, update, merge-patch, delete, move, status, reference. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { claim, createIdentity, createPerson, defineReference, TX } from '../support/registry-fixtures.js';
import { SENTINEL_NAMES } from '../support/sentinels.js';
import { useTestApp } from '../support/use-test-app.js';

describe('PR identities', () => {
  const t = useTestApp({ interfaces: ['pr'] });
  before(async () => {
    await createPerson(t, 'P');
  });

  const url = (suffix: string) => `/pr/v1/persons/P/identities${suffix}${TX}`;
  const read = async (identityId: string) => (await request(t.app).get(url(`/${identityId}`))).body;

  it('createIdentity generates the id (200 {identityId}); createIdentityWithId answers 201, then 409', async () => {
    const generated = await request(t.app).post(url('')).send(claim());
    assert.equal(generated.status, 200);
    assert.deepEqual(Object.keys(generated.body), ['identityId']);
    assert.equal((await read(generated.body.identityId)).identityId, generated.body.identityId);
    assert.equal((await request(t.app).post(url('/WITH-ID')).send(claim())).status, 201);
    const again = await request(t.app).post(url('/WITH-ID')).send(claim());
    assert.deepEqual([again.status, again.body.message], [409, 'Person P already has identity WITH-ID']);
  });

  it('creating an identity for an unknown person answers 404; an invalid identity 400', async () => {
    assert.equal((await request(t.app).post(`/pr/v1/persons/ghost/identities${TX}`).send(claim())).status, 404);
    assert.equal((await request(t.app).post(`/pr/v1/persons/ghost/identities/X${TX}`).send(claim())).status, 404);
    const invalid = await request(t.app).post(url('/BAD')).send({ identityType: 'x', status: 'SUSPENDED' });
    assert.equal(invalid.status, 400);
    assert.match(invalid.body.message, /status/);
  });

  it('reads back exactly what was stored, identityId first, dates added by the server', async () => {
    const sent = {
      identityType: 'BIRTH_REGISTRATION',
      status: 'CLAIMED',
      galleries: ['CITIZENS'],
      biographicData: { ...SENTINEL_NAMES, height: 1.2, registeredAt: '2019-05-21T12:00:00+01:00', aliases: [], extra: {} },
      contextualData: {},
      createdDate: '1999-01-01T00:00:00Z',
    };
    await createIdentity(t, 'P', 'EXACT', sent);
    const res = await request(t.app).get(url('/EXACT'));
    const { createdDate: _ignored, ...content } = sent;
    const body = res.body as Record<string, unknown>;
    // The sections it was created without are there, empty, before the server's dates.
    assert.deepEqual(Object.keys(body), ['identityId', ...Object.keys(content), 'biometricData', 'documentData', 'createdDate', 'updatedDate']);
    assert.deepEqual({ ...body, createdDate: undefined, updatedDate: undefined }, {
      identityId: 'EXACT',
      ...content,
      biometricData: [],
      documentData: [],
      createdDate: undefined,
      updatedDate: undefined,
    });
    assert.match(res.text, /"height":1\.2,"registeredAt":"2019-05-21T12:00:00\+01:00","aliases":\[\],"extra":\{\}/);
    assert.notEqual(body.createdDate, '1999-01-01T00:00:00Z', 'createdDate is the server’s');
    assert.ok(Date.now() - Date.parse(String(body.createdDate)) < 60_000);
    assert.equal(body.clientData, undefined);
    assert.doesNotMatch(res.text, /"_id"|"_seq"|null/);
  });

  it('readIdentities lists them in creation order; unknown ids answer 404', async () => {
    await createPerson(t, 'LIST');
    for (const id of ['Z', 'A', 'M']) await createIdentity(t, 'LIST', id, claim());
    const list = await request(t.app).get(`/pr/v1/persons/LIST/identities${TX}`);
    assert.deepEqual(list.body.map((i: { identityId: string }) => i.identityId), ['Z', 'A', 'M']);
    assert.equal((await request(t.app).get(`/pr/v1/persons/ghost/identities${TX}`)).status, 404);
    assert.equal((await request(t.app).get(url('/ghost'))).status, 404);
  });

  it('updateIdentity replaces a CLAIMED identity (204) and keeps its createdDate', async () => {
    await createIdentity(t, 'P', 'UPD', claim({ firstName: 'Old', lastName: 'Name' }));
    const before = await read('UPD');
    const res = await request(t.app).put(url('/UPD')).send(claim({ firstName: 'New' }, { galleries: ['G2'] }));
    assert.equal(res.status, 204);
    const after = await read('UPD');
    assert.deepEqual(after.biographicData, { firstName: 'New' });
    assert.deepEqual(after.galleries, ['G2']);
    assert.equal(after.createdDate, before.createdDate);
    assert.equal((await request(t.app).put(url('/ghost')).send(claim())).status, 404);
  });

  it('partialUpdateIdentity applies an RFC 7396 merge patch (null deletes, arrays replaced), also as merge-patch+json', async () => {
    await createIdentity(t, 'P', 'PATCH', claim({ firstName: 'Ann', gender: 'F', nationality: 'BEL' }, { galleries: ['G1'] }));
    const patch = { galleries: ['G1', 'G2'], biographicData: { gender: null, nationality: 'FRA' } };
    const res = await request(t.app).patch(url('/PATCH')).set('Content-Type', 'application/merge-patch+json').send(JSON.stringify(patch));
    assert.equal(res.status, 204);
    const after = await read('PATCH');
    assert.deepEqual(after.biographicData, { firstName: 'Ann', nationality: 'FRA' });
    assert.deepEqual(after.galleries, ['G1', 'G2']);
    assert.equal((await request(t.app).patch(url('/PATCH')).send({ identityType: 'again' })).status, 204);
    assert.equal((await read('PATCH')).identityType, 'again');
  });

  it('partialUpdateIdentity refuses a patch whose result is not a valid Identity, and changes nothing', async () => {
    await createIdentity(t, 'P', 'PBAD', claim({ firstName: 'Ann' }));
    const removesRequired = await request(t.app).patch(url('/PBAD')).send({ identityType: null });
    assert.equal(removesRequired.status, 400);
    assert.match(removesRequired.body.message, /identityType/);
    const badGalleries = await request(t.app).patch(url('/PBAD')).send({ galleries: [] });
    assert.equal(badGalleries.status, 400);
    assert.equal((await read('PBAD')).identityType, 'CIVIL');
    assert.equal((await request(t.app).patch(url('/ghost')).send({})).status, 404);
  });

  it('updates are refused with 403 once the identity is no longer CLAIMED', async () => {
    await createIdentity(t, 'P', 'LOCKED', claim());
    assert.equal((await request(t.app).put(url('/LOCKED/status').replace(TX, `${TX}&status=VALID`))).status, 204);
    const put = await request(t.app).put(url('/LOCKED')).send(claim());
    assert.deepEqual([put.status, put.body.message], [403, 'Identity LOCKED is VALID: only a CLAIMED identity can be updated']);
    assert.equal((await request(t.app).patch(url('/LOCKED')).send({ identityType: 'x' })).status, 403);
  });

  it('setIdentityStatus lets any status follow any other by default; an unknown status answers 400', async () => {
    const setStatus = (id: string, status: string) => request(t.app).put(`/pr/v1/persons/P/identities/${id}/status${TX}&status=${status}`);
    await createIdentity(t, 'P', 'S1', claim());
    for (const status of ['VALID', 'VALID', 'REVOKED', 'VALID', 'CLAIMED', 'INVALID', 'CLAIMED']) {
      assert.equal((await setStatus('S1', status)).status, 204, `to ${status}`);
      assert.equal((await read('S1')).status, status);
    }
    const unknown = await setStatus('S1', 'SUSPENDED');
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.message, /Unknown identity status/);
    assert.equal((await setStatus('ghost', 'VALID')).status, 404);
    assert.equal((await request(t.app).put(`/pr/v1/persons/P/identities/S1/status${TX}`)).status, 400, 'status is required');
  });

  it('defineReference and readReference; deleting the reference leaves the person without one', async () => {
    await createPerson(t, 'R');
    assert.equal((await request(t.app).get(`/pr/v1/persons/R/reference${TX}`)).status, 404);
    await createIdentity(t, 'R', 'R1', claim({ firstName: 'One' }));
    await createIdentity(t, 'R', 'R2', claim({ firstName: 'Two' }));
    await defineReference(t, 'R', 'R1');
    // Only a VALID identity can become the reference: 403, the "operation not allowed" pr.yaml declares.
    for (const status of ['CLAIMED', 'INVALID', 'REVOKED']) {
      assert.equal((await request(t.app).put(`/pr/v1/persons/R/identities/R2/status${TX}&status=${status}`)).status, 204);
      const refused = await request(t.app).put(`/pr/v1/persons/R/identities/R2/reference${TX}`);
      assert.deepEqual([refused.status, refused.body.code], [403, 403], status);
      assert.match(refused.body.message, new RegExp(`R2 is ${status}: only a VALID identity can become the reference`));
    }
    assert.equal((await request(t.app).get(`/pr/v1/persons/R/reference${TX}`)).body.identityId, 'R1');
    assert.equal((await request(t.app).put(`/pr/v1/persons/R/identities/R2/status${TX}&status=VALID`)).status, 204);
    // No body and no Content-Type: the PUT needs neither.
    const second = await request(t.app).put(`/pr/v1/persons/R/identities/R2/reference${TX}`);
    assert.equal(second.status, 204);
    const reference = await request(t.app).get(`/pr/v1/persons/R/reference${TX}`);
    assert.deepEqual([reference.status, reference.body.identityId], [200, 'R2']);
    assert.equal((await request(t.app).put(`/pr/v1/persons/R/identities/ghost/reference${TX}`)).status, 404);
    assert.equal((await request(t.app).delete(`/pr/v1/persons/R/identities/R2${TX}`)).status, 204);
    assert.equal((await request(t.app).get(`/pr/v1/persons/R/reference${TX}`)).status, 404);
    assert.equal((await request(t.app).get(`/pr/v1/persons/ghost/reference${TX}`)).status, 404);
  });

  it('deleteIdentity: 204, then 404', async () => {
    await createIdentity(t, 'P', 'DEL', claim());
    assert.equal((await request(t.app).delete(url('/DEL'))).status, 204);
    assert.equal((await request(t.app).get(url('/DEL'))).status, 404);
    assert.equal((await request(t.app).delete(url('/DEL'))).status, 404);
  });

  describe('moveIdentity', () => {
    before(async () => {
      await createPerson(t, 'MV-target');
      await createPerson(t, 'MV-source');
      await createIdentity(t, 'MV-source', 'MOVE', claim({ firstName: 'Mover' }));
      await defineReference(t, 'MV-source', 'MOVE');
      await createIdentity(t, 'MV-source', 'CLASH', claim());
      await createIdentity(t, 'MV-target', 'CLASH', claim());
    });
    const move = (target: string, source: string, id: string) =>
      request(t.app).post(`/pr/v1/persons/${target}/move/${source}/identities/${id}${TX}`);

    it('moves one identity, keeping its id and content; the source person stays, without that reference', async () => {
      assert.equal((await move('MV-target', 'MV-source', 'MOVE')).status, 204);
      const moved = await request(t.app).get(`/pr/v1/persons/MV-target/identities/MOVE${TX}`);
      assert.deepEqual(moved.body.biographicData, { firstName: 'Mover' });
      assert.equal((await request(t.app).get(`/pr/v1/persons/MV-source/identities/MOVE${TX}`)).status, 404);
      assert.equal((await request(t.app).get(`/pr/v1/persons/MV-source${TX}`)).status, 200);
      assert.equal((await request(t.app).get(`/pr/v1/persons/MV-source/reference${TX}`)).status, 404);
    });

    it('answers 409 on an id clash (nothing moves) and 404 for unknown persons or identity', async () => {
      assert.equal((await move('MV-target', 'MV-source', 'CLASH')).status, 409);
      assert.equal((await request(t.app).get(`/pr/v1/persons/MV-source/identities/CLASH${TX}`)).status, 200);
      assert.equal((await move('ghost', 'MV-source', 'CLASH')).status, 404);
      assert.equal((await move('MV-target', 'ghost', 'CLASH')).status, 404);
      assert.equal((await move('MV-target', 'MV-source', 'ghost')).status, 404);
    });
  });

  it('ignores a body sent with a GET', async () => {
    const res = await request(t.app).get(url('/WITH-ID')).set('Content-Type', 'application/json').send({ junk: true });
    assert.equal(res.status, 200);
  });
});
