/**
 * CMS credentials: findCredentials, readCredential, updateCredential and the status operations (suspend, unsuspend,
 * revoke, setCredentialStatus) through the whole status machine.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { openCredentialStore } from '../../src/credentials/credential-store.js';
import { loadProfileCatalogue } from '../../src/credentials/profile-catalogue.js';
import { StoredCredentialDirectory } from '../../src/credentials/stored-credential-directory.js';
import { useTestApp } from '../support/use-test-app.js';
import { credentialRequest, credentialUrl, issue, readCredential, TX } from './cms-fixtures.js';
import { binaryBody } from '../support/binary-body.js';
import { Store } from '../../src/storage/store.js';

describe('CMS credentials', () => {
  const t = useTestApp({ interfaces: ['cms'] });

  const status = async (id: string) => (await readCredential(t, id)).status;
  const post = (id: string, action: string, body?: object) => {
    const call = request(t.app).post(credentialUrl(id, `/${action}`));
    return body ? call.send(body) : call;
  };

  describe('findCredentials', () => {
    let card: string;
    before(async () => {
      card = await issue(t, 'F-card', credentialRequest('RESIDENCE_PERMIT', { credentialNumber: 'FIND00001', issuingAuthority: 'Ministry' }, 'F-1'));
      await issue(t, 'F-mobile', credentialRequest('MOBILE_ID', { credentialNumber: 'FIND00002' }, 'F-1'));
      await issue(t, 'F-other', credentialRequest('RESIDENCE_PERMIT', { credentialNumber: 'FIND00003' }, 'F-2'));
    });
    const find = async (expressions: object[], query = '') => {
      const res = await request(t.app).post(`/cms/v1/credentials${TX}${query}`).send(expressions);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body as Record<string, unknown>[];
    };
    const numbers = (rows: Record<string, unknown>[]) => rows.map((row) => row.credentialNumber).filter((n) => String(n).startsWith('FIND'));

    it('= and != ; !=  matches only credentials having the attribute', async () => {
      assert.deepEqual(numbers(await find([{ attributeName: 'personId', operator: '=', value: 'F-1' }])), ['FIND00001', 'FIND00002']);
      const notMinistry = await find([
        { attributeName: 'personId', operator: '=', value: 'F-1' },
        { attributeName: 'issuingAuthority', operator: '!=', value: 'Elsewhere' },
      ]);
      assert.deepEqual(numbers(notMinistry), ['FIND00001'], 'the mobile ID has no issuingAuthority');
    });

    it('<, <=, >, >= compare strings (credential numbers, ISO dates)', async () => {
      assert.deepEqual(numbers(await find([{ attributeName: 'credentialNumber', operator: '<', value: 'FIND00002' }])), ['FIND00001']);
      assert.deepEqual(numbers(await find([{ attributeName: 'credentialNumber', operator: '<=', value: 'FIND00002' }])), ['FIND00001', 'FIND00002']);
      assert.deepEqual(numbers(await find([{ attributeName: 'credentialNumber', operator: '>', value: 'FIND00002' }])), ['FIND00003']);
      assert.deepEqual(numbers(await find([{ attributeName: 'credentialNumber', operator: '>=', value: 'FIND00002' }])), ['FIND00002', 'FIND00003']);
      const expiring = await find([
        { attributeName: 'personId', operator: '=', value: 'F-1' },
        { attributeName: 'expiryDate', operator: '<', value: '2099-01-01' },
      ]);
      assert.equal(expiring.length, 2);
    });

    it('an attribute inside others is searched by its dotted path; numbers compare as numbers', async () => {
      await request(t.app).put(credentialUrl(card)).send({ others: { printRun: 7 } });
      assert.deepEqual(numbers(await find([{ attributeName: 'others.printRun', operator: '>', value: 5 }])), ['FIND00001']);
      assert.deepEqual(await find([{ attributeName: 'others.printRun', operator: '>', value: 7 }]), []);
    });

    it('no match, or an attribute that is not searchable: 200 with []', async () => {
      assert.deepEqual(await find([{ attributeName: 'personId', operator: '=', value: 'nobody' }]), []);
      assert.deepEqual(await find([{ attributeName: 'producer', operator: '=', value: 'internal' }]), [], 'server fields are not attributes');
    });

    it('the attributes filter keeps the required fields; an unknown attribute name is 400', async () => {
      const rows = await find([{ attributeName: 'personId', operator: '=', value: 'F-2' }], '&attributes=credentialNumber');
      assert.deepEqual(rows, [
        { credentialId: rows[0]?.credentialId, status: 'ACTIVE', credentialNumber: 'FIND00003', personId: 'F-2', credentialProfileId: 'RESIDENCE_PERMIT' },
      ]);
      const bad = await request(t.app).post(`/cms/v1/credentials${TX}&attributes=colour`).send([]);
      assert.equal(bad.status, 400);
    });

    it('400 for an unknown operator or a missing transactionId', async () => {
      const operator = await request(t.app).post(`/cms/v1/credentials${TX}`).send([{ attributeName: 'personId', operator: '~', value: 'F-1' }]);
      assert.equal(operator.status, 400);
      assert.equal((await request(t.app).post('/cms/v1/credentials').send([])).status, 400);
    });
  });

  it('readCredential: 404 for an unknown id; the attributes filter; no server field ever answered', async () => {
    const missing = await request(t.app).get(credentialUrl('nothing'));
    assert.deepEqual([missing.status, missing.body.message], [404, 'Credential nothing not found']);
    const id = await issue(t, 'C-read');
    const full = await readCredential(t, id);
    for (const field of ['history', 'producer', 'producerState', 'credentialRequestId', 'createdAt', 'transactionId', '_id']) {
      assert.ok(!(field in full), `${field} is not answered`);
    }
    const some = await request(t.app).get(`${credentialUrl(id)}&attributes=expiryDate`);
    assert.deepEqual(Object.keys(some.body), ['credentialId', 'status', 'personId', 'credentialProfileId', 'expiryDate']);
  });

  it('the audit trail names the holder of every credential read, changed or found', async () => {
    const id = await issue(t, 'A-1', credentialRequest('RESIDENCE_PERMIT', {}, 'AUDIT-1'));
    await readCredential(t, id);
    await post(id, 'suspend');
    await request(t.app).post(`/cms/v1/credentials${TX}`).send([{ attributeName: 'personId', operator: '=', value: 'AUDIT-1' }]);
    const report = await request(t.app).get('/audit/v1/persons/AUDIT-1/accesses');
    assert.equal(report.status, 200);
    const operations = report.body.map((access: { operationId: string }) => access.operationId);
    assert.deepEqual(operations.sort(), ['createCredentialRequest', 'findCredentials', 'readCredential', 'readCredentialRequest', 'suspendCredential']);
  });

  it('the CredentialDirectory of Third Party Services finds credentials by number and by holder, with credentialType', async () => {
    const card = await issue(t, 'D-card', credentialRequest('RESIDENCE_PERMIT', { credentialNumber: 'DIR000001' }, 'DIR-1'));
    const mobile = await issue(t, 'D-mobile', credentialRequest('MOBILE_ID', { credentialNumber: 'DIR000001' }, 'DIR-1'));
    const directory = new StoredCredentialDirectory((await openCredentialStore(new Store(t.storage))).credentials, await loadProfileCatalogue());
    const byNumber = await directory.findByNumber('DIR000001');
    assert.deepEqual(byNumber.map(({ credentialId, credentialType }) => [credentialId, credentialType]), [[card, 'ID_CARD'], [mobile, 'MOBILE']]);
    const forPerson = await directory.listForPerson('DIR-1');
    assert.deepEqual(forPerson.map(({ credentialId }) => credentialId), [card, mobile]);
    assert.equal(forPerson[0]?.status, 'ACTIVE');
    assert.ok(!('history' in (forPerson[0] ?? {})));
    assert.deepEqual(await directory.findByNumber('NOPE'), []);
  });

  describe('updateCredential', () => {
    it('changes expiryDate, issuingAuthority, issuingPlace and others; absent writable fields are kept', async () => {
      const id = await issue(t, 'U-1', credentialRequest('RESIDENCE_PERMIT', { issuingAuthority: 'Ministry' }));
      const res = await request(t.app).put(credentialUrl(id)).send({ expiryDate: '2030-06-30T12:00:00+02:00', issuingPlace: 'Lyon' });
      assert.equal(res.status, 204);
      const credential = await readCredential(t, id);
      assert.equal(credential.expiryDate, '2030-06-30T10:00:00Z', 'stored and answered in UTC');
      assert.equal(credential.issuingPlace, 'Lyon');
      assert.equal(credential.issuingAuthority, 'Ministry');
      await request(t.app).put(credentialUrl(id)).send({ others: { note: 'x' }, issuingAuthority: 'Prefecture' });
      const again = await readCredential(t, id);
      assert.deepEqual([again.others, again.issuingAuthority], [{ note: 'x' }, 'Prefecture']);
    });

    it('a read-only field in the body is 400 naming it (even unchanged), and nothing changes', async () => {
      const id = await issue(t, 'U-ro');
      const credential = await readCredential(t, id);
      const sentBack = await request(t.app).put(credentialUrl(id)).send({ ...credential, issuingPlace: 'Nantes' });
      assert.deepEqual([sentBack.status, sentBack.body.message], [400, '/body/credentialId is read-only']);
      const changed = await request(t.app).put(credentialUrl(id)).send({ credentialNumber: 'OTHER0001', issuingPlace: 'Brest' });
      assert.deepEqual([changed.status, changed.body.message], [400, '/body/credentialNumber is read-only']);
      const status = await request(t.app).put(credentialUrl(id)).send({ status: 'REVOKED' });
      assert.deepEqual([status.status, status.body.message], [400, '/body/status is read-only']);
      assert.equal((await readCredential(t, id)).issuingPlace, undefined);
    });

    it('expiryDate must follow issuedDate; 400 without a body; 404 unknown; 409 once REVOKED', async () => {
      const id = await issue(t, 'U-bad');
      const early = await request(t.app).put(credentialUrl(id)).send({ expiryDate: '2001-01-01T00:00:00Z' });
      assert.equal(early.status, 400);
      assert.match(early.body.message, /expiryDate must be later than the issuedDate/);
      assert.equal((await request(t.app).put(credentialUrl(id))).status, 400);
      assert.equal((await request(t.app).put(credentialUrl('nothing')).send({ issuingPlace: 'x' })).status, 404);
      await post(id, 'revoke');
      const revoked = await request(t.app).put(credentialUrl(id)).send({ issuingPlace: 'x' });
      assert.deepEqual([revoked.status, revoked.body.message], [409, `Credential ${id} is REVOKED: it can no longer be updated`]);
    });
  });

  describe('status machine', () => {
    it('ACTIVE → SUSPENDED → ACTIVE → SUSPENDED → REVOKED, each step recorded in the history with its context', async () => {
      const id = await issue(t, 'S-1');
      assert.equal((await post(id, 'suspend', { reason: 'reported lost' })).status, 204);
      assert.equal(await status(id), 'SUSPENDED');
      assert.equal((await post(id, 'unsuspend', { reason: 'found again' })).status, 204);
      assert.equal(await status(id), 'ACTIVE');
      assert.equal((await post(id, 'suspend')).status, 204);
      assert.equal((await post(id, 'revoke', { reason: 'stolen' })).status, 204);
      assert.equal(await status(id), 'REVOKED');
      const stored = await (await openCredentialStore(new Store(t.storage))).credentials.load(id);
      const history = stored?.history.map(({ from, to, reason, transactionId }) => ({ from, to, reason, transactionId }));
      assert.deepEqual(history?.slice(1), [
        { from: 'ACTIVE', to: 'SUSPENDED', reason: 'reported lost', transactionId: 'tx-cms' },
        { from: 'SUSPENDED', to: 'ACTIVE', reason: 'found again', transactionId: 'tx-cms' },
        { from: 'ACTIVE', to: 'SUSPENDED', reason: undefined, transactionId: 'tx-cms' },
        { from: 'SUSPENDED', to: 'REVOKED', reason: 'stolen', transactionId: 'tx-cms' },
      ]);
      assert.equal(stored?.history[0]?.to, 'ACTIVE', 'the issuance opens the history');
    });

    it('REVOKED is final: every way out is 409 naming both statuses; revoking again changes nothing', async () => {
      const id = await issue(t, 'S-final');
      await post(id, 'revoke');
      for (const [action, body, target] of [
        ['unsuspend', undefined, 'ACTIVE'],
        ['suspend', undefined, 'SUSPENDED'],
        ['status', { status: 'ACTIVE' }, 'ACTIVE'],
        ['status', { status: 'LOST' }, 'OTHER (LOST)'],
      ] as const) {
        const res = await post(id, action, body);
        assert.equal(res.status, 409, `${action} ${JSON.stringify(body)}`);
        const expected = action === 'unsuspend'
          ? `Credential ${id} is REVOKED: unsuspendCredential applies to a SUSPENDED credential only`
          : `Credential ${id} cannot go from REVOKED to ${target} (REVOKED is final)`;
        assert.equal(res.body.message, expected);
      }
      assert.equal((await post(id, 'revoke')).status, 204);
      assert.equal(await status(id), 'REVOKED');
    });

    it('unsuspend applies to a SUSPENDED credential only; suspending a SUSPENDED one changes nothing', async () => {
      const id = await issue(t, 'S-uns');
      assert.equal((await post(id, 'unsuspend')).status, 204, 'ACTIVE already: nothing to do');
      await post(id, 'suspend');
      assert.equal((await post(id, 'suspend')).status, 204);
      assert.equal(await status(id), 'SUSPENDED');
    });

    it('setCredentialStatus: the OSIA statuses follow the same machine; NEW cannot be re-entered', async () => {
      const id = await issue(t, 'S-set');
      const set = (body: object) => post(id, 'status', body);
      assert.equal((await set({ status: 'SUSPENDED', reason: 'audit', requester: 'agent-7', comment: 'checking' })).status, 204);
      assert.equal(await status(id), 'SUSPENDED');
      const toNew = await set({ status: 'NEW' });
      assert.deepEqual([toNew.status, toNew.body.message], [409, `Credential ${id} cannot go from SUSPENDED to NEW`]);
      assert.equal((await set({ status: 'ACTIVE' })).status, 204);
      const stored = await (await openCredentialStore(new Store(t.storage))).credentials.load(id);
      const { requester, comment, reason } = stored?.history[1] ?? {};
      assert.deepEqual({ requester, comment, reason }, { requester: 'agent-7', comment: 'checking', reason: 'audit' });
    });

    it('setCredentialStatus: a deployment-specific status becomes OTHER with statusOther; a bare OTHER is 400', async () => {
      const id = await issue(t, 'S-other');
      assert.equal((await post(id, 'status', { status: 'LOST', reason: 'declared lost' })).status, 204);
      const lost = await readCredential(t, id);
      assert.deepEqual([lost.status, lost.statusOther], ['OTHER', 'LOST']);
      assert.equal((await post(id, 'status', { status: 'IN_REPAIR' })).status, 204, 'from one OTHER status to another');
      assert.equal((await readCredential(t, id)).statusOther, 'IN_REPAIR');
      assert.equal((await post(id, 'unsuspend')).status, 409, 'unsuspend leaves SUSPENDED only');
      assert.equal((await post(id, 'status', { status: 'ACTIVE' })).status, 204);
      const active = await readCredential(t, id);
      assert.deepEqual([active.status, active.statusOther], ['ACTIVE', undefined]);
      const bare = await post(id, 'status', { status: 'OTHER' });
      assert.equal(bare.status, 400);
      assert.match(bare.body.message, /status OTHER needs a name/);
      const odd = await post(id, 'status', { status: 'not a status!' });
      assert.equal(odd.status, 400);
      const missing = await post(id, 'status', { reason: 'no status' });
      assert.equal(missing.status, 400, 'status is required');
    });

    it('status operations answer 404 for an unknown credential and 400 without transactionId', async () => {
      for (const action of ['suspend', 'unsuspend', 'revoke']) {
        assert.equal((await post('nothing', action)).status, 404, action);
        assert.equal((await request(t.app).post(`/cms/v1/credentials/nothing/${action}`)).status, 400, action);
      }
      assert.equal((await post('nothing', 'status', { status: 'ACTIVE' })).status, 404);
    });

    it('a pki credential: revocation reaches its certificate (in the CRL) before it is recorded', async () => {
      const id = await issue(t, 'S-pki', credentialRequest('NATIONAL_ID_CARD'));
      const serial = Buffer.from((await readCredential(t, id)).serialNumber as string, 'hex');
      const crl = () =>
        request(t.app)
          .get('/cms/crl')
          .buffer(true)
          .parse(binaryBody);
      assert.ok(!(await crl()).body.includes(serial));
      assert.equal((await post(id, 'revoke', { reason: 'keyCompromise' })).status, 204);
      assert.equal(await status(id), 'REVOKED');
      assert.ok((await crl()).body.includes(serial), 'the certificate serial is listed in the CRL');
    });
  });
});
