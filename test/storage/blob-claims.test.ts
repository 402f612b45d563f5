/**
 * Every API write that stores binaries claims them in the batch of its record, and every change that drops them
 * releases them: afterwards the ledger of unclaimed blobs is empty, and a sweep long after deletes nothing that a
 * record still names.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { sweepUnclaimedBlobs } from '../../src/storage/blobs/blob-sweep.js';
import { credentialRequest, requestUrl } from '../cms/cms-fixtures.js';
import { claim, createIdentity, createPerson, TX } from '../support/registry-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const IMAGE = Buffer.alloc(3000, 7).toString('base64');
const OTHER_IMAGE = Buffer.alloc(3000, 9).toString('base64');
const A_DAY_LATER = () => new Date(Date.now() + 86_400_000);
const face = (image: string) => ({ biometricData: [{ biometricType: 'FACE', image, mimeType: 'image/png' }] });

describe('blob claims through the API', () => {
  let t: TestApp;
  const unclaimed = async () => (await t.storage.documents.collection('blobs_unclaimed')).count();

  before(async () => {
    t = await createTestApp({ interfaces: ['pr', 'enrollment', 'cms'] });
  });
  after(() => t.close());

  it('PR: creating, replacing and deleting identities leaves no unclaimed blob, and the sweep keeps the images', async () => {
    await createPerson(t, 'P-1');
    await createIdentity(t, 'P-1', 'KEPT', claim({}, face(IMAGE)));
    await createIdentity(t, 'P-1', 'REPLACED', claim({}, face(IMAGE)));
    await createIdentity(t, 'P-1', 'DELETED', claim({}, face(IMAGE)));
    const replaced = await request(t.app).put(`/pr/v1/persons/P-1/identities/REPLACED${TX}`).send(claim({}, face(OTHER_IMAGE)));
    assert.equal(replaced.status, 204);
    assert.equal((await request(t.app).delete(`/pr/v1/persons/P-1/identities/DELETED${TX}`)).status, 204);
    const duplicate = await request(t.app).post(`/pr/v1/persons/P-1/identities/KEPT${TX}`).send(claim({}, face(OTHER_IMAGE)));
    assert.equal(duplicate.status, 409, 'a refused write stores nothing');
    assert.equal(await unclaimed(), 0);
    assert.equal(await sweepUnclaimedBlobs(t.storage.blobs, A_DAY_LATER()), 0);
    const image = async (id: string) =>
      (await request(t.app).get(`/pr/v1/persons/P-1/identities/${id}${TX}`)).body.biometricData[0].image as string;
    assert.equal(await image('KEPT'), IMAGE);
    assert.equal(await image('REPLACED'), OTHER_IMAGE);
  });

  it('Enrollment: enrolments, their updates and buffers claim their blobs; deleting releases them', async () => {
    const url = (id: string, rest = '') => `/enrollment/v1/enrollments/${id}${rest}${TX}`;
    assert.equal((await request(t.app).post(url('E-1')).send({ enrollmentType: 'CITIZEN', ...face(IMAGE) })).status, 204);
    assert.equal((await request(t.app).put(url('E-1')).send({ enrollmentType: 'CITIZEN', ...face(OTHER_IMAGE) })).status, 204);
    const buffer = await request(t.app).post(url('E-1', '/buffer')).set('Content-Type', 'image/png').send(Buffer.alloc(500, 3));
    assert.equal(buffer.status, 201);
    assert.equal((await request(t.app).post(url('E-2')).send({ enrollmentType: 'CITIZEN', ...face(IMAGE) })).status, 204);
    assert.equal((await request(t.app).delete(url('E-2'))).status, 204);
    assert.equal(await unclaimed(), 0);
    assert.equal(await sweepUnclaimedBlobs(t.storage.blobs, A_DAY_LATER()), 0);
    assert.equal((await request(t.app).get(url('E-1'))).body.biometricData[0].image, OTHER_IMAGE);
    const read = await request(t.app).get(url('E-1', `/buffer/${buffer.body.bufferId}`));
    assert.deepEqual([read.status, read.body], [200, Buffer.alloc(500, 3)]);
  });

  it('CMS: a credential request keeps its biometric data as claimed blobs', async () => {
    const body = { ...credentialRequest(), ...face(IMAGE) };
    assert.equal((await request(t.app).post(requestUrl('CR-1')).send(body)).status, 201);
    assert.equal(await unclaimed(), 0);
    assert.equal(await sweepUnclaimedBlobs(t.storage.blobs, A_DAY_LATER()), 0);
    assert.equal((await request(t.app).get(requestUrl('CR-1'))).body.biometricData[0].image, IMAGE);
  });
});
