/**
 * Issuance with the ABIS served: the enrolment's face is identified in the national gallery before a UIN is drawn.
 * Another capture of an enrolled face stops the workflow as a possible duplicate and publishes duplicatePerson; a
 * different face goes through and is enrolled under the new person; no FACE, or no ABIS, goes on "not deduplicated".
 * Real portraits cut from the face-api demo photos (test/support/face-photos.ts).
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { demoPortraits, faceItem } from '../support/abis-fixtures.js';
import { VARIANTS } from '../support/face-photos.js';
import { openEnrollmentServices } from '../../src/enrollment/enrollment-services.js';
import { loadDocument } from '../../src/openapi/documents.js';
import { systemClock } from '../../src/shared/clock.js';
import { Store } from '../../src/storage/store.js';
import { ISSUANCE_LEASE_MS } from '../../src/workflow/issuance-workflow.js';
import { createTestApp, type TestApp, testLogger } from '../support/test-app.js';
import { eventsFile } from '../flows/flow-fixtures.js';

const TX = '?transactionId=tx-dedup';

const CATALOGUE = `
profiles:
  - credentialProfileId: RESIDENCE_PERMIT
    name: Residence permit
    credentialType: ID_CARD
    defaultLifetime: 1825
    producer: internal
`;

const EVENTS = `
source: pr.test
components:
  pr:
    engine: local
    publishes: [duplicatePerson]
`;

function enrollment(firstName: string, faces: Record<string, unknown>[]) {
  return {
    enrollmentType: 'CITIZEN',
    requestData: { priority: 2, credentialProfileId: 'RESIDENCE_PERMIT' },
    biographicData: { firstName, lastName: 'Diallo', dateOfBirth: '1990-04-12' },
    ...(faces.length > 0 ? { biometricData: faces } : {}),
  };
}

async function issuanceOf(t: TestApp, enrollmentId: string) {
  const read = await request(t.app).get(`/enrollment/v1/enrollments/${enrollmentId}${TX}`);
  assert.equal(read.status, 200, read.text);
  return read.body.requestData.issuance;
}

/** Creates the enrolment finalised (the workflow runs before the answer); resolves the workflow's state. */
async function finalise(t: TestApp, enrollmentId: string, body: object) {
  const res = await request(t.app).post(`/enrollment/v1/enrollments/${enrollmentId}${TX}&finalize=true`).send(body);
  assert.equal(res.status, 204, res.text);
  return issuanceOf(t, enrollmentId);
}

/** Finalises the enrolment again (how a stopped or failed workflow is run again). */
async function refinalise(t: TestApp, enrollmentId: string) {
  assert.equal((await request(t.app).put(`/enrollment/v1/enrollments/${enrollmentId}/finalize${TX}`)).status, 204);
  return issuanceOf(t, enrollmentId);
}

async function published(t: TestApp): Promise<unknown[]> {
  const outbox = await t.storage.documents.collection('pr_event_outbox');
  return (await outbox.find({})).map((record) => JSON.parse(String(record.message)));
}

