/** CMS credential requests: createCredentialRequest, readCredentialRequest, updateCredentialRequest, cancelCredentialRequest. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { icaoCheckDigit } from '../../src/credentials/credential-number.js';
import { fakeClock } from '../support/fake-clock.js';
import { useTestApp } from '../support/use-test-app.js';
import { tokenFor } from '../support/tokens.js';
import { credentialRequest, daysFromNow, issue, readCredential, requestUrl, TX } from './cms-fixtures.js';

describe('CMS credential requests', () => {
  // Stands at the start of the run (whole second): dates the server sets are compared exactly.
  const clock = fakeClock(Math.floor(Date.now() / 1000) * 1000);
  const t = useTestApp({ interfaces: ['cms'], clock });

  it('takes date-times without an offset, as OSIA\'s CMS examples write them, and answers them in UTC', async () => {
    const from = daysFromNow(30).replace('Z', '');
    const body = credentialRequest('RESIDENCE_PERMIT', { validFromDate: from });
    const created = await request(t.app).post(requestUrl('R-no-offset')).send(body);
    assert.equal(created.status, 201, created.text);
    const read = await request(t.app).get(requestUrl('R-no-offset'));
    assert.equal(read.body.requestData.validFromDate, `${from}Z`);
    const credentialId = read.body.credentialIds[0];
    const update = await request(t.app).put(`/cms/v1/credentials/${credentialId}?transactionId=tx`).send({ expiryDate: '2031-12-25T12:00:00' });
    assert.equal(update.status, 204, update.text);
    assert.equal((await readCredential(t, credentialId)).expiryDate, '2031-12-25T12:00:00Z');
    const nonsense = await request(t.app).post(requestUrl('R-bad-date')).send(credentialRequest('RESIDENCE_PERMIT', { validFromDate: '2031-13-45T99:00:00' }));
    assert.equal(nonsense.status, 400);
  });

  it('createCredentialRequest: 201; the internal producer issues at once; readCredentialRequest shows ISSUED and credentialIds', async () => {
    const body = credentialRequest('RESIDENCE_PERMIT', { issuingAuthority: 'Ministry of the Interior' });
    const created = await request(t.app).post(requestUrl('R-1')).send(body);
    assert.deepEqual([created.status, created.text], [201, '']);
    const read = await request(t.app).get(requestUrl('R-1'));
    assert.equal(read.status, 200);
    assert.deepEqual(Object.keys(read.body), ['credentialRequestId', 'status', 'requestData', 'personId', 'biographicData', 'credentialIds']);
    assert.equal(read.body.credentialRequestId, 'R-1');
    assert.equal(read.body.status, 'ISSUED');
    assert.deepEqual(read.body.requestData, body.requestData);
    const credential = await readCredential(t, read.body.credentialIds[0]);
    assert.equal(credential.status, 'ACTIVE');
    assert.equal(credential.personId, 'P-1');
    assert.equal(credential.credentialProfileId, 'RESIDENCE_PERMIT');
    assert.equal(credential.credentialProfileVersion, '1', 'version from the profile');
    assert.equal(credential.numberOfPages, 1);
    assert.equal(credential.issuingAuthority, 'Ministry of the Interior');
    const number = credential.credentialNumber as string;
    assert.match(number, /^[2-9A-HJKMNP-Z]{8}\d$/);
    assert.equal(number.at(-1), icaoCheckDigit(number.slice(0, 8)));
    const issued = Date.parse(credential.issuedDate as string);
    assert.equal(issued, clock().getTime(), 'issued at the time of the request');
    assert.equal(Date.parse(credential.expiryDate as string) - issued, 1825 * 86_400_000, 'defaultLifetime of the profile');
    assert.match(credential.expiryDate as string, /Z$/);
  });

  it('createCredentialRequest: 409 for an existing id, and the first request is unchanged', async () => {
    await issue(t, 'R-dup');
    const again = await request(t.app).post(requestUrl('R-dup')).send(credentialRequest('MOBILE_ID'));
    assert.deepEqual([again.status, again.body], [409, { code: 409, message: 'Credential request R-dup already exists' }]);
    assert.equal((await request(t.app).get(requestUrl('R-dup'))).body.requestData.credentialProfileId, 'RESIDENCE_PERMIT');
  });

  it('createCredentialRequest: 400 for a profile not in the catalogue, nothing written', async () => {
    const res = await request(t.app).post(requestUrl('R-unknown')).send(credentialRequest('SPACESHIP_LICENCE'));
    assert.equal(res.status, 400);
    assert.match(res.body.message, /credentialProfileId: no credential profile SPACESHIP_LICENCE/);
    assert.equal((await request(t.app).get(requestUrl('R-unknown'))).status, 404);
  });

  it('createCredentialRequest: 400 without transactionId, without a body, or with a body violating the schema', async () => {
    const noTx = await request(t.app).post('/cms/v1/credentialRequests/R-bad').send(credentialRequest());
    assert.equal(noTx.status, 400);
    assert.match(noTx.body.message, /transactionId/);
    const noBody = await request(t.app).post(requestUrl('R-bad'));
    assert.equal(noBody.status, 400);
    assert.match(noBody.body.message, /needs a request body/);
    const bad = await request(t.app).post(requestUrl('R-bad')).send({ ...credentialRequest(), personId: undefined });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /personId/);
    assert.equal((await request(t.app).get(requestUrl('R-bad'))).status, 404);
  });

  describe('validity dates', () => {
    it('a validFromDate at or before now (a client clock a little behind ours) means "valid from now"', async () => {
      const clientNow = new Date(clock().getTime() - 3).toISOString().replace('Z', '');
      for (const [id, validFromDate] of [['R-skew', clientNow], ['R-from-past', daysFromNow(-1)]] as const) {
        const sent = Date.parse(validFromDate.endsWith('Z') ? validFromDate : `${validFromDate}Z`);
        const created = await request(t.app).post(requestUrl(id)).send(credentialRequest('RESIDENCE_PERMIT', { validFromDate }));
        assert.equal(created.status, 201, created.text);
        const stored = (await request(t.app).get(requestUrl(id))).body.requestData.validFromDate;
        assert.ok(Date.parse(stored) > sent, `stored as the time of the request: ${stored} after ${validFromDate}`);
      }
      const inconsistent = credentialRequest('RESIDENCE_PERMIT', { validFromDate: daysFromNow(-2), validToDate: daysFromNow(-3) });
      const refused = await request(t.app).post(requestUrl('R-ends-before')).send(inconsistent);
      assert.equal(refused.status, 400);
      assert.match(refused.body.message, /validToDate must be later than validFromDate/);
    });

    it('validToDate may shorten the default lifetime, not extend it, and must follow validFromDate', async () => {
      const longer = await request(t.app).post(requestUrl('R-to-long')).send(credentialRequest('RESIDENCE_PERMIT', { validToDate: daysFromNow(1830) }));
      assert.equal(longer.status, 400);
      assert.match(longer.body.message, /may shorten the validity but not extend it: profile RESIDENCE_PERMIT gives 1825 days/);
      const before = await request(t.app)
        .post(requestUrl('R-to-before'))
        .send(credentialRequest('RESIDENCE_PERMIT', { validFromDate: daysFromNow(10), validToDate: daysFromNow(5) }));
      assert.equal(before.status, 400);
      assert.match(before.body.message, /validToDate must be later than validFromDate/);
    });

    it('honours validFromDate and validToDate: expiry is validToDate, the start kept in others.validFromDate', async () => {
      const [from, to] = [daysFromNow(30), daysFromNow(400)];
      const id = await issue(t, 'R-dates', credentialRequest('RESIDENCE_PERMIT', { validFromDate: from, validToDate: to }));
      const credential = await readCredential(t, id);
      assert.equal(credential.expiryDate, to);
      assert.deepEqual(credential.others, { validFromDate: from });
    });

    it('validFromDate alone moves the default expiry: start + defaultLifetime', async () => {
      const from = daysFromNow(30);
      const id = await issue(t, 'R-from', credentialRequest('RESIDENCE_PERMIT', { validFromDate: from }));
      assert.equal(Date.parse((await readCredential(t, id)).expiryDate as string), Date.parse(from) + 1825 * 86_400_000);
    });
  });

  it('honours an imposed credentialNumber, which two credentials may share (card and mobile ID)', async () => {
    const card = await issue(t, 'R-num-card', credentialRequest('RESIDENCE_PERMIT', { credentialNumber: 'RP1234567' }));
    const mobile = await issue(t, 'R-num-mobile', credentialRequest('MOBILE_ID', { credentialNumber: 'RP1234567' }));
    assert.equal((await readCredential(t, card)).credentialNumber, 'RP1234567');
    assert.equal((await readCredential(t, mobile)).credentialNumber, 'RP1234567');
  });

  it('readCredentialRequest: the attributes filter keeps the named attributes and the required ones; unknown names 400', async () => {
    await issue(t, 'R-attr');
    const res = await request(t.app).get(`${requestUrl('R-attr')}&attributes=status&attributes=credentialIds`);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['status', 'requestData', 'personId', 'biographicData', 'credentialIds']);
    const unknown = await request(t.app).get(`${requestUrl('R-attr')}&attributes=colour`);
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.message, /unknown attribute colour/);
  });

  it('read, update and cancel answer 404 for an unknown request', async () => {
    assert.equal((await request(t.app).get(requestUrl('nobody'))).status, 404);
    assert.equal((await request(t.app).put(requestUrl('nobody')).send(credentialRequest())).status, 404);
    const cancel = await request(t.app).post(requestUrl('nobody', '/cancel'));
    assert.deepEqual([cancel.status, cancel.body.message], [404, 'Credential request nobody not found']);
  });

  it('updateCredentialRequest and cancelCredentialRequest refuse an ISSUED request with 409', async () => {
    await issue(t, 'R-done');
    const update = await request(t.app).put(requestUrl('R-done')).send(credentialRequest('MOBILE_ID'));
    assert.deepEqual([update.status, update.body.message], [409, 'Credential request R-done is ISSUED: only a PENDING request can be updated']);
    const cancel = await request(t.app).post(requestUrl('R-done', '/cancel'));
    assert.equal(cancel.status, 409);
    assert.match(cancel.body.message, /is ISSUED: only a PENDING request can be cancelled \(revoke its credentials instead\)/);
  });

  it('server-managed fields sent by a client are ignored', async () => {
    const body = { ...credentialRequest(), status: 'CANCELLED' };
    await issue(t, 'R-managed', body);
    assert.equal((await request(t.app).get(requestUrl('R-managed'))).body.status, 'ISSUED');
  });

  it('the national ID card (pki) carries its certificates; the mobile ID only an authentication one', async () => {
    const card = await readCredential(t, await issue(t, 'R-nid', credentialRequest('NATIONAL_ID_CARD')));
    const usages = (card.others as { certificates: { usage: string }[] }).certificates.map(({ usage }) => usage);
    assert.deepEqual(usages, ['authentication', 'signature']);
    const mobile = await readCredential(t, await issue(t, 'R-mid', credentialRequest('MOBILE_ID')));
    assert.deepEqual((mobile.others as { certificates: { usage: string }[] }).certificates.map(({ usage }) => usage), ['authentication']);
  });

  it('findCredentials with !=: the mobile ID of person P-2 is found by excluding the card', async () => {
    await issue(t, 'R-p2-card', credentialRequest('RESIDENCE_PERMIT', {}, 'P-2'));
    await issue(t, 'R-p2-mobile', credentialRequest('MOBILE_ID', {}, 'P-2'));
    const found = await request(t.app)
      .post(`/cms/v1/credentials${TX}`)
      .send([
        { attributeName: 'personId', operator: '=', value: 'P-2' },
        { attributeName: 'credentialProfileId', operator: '!=', value: 'RESIDENCE_PERMIT' },
      ]);
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.map((c: { credentialProfileId: string }) => c.credentialProfileId), ['MOBILE_ID']);
  });
});

describe('CMS credential requests with authentication on', () => {
  const t = useTestApp({ interfaces: ['cms'], env: { OSIA_AUTH: 'on' } });

  it('403 for a token lacking cms.request.write; 201 with it; 401 without a token', async () => {
    const reader = await tokenFor(t.dataDir, 'cms.request.read cms.credential.write');
    const refused = await request(t.app).post(requestUrl('R-auth')).set('Authorization', `Bearer ${reader}`).send(credentialRequest());
    assert.equal(refused.status, 403);
    assert.equal((await request(t.app).post(requestUrl('R-auth')).send(credentialRequest())).status, 401);
    const writer = await tokenFor(t.dataDir, 'cms.request.write');
    const created = await request(t.app).post(requestUrl('R-auth')).set('Authorization', `Bearer ${writer}`).send(credentialRequest());
    assert.equal(created.status, 201);
    const read = await request(t.app).get(requestUrl('R-auth')).set('Authorization', `Bearer ${writer}`);
    assert.equal(read.status, 403, 'reading needs cms.request.read');
  });
});
