/** The audit trail records who touched whose data, and the access report returns it for the right person only. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { useTestApp } from '../support/use-test-app.js';
import { tokenFor } from '../support/tokens.js';

describe('audit trail and access report', () => {
  let auditor: string;
  const statuses: Record<string, number> = {};
  const t = useTestApp({ env: { OSIA_AUTH: 'on' } });
  before(async () => {
    auditor = await tokenFor(t.dataDir, 'audit.read', 'ombudsman', 'ombudsman-office');
    const bank = await tokenFor(t.dataDir, 'pr.person.read', 'teller-7', 'first-bank');
    const police = await tokenFor(t.dataDir, 'pr.person.read', 'officer-12', 'police');
    statuses.bank = (
      await request(t.app).get('/dataaccess/v1/persons/UIN-1?attributeNames=firstName').set('Authorization', `Bearer ${bank}`)
    ).status;
    statuses.police = (
      await request(t.app).get('/pr/v1/persons/UIN-2?transactionId=tx-police-1').set('Authorization', `Bearer ${police}`)
    ).status;
  });

  const report = (personId: string, query = '') =>
    request(t.app).get(`/audit/v1/persons/${personId}/accesses${query}`).set('Authorization', `Bearer ${auditor}`);

  it('reports who accessed a person, through which operation, transaction and client', async () => {
    const res = await report('UIN-2');
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 1);
    const [access] = res.body;
    assert.equal(access.operationId, 'readPerson');
    assert.equal(access.interface, 'pr');
    assert.equal(access.subject, 'officer-12');
    assert.equal(access.client, 'police');
    assert.equal(access.transactionId, 'tx-police-1');
    assert.equal(access.status, statuses.police);
    assert.ok(Date.now() - Date.parse(access.time) < 60_000);
  });

  it('returns each person their own accesses only', async () => {
    const res = await report('UIN-1');
    assert.deepEqual(
      res.body.map((access: { operationId: string; client: string }) => [access.operationId, access.client]),
      [['readPersonAttributes', 'first-bank']],
    );
    assert.deepEqual((await report('UIN-never-seen')).body, []);
  });

  it('records the attribute names a read names, never their values', async () => {
    const [read] = (await report('UIN-1')).body;
    assert.deepEqual(read.attributes, ['firstName']);
    assert.equal((await report('UIN-2')).body[0].attributes, undefined, 'readPerson names none');
  });

  it('records reading a report too, and pages', async () => {
    await report('UIN-2');
    const page = await report('UIN-2', '?offset=1&limit=1');
    assert.equal(page.body.length, 1);
    assert.equal(page.body[0].operationId, 'readPersonAccesses');
    assert.equal(page.body[0].subject, 'ombudsman');
  });

  it('needs the audit.read scope, and offers no way to change the trail', async () => {
    const other = await tokenFor(t.dataDir, 'pr.person.read');
    const res = await request(t.app).get('/audit/v1/persons/UIN-1/accesses').set('Authorization', `Bearer ${other}`);
    assert.equal(res.status, 403);
    for (const method of ['delete', 'put', 'post', 'patch'] as const) {
      const attempt = await request(t.app)[method]('/audit/v1/persons/UIN-1/accesses').set('Authorization', `Bearer ${auditor}`);
      assert.equal(attempt.status, 405, method);
    }
  });

  it('stores ids and outcomes, never the personal data of the request', async () => {
    const writer = await tokenFor(t.dataDir, 'pr.identity.write');
    await request(t.app)
      .post('/pr/v1/persons/UIN-3/identities/ID-1?transactionId=tx-3')
      .set('Authorization', `Bearer ${writer}`)
      .send({ identityType: 'claim', status: 'CLAIMED', biographicData: { firstName: 'Zebulon', lastName: 'Quartermaine' } });
    const events = await (await t.storage.documents.collection('audit_events')).find({});
    const stored = JSON.stringify(events);
    assert.ok(stored.includes('UIN-3') && stored.includes('ID-1'), 'ids are recorded');
    assert.ok(!stored.includes('Zebulon') && !stored.includes('Quartermaine'), 'no biographic values');
    assert.ok(!stored.includes(writer), 'no tokens');
  });
});
