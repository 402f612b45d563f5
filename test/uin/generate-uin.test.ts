/** POST /uin/v1/uin through the real app and the real embedded store. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import * as luhnModN from '../../src/uin/luhn-mod-n.js';
import { ISSUED_UINS } from '../../src/uin/uin-registry.js';
import * as verhoeff from '../../src/uin/verhoeff.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';

function assertOsiaError(res: request.Response, status: number, message?: RegExp) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body).sort(), ['code', 'message']);
  assert.equal(res.body.code, status);
  if (message) assert.match(res.body.message, message);
  assert.doesNotMatch(JSON.stringify(res.body), /at .*\.(ts|js):\d+/, 'no stack trace');
}

describe('generateUIN with the default settings', () => {
  const t = useTestApp({ interfaces: ['uin'] });

  const generate = (transactionId = 'tx-1') => request(t.app).post('/uin/v1/uin').query({ transactionId });

  it('answers 200 with a bare JSON string of 10 digits, not starting with 0, with a valid Verhoeff digit', async () => {
    const res = await generate().send({ firstName: 'John', lastName: 'Doo', dateOfBirth: '1984-11-19' });
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^application\/json/);
    assert.match(res.text, /^"[1-9]\d{9}"$/);
    assert.equal(typeof res.body, 'string');
    assert.ok(verhoeff.validate(res.body), res.body);
  });

  it('stores the UIN with the transaction id and issue time, and none of the attributes sent', async () => {
    const res = await generate('tx-stored').send({ firstName: 'Ada', dateOfBirth: '1815-12-10' });
    const issued = await t.storage.documents.collection(ISSUED_UINS);
    const record = await issued.get(res.body);
    assert.deepEqual(Object.keys(record ?? {}).sort(), ['_id', 'issuedAt', 'transactionId']);
    assert.equal(record?.transactionId, 'tx-stored');
    assert.doesNotMatch(JSON.stringify(await issued.find({})), /Ada|1815/);
  });

  it('gives a new UIN to every call, even with the same transaction id', async () => {
    const first = await generate('tx-same').send({});
    const second = await generate('tx-same').send({});
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.notEqual(first.body, second.body);
  });

  // The body is optional in OSIA, but the request validator answers 415 to a POST without Content-Type unless the
  // document says `required: false` explicitly (change requested in src/http/validator-document.ts).
  it('needs no body', async () => {
    const res = await generate('tx-no-body');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(verhoeff.validate(res.body));
  });

  it('answers 400 without transactionId', async () => {
    assertOsiaError(await request(t.app).post('/uin/v1/uin').send({}), 400, /transactionId/);
  });

  it('answers 400 when the body is not a flat object of scalars', async () => {
    assertOsiaError(await generate().send([1, 2]), 400);
    assertOsiaError(await generate().set('Content-Type', 'application/json').send('"John"'), 400);
    assertOsiaError(await generate().send({ name: { first: 'John' } }), 400, /name/);
  });
});

describe('generateUIN with 12 characters over 34 letters and digits and a Luhn mod N check', () => {
  const ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  let t: TestApp;
  before(async () => {
    t = await createTestApp({
      interfaces: ['uin'],
      env: { OSIA_UIN_LENGTH: '12', OSIA_UIN_ALPHABET: ALPHABET, OSIA_UIN_CHECK_DIGIT: 'luhn' },
    });
  });
  after(() => t.close());

  it('issues UINs of that shape', async () => {
    const uins: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await request(t.app).post('/uin/v1/uin').query({ transactionId: `tx-${i}` }).send({});
      assert.equal(res.status, 200);
      uins.push(res.body);
    }
    for (const uin of uins) {
      assert.match(uin, /^[1-9A-HJ-NP-Z][0-9A-HJ-NP-Z]{11}$/);
      assert.ok(luhnModN.validate(uin, ALPHABET), uin);
    }
    assert.ok(uins.some((uin) => /[A-Z]/.test(uin)), 'letters are drawn too');
  });
});

describe('generateUIN when the UIN space is used up', () => {
  const ALPHABET = '01';
  let t: TestApp;
  before(async () => {
    // Six characters over "01": a leading 1, four free bits and a check bit, so only 16 UINs exist.
    t = await createTestApp({
      interfaces: ['uin'],
      env: { OSIA_UIN_LENGTH: '6', OSIA_UIN_ALPHABET: ALPHABET, OSIA_UIN_CHECK_DIGIT: 'luhn' },
    });
  });
  after(() => t.close());

  it('answers 400 with a clear message once every possible UIN is issued, and writes nothing', async () => {
    const issued = await t.storage.documents.collection(ISSUED_UINS);
    for (let bits = 0; bits < 16; bits++) {
      const payload = `1${bits.toString(2).padStart(4, '0')}`;
      await issued.insert({ _id: payload + luhnModN.compute(payload, ALPHABET), transactionId: 'tx-fill', issuedAt: '' });
    }
    const res = await request(t.app).post('/uin/v1/uin').query({ transactionId: 'tx-full' }).send({});
    assertOsiaError(res, 400, /no new UIN could be generated: .*increase OSIA_UIN_LENGTH/);
    assert.equal(await issued.count(), 16);
  });
});
