/** Enrolments: create, read (attributes), update, merge patch, delete, finalize, find. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { useTestApp } from '../support/use-test-app.js';
import { tokenFor } from '../support/tokens.js';

const TX = '?transactionId=tx-enrol';
const url = (id: string, extra = '') => `/enrollment/v1/enrollments/${id}${TX}${extra}`;

const PORTRAIT = Buffer.alloc(3000, 7).toString('base64');

function enrolment(lastName = 'Okafor', extra: Record<string, unknown> = {}) {
  return {
    enrollmentType: 'CITIZEN',
    enrollmentFlags: { timeout: 3600 },
    requestData: { priority: 3, requestType: 'FIRST_ISSUANCE' },
    biographicData: { firstName: 'Chidi', lastName, dateOfBirth: '1988-02-29' },
    biometricData: [{ biometricType: 'FACE', biometricSubType: 'PORTRAIT', image: PORTRAIT, mimeType: 'image/png' }],
    ...extra,
  };
}

describe('Enrollment: enrolments', () => {
  const t = useTestApp({ interfaces: ['enrollment'] });

  it('createEnrollment: 204, IN_PROGRESS, read back whole with id and status first; 409 for the same id', async () => {
    const res = await request(t.app).post(url('E-1')).send(enrolment());
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');
    const read = await request(t.app).get(url('E-1'));
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, { enrollmentId: 'E-1', status: 'IN_PROGRESS', ...enrolment() });
    assert.deepEqual(Object.keys(read.body).slice(0, 2), ['enrollmentId', 'status']);
    const again = await request(t.app).post(url('E-1')).send(enrolment('Other'));
    assert.deepEqual([again.status, again.body], [409, { code: 409, message: 'Enrollment E-1 already exists' }]);
    assert.equal((await request(t.app).get(url('E-1'))).body.biographicData.lastName, 'Okafor');
  });

  it('an enrolment stored before the unit of work (with its blobIds) is read, changed and deleted with its blobs', async () => {
    const blobId = await t.storage.blobs.put({ contentType: 'text/plain; charset=utf-8', data: Buffer.from(PORTRAIT, 'utf8') });
    const { biometricData, ...rest } = enrolment();
    const enrollment = { ...rest, status: 'IN_PROGRESS', biometricData: [{ ...biometricData[0], image: { blobRef: blobId } }] };
    const dates = { createdDate: '2026-01-01T00:00:00.000Z', updatedDate: '2026-01-01T00:00:00.000Z', lastTransactionId: 'tx-old' };
    const legacy = { _id: 'E-old', enrollment, blobIds: [blobId], ...dates };
    await t.storage.documents.applyAtomically([{ collection: 'enrollments', op: 'insert', doc: legacy }, ...t.storage.blobs.claim([blobId])]);
    assert.deepEqual((await request(t.app).get(url('E-old'))).body, { enrollmentId: 'E-old', status: 'IN_PROGRESS', ...enrolment() });
    assert.equal((await request(t.app).patch(url('E-old')).send({ enrollmentType: 'RESIDENT' })).status, 204);
    assert.equal((await request(t.app).get(url('E-old'))).body.biometricData[0].image, PORTRAIT);
    assert.equal((await request(t.app).delete(url('E-old'))).status, 204);
    assert.equal(await t.storage.blobs.get(blobId), undefined, 'the blob went with the enrolment');
  });

  it('large embedded images are kept out of the record and come back byte-identical', async () => {
    const records = await t.storage.documents.collection('enrollments');
    const stored = JSON.stringify(await records.get('E-1'));
    assert.ok(!stored.includes(PORTRAIT.slice(0, 200)), 'the image is not inside the record');
    assert.equal((await request(t.app).get(url('E-1'))).body.biometricData[0].image, PORTRAIT);
  });

  it('enrollmentId and status are read-only: refused (400) in a create, a PUT and a merge patch', async () => {
    const sent = { ...enrolment(), enrollmentId: 'forged', status: 'FINALIZED' };
    const refused = await request(t.app).post(url('E-ro')).send(sent);
    assert.equal(refused.status, 400);
    assert.match(refused.body.message, /read-?only/i);
    assert.equal((await request(t.app).get(url('E-ro'))).status, 404, 'nothing created');
    assert.equal((await request(t.app).post(url('E-ro')).send(enrolment())).status, 204);
    for (const body of [{ status: 'FINALIZED' }, { enrollmentId: 'x' }, { status: null }]) {
      for (const send of [request(t.app).put(url('E-ro')), request(t.app).patch(url('E-ro'))]) {
        const res = await send.send({ enrollmentType: 'CHANGED', ...body });
        assert.equal(res.status, 400, JSON.stringify(body));
        // `status: null` in a PUT is already refused by the request validator (not a string).
        assert.match(res.body.message, new RegExp(`${Object.keys(body)[0]}.*(read-?only|must be string)`, 'i'));
      }
    }
    const read = await request(t.app).get(url('E-ro'));
    assert.deepEqual([read.body.enrollmentId, read.body.status, read.body.enrollmentType], ['E-ro', 'IN_PROGRESS', 'CITIZEN']);
  });

  it('refuses bodies that violate the schema, and a missing transactionId, writing nothing', async () => {
    const bad = await request(t.app).post(url('E-bad')).send({ biometricData: [{ biometricType: 'NOSE' }] });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /biometricType/);
    assert.equal((await request(t.app).post('/enrollment/v1/enrollments/E-bad').send(enrolment())).status, 400);
    assert.equal((await request(t.app).get(url('E-bad'))).status, 404);
  });

  it('readEnrollment with attributes returns only those (dotted paths too), with id and status', async () => {
    const res = await request(t.app).get(url('E-1', '&attributes=enrollmentType&attributes=biographicData.lastName&attributes=nothing'));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      enrollmentId: 'E-1',
      status: 'IN_PROGRESS',
      enrollmentType: 'CITIZEN',
      biographicData: { lastName: 'Okafor' },
    });
  });

  it('updateEnrollment: members sent replace the stored ones, members left out stay', async () => {
    const res = await request(t.app).put(url('E-1')).send({ biographicData: { firstName: 'Chidi', lastName: 'Okafor-Nwosu' } });
    assert.equal(res.status, 204, res.text);
    const read = (await request(t.app).get(url('E-1'))).body;
    assert.deepEqual(read.biographicData, { firstName: 'Chidi', lastName: 'Okafor-Nwosu' });
    assert.equal(read.enrollmentType, 'CITIZEN');
    assert.equal(read.biometricData[0].image, PORTRAIT);
  });

  it('partialUpdateEnrollment applies an RFC 7396 merge patch (null deletes), also as merge-patch+json', async () => {
    const patch = { biographicData: { dateOfBirth: null, gender: 'M' }, enrollmentFlags: null };
    const res = await request(t.app)
      .patch(url('E-1'))
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify(patch));
    assert.equal(res.status, 204, res.text);
    const read = (await request(t.app).get(url('E-1'))).body;
    assert.deepEqual(read.biographicData, { firstName: 'Chidi', lastName: 'Okafor-Nwosu', gender: 'M' });
    assert.equal(read.enrollmentFlags, undefined);
  });

  it('a merge patch that would make the enrolment invalid is refused and nothing changes', async () => {
    const res = await request(t.app).patch(url('E-1')).send({ biometricData: [{ biometricSubType: 'PORTRAIT' }] });
    assert.equal(res.status, 400);
    assert.match(res.body.message, /would not be valid/);
    // OSIA's RequestData has no type, but the server writes requestData.issuance: it must be an object.
    for (const send of [request(t.app).patch(url('E-1')), request(t.app).put(url('E-1'))]) {
      const notObject = await send.send({ requestData: 'urgent' });
      assert.equal(notObject.status, 400);
      assert.match(notObject.body.message, /requestData must be a JSON object/);
    }
    const created = await request(t.app).post(url('E-rd')).send({ requestData: ['urgent'] });
    assert.deepEqual([created.status, (await request(t.app).get(url('E-rd'))).status], [400, 404]);
    const read = (await request(t.app).get(url('E-1'))).body;
    assert.equal(read.biometricData[0].biometricType, 'FACE');
    assert.deepEqual(read.requestData, enrolment().requestData);
  });

  it('finalizeEnrollment: FINALIZED; then updates, patches and buffers answer 409; finalising again answers 204', async () => {
    assert.equal((await request(t.app).post(url('E-fin')).send(enrolment())).status, 204);
    assert.equal((await request(t.app).put(`/enrollment/v1/enrollments/E-fin/finalize${TX}`)).status, 204);
    assert.equal((await request(t.app).get(url('E-fin'))).body.status, 'FINALIZED');
    const put = await request(t.app).put(url('E-fin')).send(enrolment('Changed'));
    assert.equal(put.status, 409);
    assert.match(put.body.message, /FINALIZED/);
    assert.equal((await request(t.app).patch(url('E-fin')).send({ enrollmentType: 'X' })).status, 409);
    const buffer = await request(t.app)
      .post(`/enrollment/v1/enrollments/E-fin/buffer${TX}`)
      .set('Content-Type', 'image/png')
      .send(Buffer.from('png'));
    assert.equal(buffer.status, 409);
    assert.equal((await request(t.app).put(`/enrollment/v1/enrollments/E-fin/finalize${TX}`)).status, 204);
    assert.equal((await request(t.app).get(url('E-fin'))).body.biographicData.lastName, 'Okafor');
  });

  it('finalize=true on create and on update finalises at once', async () => {
    assert.equal((await request(t.app).post(url('E-now', '&finalize=true')).send(enrolment())).status, 204);
    assert.equal((await request(t.app).get(url('E-now'))).body.status, 'FINALIZED');
    assert.equal((await request(t.app).post(url('E-upd')).send(enrolment())).status, 204);
    assert.equal((await request(t.app).put(url('E-upd', '&finalize=true')).send({ enrollmentType: 'RESIDENT' })).status, 204);
    const read = (await request(t.app).get(url('E-upd'))).body;
    assert.deepEqual([read.status, read.enrollmentType], ['FINALIZED', 'RESIDENT']);
  });

  it('requestData.issuance is server-managed: what clients send there is dropped', async () => {
    const sent = enrolment('Issa', { requestData: { priority: 1, issuance: { status: 'DONE', uin: '123' } } });
    assert.equal((await request(t.app).post(url('E-iss')).send(sent)).status, 204);
    assert.deepEqual((await request(t.app).get(url('E-iss'))).body.requestData, { priority: 1 });
  });

  it('unknown enrolments answer 404 on every operation', async () => {
    assert.equal((await request(t.app).get(url('nobody'))).status, 404);
    assert.equal((await request(t.app).put(url('nobody')).send(enrolment())).status, 404);
    assert.equal((await request(t.app).patch(url('nobody')).send({})).status, 404);
    assert.equal((await request(t.app).delete(url('nobody'))).status, 404);
    assert.equal((await request(t.app).put(`/enrollment/v1/enrollments/nobody/finalize${TX}`)).status, 404);
  });

  it('deleteEnrollment: 204 (FINALIZED ones too), then 404; its image blobs go with it', async () => {
    assert.equal((await request(t.app).post(url('E-del')).send(enrolment())).status, 204);
    const record = await (await t.storage.documents.collection('enrollments')).get('E-del');
    // The blobs the stored record names (the store keeps `{ blobRef }` in place of a binary).
    const [, blobId] = /"blobRef":"([^"]+)"/.exec(JSON.stringify(record)) ?? [];
    assert.ok(await t.storage.blobs.get(blobId as string));
    assert.equal((await request(t.app).delete(url('E-del'))).status, 204);
    assert.equal((await request(t.app).get(url('E-del'))).status, 404);
    assert.equal(await t.storage.blobs.get(blobId as string), undefined);
    assert.equal((await request(t.app).delete(url('E-now'))).status, 204);
  });

  it('findEnrollments: expressions with every operator, on plain names, properties and dotted paths; paging', async () => {
    for (const [id, name] of [['F-1', 'Adeyemi'], ['F-2', 'Bello'], ['F-3', 'Cisse']] as const) {
      assert.equal((await request(t.app).post(url(id)).send(enrolment(name, { enrollmentType: 'FIND' }))).status, 204);
    }
    const find = async (expressions: object[], paging = '') => {
      const res = await request(t.app).post(`/enrollment/v1/enrollments${TX}${paging}`).send(expressions);
      assert.equal(res.status, 200, res.text);
      return res.body.map((row: { enrollmentId: string }) => row.enrollmentId);
    };
    const type = { attributeName: 'enrollmentType', operator: '=', value: 'FIND' };
    assert.deepEqual(await find([type]), ['F-1', 'F-2', 'F-3']);
    assert.deepEqual(await find([type, { attributeName: 'lastName', operator: '=', value: 'Bello' }]), ['F-2']);
    assert.deepEqual(await find([type, { attributeName: 'biographicData.lastName', operator: '!=', value: 'Bello' }]), ['F-1', 'F-3']);
    assert.deepEqual(await find([type, { attributeName: 'lastName', operator: '<', value: 'Bello' }]), ['F-1']);
    assert.deepEqual(await find([type, { attributeName: 'lastName', operator: '<=', value: 'Bello' }]), ['F-1', 'F-2']);
    assert.deepEqual(await find([type, { attributeName: 'lastName', operator: '>', value: 'Bello' }]), ['F-3']);
    assert.deepEqual(await find([type, { attributeName: 'lastName', operator: '>=', value: 'Bello' }]), ['F-2', 'F-3']);
    assert.deepEqual(await find([type, { attributeName: 'status', operator: '=', value: 'IN_PROGRESS' }], '&offset=1&limit=1'), ['F-2']);
    assert.deepEqual(await find([{ attributeName: 'lastName', operator: '=', value: 'Nobody' }]), []);
    const full = await request(t.app).post(`/enrollment/v1/enrollments${TX}&limit=1`).send([type]);
    assert.equal(full.body[0].biometricData[0].image, PORTRAIT, 'results are whole enrolments');
    const bad = await request(t.app).post(`/enrollment/v1/enrollments${TX}`).send([{ attributeName: 'x', operator: '~', value: 1 }]);
    assert.equal(bad.status, 400);
    assert.equal((await request(t.app).post(`/enrollment/v1/enrollments${TX}&offset=-1`).send([type])).status, 400);
  });
});

describe('Enrollment: scopes', () => {
  const t = useTestApp({ interfaces: ['enrollment'], env: { OSIA_AUTH: 'on' } });

  it('enroll.write creates, enroll.read reads; the wrong scope answers 403, no token 401', async () => {
    const writer = await tokenFor(t.dataDir, 'enroll.write');
    const reader = await tokenFor(t.dataDir, 'enroll.read');
    assert.equal((await request(t.app).post(url('S-1')).send(enrolment())).status, 401);
    assert.equal((await request(t.app).post(url('S-1')).auth(reader, { type: 'bearer' }).send(enrolment())).status, 403);
    assert.equal((await request(t.app).post(url('S-1')).auth(writer, { type: 'bearer' }).send(enrolment())).status, 204);
    assert.equal((await request(t.app).get(url('S-1')).auth(writer, { type: 'bearer' })).status, 403);
    assert.equal((await request(t.app).get(url('S-1')).auth(reader, { type: 'bearer' })).status, 200);
    const upload = await request(t.app)
      .post(`/enrollment/v1/enrollments/S-1/buffer${TX}`)
      .auth(writer, { type: 'bearer' })
      .set('Content-Type', 'image/png')
      .send(Buffer.from('png'));
    assert.equal(upload.status, 403, 'buffers need enroll.buf.write');
  });
});
