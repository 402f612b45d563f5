/** PR content edge cases: member names stores dislike, server-managed fields in patches, order after a move, gauges. */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { claim, createIdentity, createPerson, TX } from '../support/registry-fixtures.js';
import { databaseText } from '../support/database-text.js';
import { useTestApp } from '../support/use-test-app.js';

describe('PR stored content', () => {
  const t = useTestApp({ interfaces: ['pr'] });
  before(async () => {
    await createPerson(t, 'P');
  });

  const read = async (personId: string, identityId: string) =>
    request(t.app).get(`/pr/v1/persons/${personId}/identities/${identityId}${TX}`);

  it('keeps free-form member names with a dot, a leading $, a % or __proto__, and finds by them', async () => {
    const raw =
      '{"identityType":"CIVIL","status":"CLAIMED","biographicData":{"name.full":"Ann Lee","$code":"X1","100%":1.50,' +
      '"__proto__":{"polluted":true},"nested":{"a.b":["c.d",{"$e":null}]}},"contextualData":{"site.code":"S-9"}}';
    const created = await request(t.app).post(`/pr/v1/persons/P/identities/ODD${TX}`).set('Content-Type', 'application/json').send(raw);
    assert.equal(created.status, 201, created.text);
    const res = await read('P', 'ODD');
    const { createdDate: _c, updatedDate: _u, ...content } = JSON.parse(res.text);
    const sections = '"biometricData":[],"documentData":[]';
    assert.equal(JSON.stringify(content), `{"identityId":"ODD",${raw.slice(1, -1).replace('1.50', '1.5')},${sections}}`);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const find = async (attributeName: string, value: string) =>
      (await request(t.app).post(`/pr/v1/persons${TX}`).send([{ attributeName, operator: '=', value }])).body;
    assert.deepEqual(await find('biographicData.$code', 'X1'), [{ personId: 'P', identityId: 'ODD' }]);
    assert.deepEqual(await find('contextualData.site', 'S-9'), [], 'a dot in a path separates members');
  });

  it('partialUpdateIdentity treats server-managed members as full bodies do: identityId refused, dates checked then ignored', async () => {
    await createIdentity(t, 'P', 'SRV', claim({ firstName: 'Ann' }));
    const before = (await read('P', 'SRV')).body;
    const patchWith = (patch: object) => request(t.app).patch(`/pr/v1/persons/P/identities/SRV${TX}`).send(patch);
    const full = (body: object) => request(t.app).put(`/pr/v1/persons/P/identities/SRV${TX}`).send({ ...claim(), ...body });
    for (const send of [patchWith, full]) {
      const id = await send({ identityId: 'OTHER' });
      assert.deepEqual([id.status, /identityId is read-only/.test(id.body.message)], [400, true], id.text);
      assert.equal((await send({ createdDate: 'not a date' })).status, 400);
      const operator = await send({ createdDate: { $gt: '' } });
      assert.deepEqual([operator.status, /createdDate must be string/.test(operator.body.message)], [400, true], operator.text);
    }
    const patched = await patchWith({ createdDate: '1999-01-01T00:00:00Z', updatedDate: '2000-01-01T00:00:00Z', identityType: 'NEW' });
    assert.equal(patched.status, 204);
    const after = (await read('P', 'SRV')).body;
    assert.deepEqual([after.identityId, after.identityType, after.createdDate], ['SRV', 'NEW', before.createdDate]);
    assert.notEqual(after.updatedDate, '2000-01-01T00:00:00Z');
    assert.deepEqual(Object.keys(after).slice(-2), ['createdDate', 'updatedDate']);
  });

  it('a moved identity comes after the identities its new person already had', async () => {
    await createPerson(t, 'TO');
    await createPerson(t, 'FROM');
    await createIdentity(t, 'FROM', 'OLD', claim({}, { galleries: ['ORDER'] }));
    await createIdentity(t, 'TO', 'NEW', claim({}, { galleries: ['ORDER'] }));
    assert.equal((await request(t.app).post(`/pr/v1/persons/TO/move/FROM/identities/OLD${TX}`)).status, 204);
    const identities = await request(t.app).get(`/pr/v1/persons/TO/identities${TX}`);
    assert.deepEqual(identities.body.map((i: { identityId: string }) => i.identityId), ['NEW', 'OLD']);
    const gallery = await request(t.app).get(`/pr/v1/galleries/ORDER${TX}`);
    assert.deepEqual(gallery.body, [
      { personId: 'TO', identityId: 'NEW' },
      { personId: 'TO', identityId: 'OLD' },
    ]);
  });

  it('keeps every kind of large binary out of the records, exactly as sent, and drops replaced ones', async () => {
    // Not canonical base64 (line breaks, no padding) and an encrypted-looking compact JWE: both must come back as is.
    const image = `${'QUJD'.repeat(300)}\r\n${'REVG'.repeat(300)}`;
    const template = `eyJhbGciOiJSU0EtT0FFUCJ9.${'x'.repeat(1500)}.tag`;
    const document = 'JVBERi0'.repeat(400);
    const clientData = 'Y2xpZW50'.repeat(200);
    const identity = claim({}, {
      clientData,
      biometricData: [{ biometricType: 'FINGER', image, template }],
      documentData: [{ documentType: 'FORM', parts: [{ pages: [1], data: document, mimeType: 'application/pdf' }] }],
    });
    await createIdentity(t, 'P', 'BLOBS', identity);
    const stored = await databaseText(t.dataDir);
    for (const value of [image, template, document, clientData]) assert.ok(!stored.includes(value.slice(0, 1100)));
    const body = (await read('P', 'BLOBS')).body;
    assert.deepEqual([body.clientData, body.biometricData[0].image, body.biometricData[0].template], [clientData, image, template]);
    assert.equal(body.documentData[0].parts[0].data, document);
    const blobs = async () => {
      const entries = await readdir(path.join(t.dataDir, 'blobs'), { recursive: true, withFileTypes: true });
      return entries.filter((entry) => entry.isFile() && !entry.name.endsWith('.json')).length;
    };
    const before = await blobs();
    const replaced = await request(t.app).put(`/pr/v1/persons/P/identities/BLOBS${TX}`).send(claim({}, { clientData: 'c21hbGw=' }));
    assert.equal(replaced.status, 204);
    assert.equal((await read('P', 'BLOBS')).body.clientData, 'c21hbGw=');
    assert.equal(await blobs(), before - 4, 'the four replaced binaries are gone');
  });

  it('gauges count biometric items however many an identity holds, and follow deletions', async () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ biometricType: 'FINGER', instance: String(i) }));
    await createPerson(t, 'BIO');
    await createIdentity(t, 'BIO', 'ONE', claim({}, { biometricData: items(1) }));
    await createIdentity(t, 'BIO', 'TEN', claim({}, { biometricData: items(10) }));
    await createIdentity(t, 'BIO', 'MANY', claim({}, { biometricData: items(40) }));
    const gauge = async (name: string) => {
      const text = (await request(t.app).get('/metrics')).text;
      return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    };
    assert.equal(await gauge('osia_pr_biometric_records'), 51);
    const persons = await gauge('osia_pr_persons');
    const identities = await gauge('osia_pr_identities');
    assert.equal((await request(t.app).delete(`/pr/v1/persons/BIO${TX}`)).status, 204);
    assert.equal(await gauge('osia_pr_biometric_records'), 0);
    assert.equal(await gauge('osia_pr_persons'), persons - 1);
    assert.equal(await gauge('osia_pr_identities'), identities - 3);
  });
});