describe('issuance deduplication against the national gallery', () => {
  let t: TestApp;
  let faceA: Record<string, unknown>;
  let faceA2: Record<string, unknown>;
  let faceB: Record<string, unknown>;
  let imageC: Buffer = Buffer.alloc(0);
  before(async () => {
    const [a, b, c] = (await demoPortraits()).filter((portrait) => portrait.photo === 'sample1.jpg');
    assert.ok(c, 'a third person of that photo');
    imageC = c.image;
    const variant = VARIANTS['JPEG at quality 20'];
    assert.ok(a && b && variant, 'two people of one photo');
    faceA = faceItem(a.image);
    faceA2 = faceItem(await variant(a));
    faceB = faceItem(b.image);
    const dir = path.dirname(await eventsFile(EVENTS));
    const catalogue = path.join(dir, 'profiles.yaml');
    await writeFile(catalogue, CATALOGUE);
    const env = { OSIA_WORKFLOW: 'issuance', OSIA_CREDENTIAL_PROFILES: catalogue, OSIA_EVENTS: path.join(dir, 'events.yaml') };
    t = await createTestApp({ env });
  });
  after(() => t.close());

  let uinA = '';

  it('a first face is unique: the workflow issues, and the face is enrolled in the national gallery under the UIN', async () => {
    const issuance = await finalise(t, 'E-A1', enrollment('Awa', [faceA]));
    assert.equal(issuance.status, 'DONE', JSON.stringify(issuance));
    assert.deepEqual(issuance.deduplication, { result: 'UNIQUE', gallery: 'national', encounterId: 'E-A1' });
    uinA = issuance.uin;
    const enrolled = await request(t.app).get(`/abis/v1/persons/${uinA}/encounters/E-A1${TX}`);
    assert.equal(enrolled.status, 200, enrolled.text);
    assert.deepEqual([enrolled.body.galleries, enrolled.body.encounterType, enrolled.body.status], [['national'], 'CITIZEN', 'ACTIVE']);
    assert.equal(enrolled.body.biometricData[0].image, faceA.image);
  });

  it('another capture of that face stops as a possible duplicate, with the person in the PR and duplicatePerson published', async () => {
    const issuance = await finalise(t, 'E-A2', enrollment('Awa', [faceA2]));
    assert.equal(issuance.status, 'POSSIBLE_DUPLICATE', JSON.stringify(issuance));
    assert.equal(issuance.deduplication.result, 'POSSIBLE_DUPLICATE');
    assert.equal(issuance.deduplication.candidates[0].personId, uinA);
    assert.ok(issuance.deduplication.candidates[0].score >= 0.4);
    assert.equal(issuance.credentialRequestId, undefined, 'no credential for a possible duplicate');
    assert.deepEqual(Object.keys(issuance.steps), ['checkRequest', 'deduplicate', 'generateUIN', 'createPerson', 'createIdentity', 'reportDuplicate']);

    const identity = await request(t.app).get(`/pr/v1/persons/${issuance.uin}/identities/E-A2${TX}`);
    assert.equal(identity.status, 200, identity.text);
    assert.equal(identity.body.status, 'CLAIMED', 'neither validated nor the reference');
    assert.equal((await request(t.app).get(`/pr/v1/persons/${issuance.uin}/reference${TX}`)).status, 404);
    assert.equal((await request(t.app).get(`/abis/v1/persons/${issuance.uin}/encounters${TX}`)).status, 404, 'the face is not enrolled');
    assert.deepEqual(await published(t), [{ source: 'pr.test', uin: uinA, duplicates: [issuance.uin] }]);

    // Finalising again stops at the same place, same UIN, without announcing again.
    const again = await refinalise(t, 'E-A2');
    assert.deepEqual([again.status, again.uin, again.attempts], ['POSSIBLE_DUPLICATE', issuance.uin, 2]);
    assert.equal((await published(t)).length, 1);
  });

  it('a different face goes through and is enrolled under its own person', async () => {
    const issuance = await finalise(t, 'E-B', enrollment('Binta', [faceB]));
    assert.equal(issuance.status, 'DONE', JSON.stringify(issuance));
    assert.equal(issuance.deduplication.result, 'UNIQUE');
    assert.notEqual(issuance.uin, uinA);
    const encounters = await request(t.app).get(`/abis/v1/persons/${issuance.uin}/encounters${TX}`);
    assert.deepEqual(
      encounters.body.map((encounter: { encounterId: string }) => encounter.encounterId),
      ['E-B'],
    );
    const gallery = await request(t.app).get(`/abis/v1/galleries/national${TX}`);
    assert.deepEqual(
      gallery.body.map((row: { personId: string }) => row.personId).sort(),
      [uinA, issuance.uin].sort(),
    );
  });

  it('a run that died after enrolling the face, before recording it, resumes: the encounter is found (409) and kept', async () => {
    const options = { clock: systemClock, logger: testLogger(), leaseMs: ISSUANCE_LEASE_MS, relays: false };
    const { enrollments } = await openEnrollmentServices(new Store(t.storage), await loadDocument('enrollment'), options);
    const done = await issuanceOf(t, 'E-B');
    const { enrollFace: _enrolled, validateIdentity: _v, defineReference: _d, createCredentialRequest: _c, ...before } = done.steps;
    const { lease: _lease, ...rest } = done;
    await enrollments.changeIssuance('E-B', () => ({ ...rest, status: 'FAILED', steps: before }));

    const resumed = await refinalise(t, 'E-B');
    assert.deepEqual([resumed.status, resumed.uin, resumed.deduplication.encounterId], ['DONE', done.uin, 'E-B'], JSON.stringify(resumed));
    const encounters = await request(t.app).get(`/abis/v1/persons/${done.uin}/encounters${TX}`);
    assert.equal(encounters.body.length, 1);
  });

  it('a FACE uploaded as a buffer of the enrolment (imageRef) is deduplicated and enrolled like an embedded one', async () => {
    const url = `/enrollment/v1/enrollments/E-C${TX}`;
    assert.equal((await request(t.app).post(url).send(enrollment('Coumba', []))).status, 204);
    const upload = await request(t.app).post(`/enrollment/v1/enrollments/E-C/buffer${TX}`).set('Content-Type', 'image/png').send(imageC);
    assert.equal(upload.status, 201, upload.text);
    const imageRef = `https://id.example.gov/enrollment/v1/enrollments/E-C/buffer/${upload.body.bufferId}`;
    const finalised = await request(t.app).put(`${url}&finalize=true`).send({ biometricData: [{ biometricType: 'FACE', imageRef }] });
    assert.equal(finalised.status, 204, finalised.text);
    const issuance = await issuanceOf(t, 'E-C');
    assert.equal(issuance.status, 'DONE', JSON.stringify(issuance));
    assert.equal(issuance.deduplication.result, 'UNIQUE');
    const enrolled = await request(t.app).get(`/abis/v1/persons/${issuance.uin}/encounters/E-C${TX}`);
    assert.equal(enrolled.body.biometricData[0].image, imageC.toString('base64'), 'the buffer\'s bytes');
    const identity = await request(t.app).get(`/pr/v1/persons/${issuance.uin}/identities/E-C${TX}`);
    assert.equal(identity.body.biometricData[0].imageRef, imageRef, 'the PR identity keeps the reference');
  });

  it('an enrolment without a FACE image goes on, recorded as not deduplicated', async () => {
    const issuance = await finalise(t, 'E-N', enrollment('Nafi', [{ biometricType: 'FINGER', biometricSubType: 'RIGHT_INDEX', image: 'AAAA' }]));
    assert.equal(issuance.status, 'DONE', JSON.stringify(issuance));
    assert.deepEqual(issuance.deduplication, { result: 'NOT_DEDUPLICATED', reason: 'the enrolment has no FACE image' });
    assert.equal((await request(t.app).get(`/abis/v1/persons/${issuance.uin}/encounters${TX}`)).status, 404);
  });

  it('a portrait without a face fails the deduplication with the engine\'s reason, before any UIN is drawn', async () => {
    const blank = { biometricType: 'FACE', image: Buffer.from('not an image').toString('base64') };
    const issuance = await finalise(t, 'E-X', enrollment('Xavier', [blank]));
    assert.deepEqual([issuance.status, issuance.failure.step, issuance.uin], ['FAILED', 'deduplicate', undefined]);
    assert.match(issuance.failure.message, /read|image/i);
  });
});

describe('issuance without an ABIS', () => {
  let t: TestApp;
  before(async () => {
    const dir = path.dirname(await eventsFile(EVENTS));
    const catalogue = path.join(dir, 'profiles.yaml');
    await writeFile(catalogue, CATALOGUE);
    t = await createTestApp({ interfaces: ['enrollment', 'uin', 'pr', 'cms'], env: { OSIA_WORKFLOW: 'issuance', OSIA_CREDENTIAL_PROFILES: catalogue } });
  });
  after(() => t.close());

  it('behaves as before, recorded as not deduplicated', async () => {
    const issuance = await finalise(t, 'E-1', enrollment('Awa', [{ biometricType: 'FACE', image: 'AAAA' }]));
    assert.equal(issuance.status, 'DONE', JSON.stringify(issuance));
    assert.deepEqual(issuance.deduplication, { result: 'NOT_DEDUPLICATED', reason: 'no ABIS: the biometrics interface is not served' });
    assert.equal(issuance.credentialRequestStatus, 'ISSUED');
  });
});
