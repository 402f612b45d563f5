/** Enrolment buffers: raw uploads kept byte-identical, RFC 3230 digests, references from imageRef/dataRef. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { useTestApp } from '../support/use-test-app.js';
import { binaryBody } from '../support/binary-body.js';

const TX = '?transactionId=tx-buffer';
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(5000, 0xab)]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n\u00e9\u0000binary');

const digest = (algorithm: string, data: Buffer) => createHash(algorithm).update(data).digest('base64');
const bufferUrl = (enrollmentId: string, bufferId: string) => `/enrollment/v1/enrollments/${enrollmentId}/buffer/${bufferId}`;

describe('Enrollment: buffers', () => {
  const upload = (enrollmentId: string, data: Buffer, type: string, digestHeader?: string) => {
    const call = request(t.app).post(`/enrollment/v1/enrollments/${enrollmentId}/buffer${TX}`).set('Content-Type', type);
    return (digestHeader ? call.set('Digest', digestHeader) : call).send(data);
  };
  const read = (enrollmentId: string, bufferId: string) =>
    request(t.app)
      .get(`${bufferUrl(enrollmentId, bufferId)}${TX}`)
      .buffer(true)
      .parse(binaryBody);

  const t = useTestApp({ interfaces: ['enrollment'] });
  before(async () => {
    for (const id of ['B-1', 'B-2']) {
      const res = await request(t.app).post(`/enrollment/v1/enrollments/${id}${TX}`).send({ enrollmentType: 'CITIZEN' });
      assert.equal(res.status, 204);
    }
  });

  it('createBuffer: 201 {bufferId}; readBuffer gives the same bytes, Content-Type and a SHA-256 Digest', async () => {
    for (const [data, type] of [
      [PNG, 'image/png'],
      [PDF, 'application/pdf'],
    ] as const) {
      const created = await upload('B-1', data, type, `SHA-256=${digest('sha256', data)}`);
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(Object.keys(created.body), ['bufferId']);
      const res = await read('B-1', created.body.bufferId);
      assert.equal(res.status, 200);
      assert.ok(Buffer.compare(res.body as Buffer, data) === 0, 'byte-identical');
      assert.equal(res.headers['content-type'], type);
      assert.equal(res.headers.digest, `SHA-256=${digest('sha256', data)}`);
    }
  });

  it('the bytes live in the blob store, not in a record', async () => {
    const created = await upload('B-1', PNG, 'image/png');
    const record = await (await t.storage.documents.collection('enrollment_buffers')).get(created.body.bufferId);
    assert.ok(record);
    assert.ok(!JSON.stringify(record).includes(PNG.toString('base64').slice(0, 100)));
    assert.equal(record.size, PNG.length);
  });

  it('accepts several digests and ignores unknown algorithms; refuses any known one that does not match, storing nothing', async () => {
    const good = `SHA=${digest('sha1', PDF)}, UNIXsum=30637,, SHA-512=${digest('sha512', PDF)}, md5=${digest('md5', PDF)}`;
    assert.equal((await upload('B-1', PDF, 'application/pdf', good)).status, 201);
    const buffers = await t.storage.documents.collection('enrollment_buffers');
    const before = await buffers.count({});
    const bad = await upload('B-1', PDF, 'application/pdf', `SHA-256=${digest('sha256', PNG)}`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /SHA-256 digest does not match/);
    assert.equal((await upload('B-1', PDF, 'application/pdf', 'garbage')).status, 400);
    assert.equal(await buffers.count({}), before, 'nothing stored');
  });

  it('keeps JSON as raw bytes; refuses a text body (415: not image/* nor application/*) and an empty one', async () => {
    const json = await request(t.app)
      .post(`/enrollment/v1/enrollments/B-1/buffer${TX}`)
      .set('Content-Type', 'application/json')
      .send('{"a": 1}');
    assert.equal(json.status, 201, 'JSON is an application/* type: kept as raw bytes');
    const back = await read('B-1', json.body.bufferId);
    assert.deepEqual([back.body.toString(), back.headers['content-type']], ['{"a": 1}', 'application/json']);
    assert.equal((await upload('B-1', Buffer.from('hello'), 'text/plain')).status, 415);
    assert.equal((await upload('B-1', Buffer.alloc(0), 'image/png')).status, 400);
  });

  it('404 for an unknown enrolment, an unknown buffer, and a buffer of another enrolment', async () => {
    assert.equal((await upload('nobody', PNG, 'image/png')).status, 404);
    const created = await upload('B-1', PNG, 'image/png');
    assert.equal((await read('B-1', 'no-such-buffer')).status, 404);
    assert.equal((await read('B-2', created.body.bufferId)).status, 404);
    assert.equal((await read('nobody', created.body.bufferId)).status, 404);
  });

  it('imageRef and dataRef may name buffers of the same enrolment; other buffers of this server are refused', async () => {
    const image = (await upload('B-2', PNG, 'image/png')).body.bufferId;
    const page = (await upload('B-2', PDF, 'application/pdf')).body.bufferId;
    const foreign = (await upload('B-1', PNG, 'image/png')).body.bufferId;
    const ok = await request(t.app)
      .patch(`/enrollment/v1/enrollments/B-2${TX}`)
      .send({
        biometricData: [{ biometricType: 'FACE', imageRef: `https://enrol.example${bufferUrl('B-2', image)}` }],
        documentData: [{ documentType: 'BIRTH_CERTIFICATE', parts: [{ pages: [1], dataRef: `https://enrol.example${bufferUrl('B-2', page)}` }] }],
      });
    assert.equal(ok.status, 204, ok.text);
    for (const path of [bufferUrl('B-1', foreign), bufferUrl('B-2', 'missing'), bufferUrl('B-2', foreign)]) {
      const ref = `https://enrol.example${path}`;
      const refused = await request(t.app)
        .patch(`/enrollment/v1/enrollments/B-2${TX}`)
        .send({ biometricData: [{ biometricType: 'FACE', imageRef: ref }] });
      assert.equal(refused.status, 400, ref);
      assert.match(refused.body.message, /not a buffer of this enrollment/);
    }
    const relative = await request(t.app)
      .patch(`/enrollment/v1/enrollments/B-2${TX}`)
      .send({ biometricData: [{ biometricType: 'FACE', imageRef: bufferUrl('B-2', image) }] });
    assert.equal(relative.status, 400, 'imageRef is a format: uri, so absolute');
    assert.match(relative.body.message, /format "uri"/);
    const elsewhere = await request(t.app)
      .patch(`/enrollment/v1/enrollments/B-2${TX}`)
      .send({ biometricData: [{ biometricType: 'FACE', imageRef: 'https://images.example/portrait.png' }] });
    assert.equal(elsewhere.status, 204, 'other URIs are the client’s business');
  });

  it('deleting an enrolment deletes its buffers and their bytes', async () => {
    const created = await upload('B-2', PNG, 'image/png');
    const buffers = await t.storage.documents.collection('enrollment_buffers');
    // The blob the stored record names (the store keeps `{ blobRef }` in place of the bytes).
    const [, blobId] = /"blobRef":"([^"]+)"/.exec(JSON.stringify(await buffers.get(created.body.bufferId))) ?? [];
    assert.ok(blobId && (await t.storage.blobs.get(blobId)));
    assert.equal((await request(t.app).delete(`/enrollment/v1/enrollments/B-2${TX}`)).status, 204);
    assert.equal(await buffers.count({ enrollmentId: 'B-2' }), 0);
    assert.equal(await t.storage.blobs.get(blobId), undefined);
  });

  it('a buffer stored before the unit of work (its blob named by `blobId`) is read, and goes with its enrolment', async () => {
    assert.equal((await request(t.app).post(`/enrollment/v1/enrollments/B-old${TX}`).send({ enrollmentType: 'CITIZEN' })).status, 204);
    const blobId = await t.storage.blobs.put({ contentType: 'application/pdf', data: PDF });
    const legacy = { _id: 'old-1', enrollmentId: 'B-old', blobId, contentType: 'application/pdf', size: PDF.length, sha256: digest('sha256', PDF), createdDate: '2026-01-01T00:00:00.000Z' };
    await t.storage.documents.applyAtomically([{ collection: 'enrollment_buffers', op: 'insert', doc: legacy }, ...t.storage.blobs.claim([blobId])]);
    const res = await read('B-old', 'old-1');
    assert.equal(res.status, 200);
    assert.ok(Buffer.compare(res.body as Buffer, PDF) === 0);
    assert.equal(res.headers.digest, `SHA-256=${digest('sha256', PDF)}`);
    assert.equal((await request(t.app).delete(`/enrollment/v1/enrollments/B-old${TX}`)).status, 204);
    assert.equal(await t.storage.blobs.get(blobId), undefined, 'released and deleted with its enrolment');
  });
});
