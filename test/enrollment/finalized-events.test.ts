/**
 * The enrolment service as the issuance workflow uses it: `enrollmentFinalized` through the durable outbox (run after
 * the write, and only for finalising changes), `read`, and the server-managed `requestData.issuance` of `changeIssuance`.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { openEnrollmentServices } from '../../src/enrollment/enrollment-services.js';
import { systemClock } from '../../src/shared/clock.js';
import { NotFoundError } from '../../src/shared/domain-errors.js';
import { loadDocument } from '../../src/openapi/documents.js';
import { Store } from '../../src/storage/store.js';
import { testLogger } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';

type Service = Awaited<ReturnType<typeof openEnrollmentServices>>['enrollments'];

describe('Enrollment service: enrollmentFinalized and the issuance record', () => {
  const t = useTestApp({ interfaces: ['enrollment'] });
  let enrollments: Service;
  /** Every event received, with the status the listener read: the write is committed before the event leaves. */
  const seen: string[] = [];

  before(async () => {
    const options = { clock: systemClock, logger: testLogger(), leaseMs: 60_000, relays: true };
    const services = await openEnrollmentServices(new Store(t.storage), await loadDocument('enrollment'), options);
    ({ enrollments } = services);
    services.finalized.react(async ({ enrollmentId, transactionId }) => {
      const { status } = await enrollments.read(enrollmentId);
      // What the workflow does: a write at the enrolment's version, so the event must leave after the finalising write.
      await enrollments.changeIssuance(enrollmentId, () => ({ status: 'STARTED', transactionId }));
      seen.push(`${enrollmentId} ${transactionId} ${status}`);
    });
  });

  const change = (enrollmentId: string, transactionId: string, finalize = false) => ({ enrollmentId, transactionId, finalize });
  const drain = () => seen.splice(0);

  it('is announced when an enrolment becomes FINALIZED, by any operation, and again when finalised again', async () => {
    await enrollments.create(change('V-1', 'tx-c'), { enrollmentType: 'CITIZEN' });
    await enrollments.patch(change('V-1', 'tx-p'), { enrollmentType: 'RESIDENT' });
    assert.deepEqual(drain(), [], 'no event while in progress');
    await enrollments.finalize(change('V-1', 'tx-f'));
    await enrollments.finalize(change('V-1', 'tx-f2'));
    await enrollments.create(change('V-2', 'tx-c2', true), { enrollmentType: 'CITIZEN' });
    await enrollments.create(change('V-3', 'tx-c3'), {});
    await enrollments.update(change('V-3', 'tx-u3', true), { enrollmentType: 'CITIZEN' });
    await enrollments.create(change('V-4', 'tx-c4'), {});
    await enrollments.patch(change('V-4', 'tx-p4', true), { enrollmentType: 'CITIZEN' });
    assert.deepEqual(drain(), [
      'V-1 tx-f FINALIZED',
      'V-1 tx-f2 FINALIZED',
      'V-2 tx-c2 FINALIZED',
      'V-3 tx-u3 FINALIZED',
      'V-4 tx-p4 FINALIZED',
    ]);
  });

  it('is not announced for a refused change', async () => {
    await assert.rejects(enrollments.update(change('V-1', 'tx-x', true), { enrollmentType: 'X' }), { kind: 'conflict' });
    await assert.rejects(enrollments.create(change('V-1', 'tx-y', true), {}), { kind: 'conflict' });
    await assert.rejects(enrollments.finalize(change('nobody', 'tx-z')), NotFoundError);
    assert.deepEqual(drain(), []);
  });

  it('changeIssuance writes requestData.issuance on a FINALIZED enrolment; readEnrollment shows it', async () => {
    await enrollments.create(change('V-5', 'tx-5'), { requestData: { priority: 2 } });
    await enrollments.finalize(change('V-5', 'tx-5f'));
    await enrollments.changeIssuance('V-5', () => ({ status: 'DONE', uin: '4711', steps: { 'a.b': 1 } }));
    let seenRecorded: unknown;
    const left = await enrollments.changeIssuance('V-5', (recorded) => {
      seenRecorded = recorded;
      return undefined;
    });
    assert.deepEqual([seenRecorded, left], Array(2).fill({ status: 'DONE', uin: '4711', steps: { 'a.b': 1 } }), 'undefined leaves it as recorded');
    const read = await request(t.app).get('/enrollment/v1/enrollments/V-5?transactionId=tx-r');
    assert.equal(read.status, 200, read.text);
    assert.deepEqual(read.body.requestData, { priority: 2, issuance: { status: 'DONE', uin: '4711', steps: { 'a.b': 1 } } });
    assert.equal(read.body.status, 'FINALIZED');
    await assert.rejects(enrollments.changeIssuance('nobody', () => ({})), NotFoundError);
    await assert.rejects(enrollments.read('nobody'), NotFoundError);
  });

  it('clients cannot write requestData.issuance: PUT and merge patch keep the server’s value', async () => {
    await enrollments.create(change('V-6', 'tx-6'), { requestData: { priority: 1 } });
    await enrollments.changeIssuance('V-6', () => ({ status: 'FAILED' }));
    await enrollments.update(change('V-6', 'tx-6u'), { requestData: { priority: 3, issuance: { status: 'DONE' } } });
    assert.deepEqual((await enrollments.read('V-6')).requestData, { priority: 3, issuance: { status: 'FAILED' } });
    await enrollments.patch(change('V-6', 'tx-6p'), { requestData: { issuance: null } });
    assert.deepEqual((await enrollments.read('V-6')).requestData, { priority: 3, issuance: { status: 'FAILED' } });
    await enrollments.patch(change('V-6', 'tx-6n'), { requestData: null });
    assert.deepEqual((await enrollments.read('V-6')).requestData, { issuance: { status: 'FAILED' } });
    await enrollments.create(change('V-7', 'tx-7'), { requestData: null });
    await enrollments.changeIssuance('V-7', () => ({ status: 'STARTED' }));
    assert.deepEqual((await enrollments.read('V-7')).requestData, { issuance: { status: 'STARTED' } });
  });
});
