/**
 * OSIA_WORKFLOW=issuance: from a finalised enrolment to an ISSUED credential, through the server's own UIN, PR and
 * CMS; a failed step leaves a clear state, and finalising again resumes without redoing what was done.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { openEnrollmentServices } from '../../src/enrollment/enrollment-services.js';
import { loadDocument } from '../../src/openapi/documents.js';
import { Store } from '../../src/storage/store.js';
import { PERSONS } from '../../src/registry/registry-records.js';
import { ISSUED_UINS } from '../../src/uin/uin-registry.js';
import { ISSUANCE_LEASE_MS } from '../../src/workflow/issuance-workflow.js';
import { createTestApp, type TestApp, testLogger } from '../support/test-app.js';

const TX = '?transactionId=tx-issuance';

const CATALOGUE = `
profiles:
  - credentialProfileId: RESIDENCE_PERMIT
    name: Residence permit
    credentialType: ID_CARD
    defaultLifetime: 1825
    producer: internal
`;

function enrollment(credentialProfileId?: string) {
  return {
    enrollmentType: 'CITIZEN',
    requestData: { priority: 2, requestType: 'FIRST_ISSUANCE', ...(credentialProfileId ? { credentialProfileId } : {}) },
    biographicData: { firstName: 'Amina', lastName: 'Diallo', dateOfBirth: '1990-04-12' },
    contextualData: { enrollmentDate: '2026-11-20' },
  };
}

async function catalogueFile(dir: string, content: string): Promise<string> {
  const file = path.join(dir, `profiles-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, content);
  return file;
}

async function issuanceOf(t: TestApp, enrollmentId: string) {
  const res = await request(t.app).get(`/enrollment/v1/enrollments/${enrollmentId}${TX}`);
  assert.equal(res.status, 200, res.text);
  return res.body.requestData.issuance;
}

describe('issuance workflow', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { OSIA_WORKFLOW: 'issuance' } });
    t = await reopen(t, CATALOGUE);
  });
  after(() => t.close());

  /** The same data directory with another credential catalogue (what an operator does to fix a missing profile). */
  async function reopen(current: TestApp, catalogue: string): Promise<TestApp> {
    const file = await catalogueFile(current.dataDir, catalogue);
    await current.storage.documents.close();
    return createTestApp({ dataDir: current.dataDir, env: { OSIA_WORKFLOW: 'issuance', OSIA_CREDENTIAL_PROFILES: file } });
  }

  it('finalising an enrolment issues the credential: UIN, reference identity, ISSUED credential request', async () => {
    const create = await request(t.app).post(`/enrollment/v1/enrollments/E-1${TX}&finalize=true`).send(enrollment('RESIDENCE_PERMIT'));
    assert.equal(create.status, 204, create.text);
    const issuance = await issuanceOf(t, 'E-1');
    assert.equal(issuance.status, 'DONE', JSON.stringify(issuance));
    assert.deepEqual(Object.keys(issuance.steps), [
      'checkRequest',
      'deduplicate',
      'generateUIN',
      'createPerson',
      'createIdentity',
      'reportDuplicate',
      'enrollFace',
      'validateIdentity',
      'defineReference',
      'createCredentialRequest',
    ]);
    assert.match(issuance.uin, /^\d{10}$/);
    assert.equal(issuance.credentialRequestStatus, 'ISSUED');

    const reference = await request(t.app).get(`/pr/v1/persons/${issuance.uin}/reference${TX}`);
    assert.equal(reference.status, 200, reference.text);
    assert.deepEqual(reference.body.biographicData, enrollment().biographicData);
    assert.equal(reference.body.status, 'VALID');
    assert.equal(reference.body.identityId, 'E-1');

    const credentialRequest = await request(t.app).get(`/cms/v1/credentialRequests/${issuance.credentialRequestId}${TX}`);
    assert.equal(credentialRequest.status, 200, credentialRequest.text);
    assert.equal(credentialRequest.body.status, 'ISSUED');
    assert.equal(credentialRequest.body.personId, issuance.uin);
    assert.equal(credentialRequest.body.requestData.priority, 2);
    assert.deepEqual(credentialRequest.body.credentialIds, issuance.credentialIds);
    const credential = await request(t.app).get(`/cms/v1/credentials/${issuance.credentialIds[0]}${TX}`);
    assert.equal(credential.status, 200, credential.text);
    assert.deepEqual([credential.body.personId, credential.body.credentialProfileId], [issuance.uin, 'RESIDENCE_PERMIT']);
    assert.equal(credential.body.status, 'ACTIVE');
  });

  it('an enrolment still IN_PROGRESS starts nothing; finalizeEnrollment starts the workflow', async () => {
    assert.equal((await request(t.app).post(`/enrollment/v1/enrollments/E-2${TX}`).send(enrollment('RESIDENCE_PERMIT'))).status, 204);
    assert.equal(await issuanceOf(t, 'E-2'), undefined);
    assert.equal((await request(t.app).put(`/enrollment/v1/enrollments/E-2/finalize${TX}`)).status, 204);
    assert.equal((await issuanceOf(t, 'E-2')).credentialRequestStatus, 'ISSUED');
  });

  it('finalising a DONE enrolment again changes nothing: same UIN, same credential request', async () => {
    const before = await issuanceOf(t, 'E-1');
    assert.equal((await request(t.app).put(`/enrollment/v1/enrollments/E-1/finalize${TX}`)).status, 204);
    const after = await issuanceOf(t, 'E-1');
    assert.deepEqual([after.status, after.uin, after.credentialIds], ['DONE', before.uin, before.credentialIds]);
    assert.equal(after.attempts, before.attempts + 1);
  });

  it('a request without a credential profile fails at its first step, before any UIN is drawn', async () => {
    assert.equal((await request(t.app).post(`/enrollment/v1/enrollments/E-3${TX}&finalize=true`).send(enrollment())).status, 204);
    const issuance = await issuanceOf(t, 'E-3');
    assert.equal(issuance.status, 'FAILED');
    assert.equal(issuance.failure.step, 'checkRequest');
    assert.match(issuance.failure.message, /credentialProfileId/);
    assert.equal(issuance.uin, undefined);
  });

  it('a profile missing from the catalogue fails at the CMS step; once the operator adds it, finalising again resumes with the same UIN', async () => {
    assert.equal((await request(t.app).post(`/enrollment/v1/enrollments/E-4${TX}&finalize=true`).send(enrollment('MOBILE_ID'))).status, 204);
    const failed = await issuanceOf(t, 'E-4');
    assert.deepEqual([failed.status, failed.failure.step], ['FAILED', 'createCredentialRequest']);
    assert.match(failed.failure.message, /MOBILE_ID/);
    assert.equal((await request(t.app).get(`/pr/v1/persons/${failed.uin}${TX}`)).status, 200, 'the person was created');

    t = await reopen(t, `${CATALOGUE}  - credentialProfileId: MOBILE_ID\n    name: Mobile ID\n    credentialType: MOBILE\n    defaultLifetime: 730\n    producer: internal\n`);
    assert.equal((await request(t.app).put(`/enrollment/v1/enrollments/E-4/finalize${TX}`)).status, 204);
    const done = await issuanceOf(t, 'E-4');
    assert.deepEqual([done.status, done.uin, done.failure], ['DONE', failed.uin, undefined]);
    assert.equal(done.credentialRequestStatus, 'ISSUED');
    assert.equal(done.attempts, 2);
    const identities = await request(t.app).get(`/pr/v1/persons/${done.uin}/identities${TX}`);
    assert.equal(identities.body.length, 1, 'the retry did not create a second identity');
  });

  it('two runs at once for one enrolment, from two apps on one store, issue one UIN and one person', async () => {
    // Another app on the same data directory: a second server process, with its own workflow.
    const file = await catalogueFile(t.dataDir, CATALOGUE);
    const other = await createTestApp({ dataDir: t.dataDir, env: { OSIA_WORKFLOW: 'issuance', OSIA_CREDENTIAL_PROFILES: file } });
    try {
      assert.equal((await request(t.app).post(`/enrollment/v1/enrollments/E-5${TX}`).send(enrollment('RESIDENCE_PERMIT'))).status, 204);
      const count = async () => [await (await t.storage.documents.collection(PERSONS.name)).count(), await (await t.storage.documents.collection(ISSUED_UINS)).count()];
      const before = await count();
      const finalize = (app: TestApp['app']) => request(app).put(`/enrollment/v1/enrollments/E-5/finalize${TX}`);
      const answers = await Promise.all([finalize(t.app), finalize(other.app)]);
      assert.deepEqual(answers.map((res) => res.status), [204, 204]);
      assert.deepEqual(await count(), before.map((n) => n + 1), 'one more person, one more UIN');
      const issuance = await issuanceOf(t, 'E-5');
      assert.equal(issuance.status, 'DONE');
      assert.equal((await request(t.app).get(`/pr/v1/persons/${issuance.uin}${TX}`)).status, 200);
    } finally {
      await other.storage.documents.close();
    }
  });

  it('a live lease (a run under way elsewhere) starts nothing; once expired (its process died), a run takes over', async () => {
    let now = new Date('2031-05-01T08:00:00Z');
    const file = await catalogueFile(t.dataDir, CATALOGUE);
    const clocked = await createTestApp({ clock: () => now, env: { OSIA_WORKFLOW: 'issuance', OSIA_CREDENTIAL_PROFILES: file } });
    try {
      const options = { clock: () => now, logger: testLogger(), leaseMs: ISSUANCE_LEASE_MS, relays: false };
      const { enrollments } = await openEnrollmentServices(new Store(clocked.storage), await loadDocument('enrollment'), options);
      assert.equal((await request(clocked.app).post(`/enrollment/v1/enrollments/E-6${TX}`).send(enrollment('RESIDENCE_PERMIT'))).status, 204);
      const until = new Date(now.getTime() + ISSUANCE_LEASE_MS).toISOString();
      const steps = { checkRequest: now.toISOString() };
      const crashed = { status: 'RUNNING', steps, credentialProfileId: 'RESIDENCE_PERMIT', attempts: 1, updatedAt: now.toISOString(), lease: { owner: 'crashed', until } };
      await enrollments.changeIssuance('E-6', () => crashed);
      const finalize = () => request(clocked.app).put(`/enrollment/v1/enrollments/E-6/finalize${TX}`);

      now = new Date(Date.parse(until) - 1000);
      assert.equal((await finalize()).status, 204);
      assert.deepEqual(await issuanceOf(clocked, 'E-6'), crashed, 'nothing started while the lease is live');

      now = new Date(Date.parse(until) + 1000);
      assert.equal((await finalize()).status, 204);
      const taken = await issuanceOf(clocked, 'E-6');
      assert.deepEqual([taken.status, taken.attempts, taken.steps.checkRequest], ['DONE', 2, steps.checkRequest], JSON.stringify(taken));
      assert.match(taken.uin, /^\d{10}$/);
      assert.notEqual(taken.lease.owner, 'crashed');
      assert.equal(taken.updatedAt, now.toISOString(), 'times come from the app clock');
    } finally {
      await clocked.close();
    }
  });
});
