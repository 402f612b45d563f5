/** PR requests: transactionId everywhere, bodies required or ignored, paging bounds, the reserved gallery ALL. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { ALIVE, claim, createIdentity, createPerson, TX } from '../support/registry-fixtures.js';
import { useTestApp } from '../support/use-test-app.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One valid call per operation (without its transactionId), on data created in `before`. */
const OPERATIONS: [string, Method, string, unknown?][] = [
  ['findPersons', 'post', '/v1/persons', []],
  ['createPerson', 'post', '/v1/persons/NEW', ALIVE],
  ['readPerson', 'get', '/v1/persons/P'],
  ['updatePerson', 'put', '/v1/persons/P', ALIVE],
  ['deletePerson', 'delete', '/v1/persons/Q'],
  ['mergePerson', 'post', '/v1/persons/P/merge/Q'],
  ['readIdentities', 'get', '/v1/persons/P/identities'],
  ['createIdentity', 'post', '/v1/persons/P/identities', claim()],
  ['createIdentityWithId', 'post', '/v1/persons/P/identities/NEW', claim()],
  ['readIdentity', 'get', '/v1/persons/P/identities/I'],
  ['updateIdentity', 'put', '/v1/persons/P/identities/I', claim()],
  ['partialUpdateIdentity', 'patch', '/v1/persons/P/identities/I', {}],
  ['deleteIdentity', 'delete', '/v1/persons/P/identities/I'],
  ['moveIdentity', 'post', '/v1/persons/P/move/Q/identities/I'],
  ['setIdentityStatus', 'put', '/v1/persons/P/identities/I/status?status=VALID'],
  ['defineReference', 'put', '/v1/persons/P/identities/I/reference'],
  ['readReference', 'get', '/v1/persons/P/reference'],
  ['readGalleries', 'get', '/v1/galleries'],
  ['readGalleryContent', 'get', '/v1/galleries/CITIZENS'],
];

describe('PR request handling', () => {
  const t = useTestApp({ interfaces: ['pr'] });
  before(async () => {
    await createPerson(t, 'P');
    await createPerson(t, 'Q');
    await createIdentity(t, 'P', 'I', claim());
  });

  it('covers the 19 operations of the interface', () => {
    assert.equal(new Set(OPERATIONS.map(([operationId]) => operationId)).size, 19);
  });

  for (const [operationId, method, url, body] of OPERATIONS) {
    it(`${operationId} without transactionId answers 400 and changes nothing`, async () => {
      const call = request(t.app)[method](`/pr${url}`);
      const res = await (body === undefined ? call : call.send(body as object));
      assert.equal(res.status, 400, res.text);
      assert.match(res.body.message, /transactionId/);
    });
  }

  it('the calls above changed nothing', async () => {
    assert.equal((await request(t.app).get(`/pr/v1/persons/NEW${TX}`)).status, 404);
    assert.equal((await request(t.app).get(`/pr/v1/persons/Q${TX}`)).status, 200);
    const identities = await request(t.app).get(`/pr/v1/persons/P/identities${TX}`);
    assert.deepEqual(identities.body.map((i: { identityId: string; status: string }) => [i.identityId, i.status]), [['I', 'CLAIMED']]);
  });

  it('createPerson, updatePerson, createIdentity(WithId) and updateIdentity need a body: 400 without one', async () => {
    const missing: [Method, string][] = [
      ['post', '/v1/persons/NOBODY'],
      ['put', '/v1/persons/P'],
      ['post', '/v1/persons/P/identities'],
      ['post', '/v1/persons/P/identities/NOBODY'],
      ['put', '/v1/persons/P/identities/I'],
    ];
    for (const [method, url] of missing) {
      const res = await request(t.app)[method](`/pr${url}${TX}`);
      assert.equal(res.status, 400, `${method} ${url}: ${res.text}`);
      assert.match(res.body.message, /needs a request body \((Person|Identity)\)/);
    }
    assert.equal((await request(t.app).get(`/pr/v1/persons/NOBODY${TX}`)).status, 404);
    assert.equal((await request(t.app).get(`/pr/v1/persons/P/identities${TX}`)).body.length, 1);
  });

  it('operations without a request body work with or without one, with or without a Content-Type', async () => {
    await createPerson(t, 'B-target');
    for (const source of ['B-src1', 'B-src2']) await createPerson(t, source);
    for (const id of ['M1', 'M2']) await createIdentity(t, 'B-src1', id, claim());
    const calls: [Method, string][] = [
      ['put', '/v1/persons/B-src1/identities/M2/status?status=VALID'],
      ['put', '/v1/persons/B-src1/identities/M2/reference'],
      ['post', '/v1/persons/B-target/move/B-src1/identities/M1'],
      ['post', '/v1/persons/B-target/merge/B-src1'],
    ];
    for (const [method, url] of calls) {
      const query = url.includes('?') ? TX.replace('?', '&') : TX;
      const bare = await request(t.app)[method](`/pr${url}${query}`);
      assert.equal(bare.status, 204, `${url} without a body: ${bare.text}`);
    }
    await createIdentity(t, 'B-src2', 'N1', claim());
    await createIdentity(t, 'B-src2', 'N2', claim());
    const withBodies: [Method, string, (r: request.Test) => request.Test][] = [
      ['put', '/v1/persons/B-src2/identities/N2/status?status=VALID', (r) => r.send({ status: 'ignored' })],
      ['put', '/v1/persons/B-src2/identities/N2/reference', (r) => r.set('Content-Type', 'text/plain').send('ignored')],
      ['post', '/v1/persons/B-target/move/B-src2/identities/N1', (r) => r.send({})],
      ['post', '/v1/persons/B-target/merge/B-src2', (r) => r.set('Content-Type', 'application/json').send('{"x":1}')],
    ];
    for (const [method, url, withBody] of withBodies) {
      const query = url.includes('?') ? TX.replace('?', '&') : TX;
      const res = await withBody(request(t.app)[method](`/pr${url}${query}`));
      assert.equal(res.status, 204, `${url} with a body: ${res.text}`);
    }
    const merged = await request(t.app).get(`/pr/v1/persons/B-target/identities${TX}`);
    assert.deepEqual(merged.body.map((i: { identityId: string }) => i.identityId), ['M1', 'M2', 'N1', 'N2']);
  });

  it('a body sent with a GET is ignored', async () => {
    for (const url of ['/v1/persons/P', '/v1/persons/P/identities', '/v1/galleries', '/v1/persons/P/reference']) {
      const res = await request(t.app).get(`/pr${url}${TX}`).set('Content-Type', 'application/json').send('{"junk":true}');
      assert.notEqual(res.status, 400, `${url}: ${res.text}`);
      assert.ok(res.status === 200 || res.status === 404, url);
    }
  });

  it('refuses a negative offset or limit with 400; a limit of 0 answers an empty page', async () => {
    for (const url of ['/v1/galleries/CITIZENS', '/v1/persons']) {
      const method = url === '/v1/persons' ? 'post' : 'get';
      for (const [param, value] of [['offset', -1], ['limit', -1]] as const) {
        const res = await request(t.app)[method](`/pr${url}${TX}&${param}=${value}`);
        assert.equal(res.status, 400, `${url} ${param}`);
        assert.equal(res.body.message, `Query parameter ${param} must be 0 or more (got ${value})`);
      }
      const empty = await request(t.app)[method](`/pr${url}${TX}&limit=0`);
      assert.deepEqual([empty.status, empty.body], [200, []]);
    }
    const grouped = await request(t.app).post(`/pr/v1/persons${TX}&limit=0&group=true`);
    assert.deepEqual(grouped.body, []);
  });

  it('reads the gallery ALL in a body as "no named gallery": it is dropped, never filed as a gallery', async () => {
    const only = await request(t.app).post(`/pr/v1/persons/P/identities/ALL1${TX}`).send(claim({}, { galleries: ['ALL'] }));
    assert.equal(only.status, 201, only.text);
    assert.equal((await request(t.app).get(`/pr/v1/persons/P/identities/ALL1${TX}`)).body.galleries, undefined);
    const mixed = await request(t.app).post(`/pr/v1/persons/P/identities/ALL2${TX}`).send(claim({}, { galleries: ['G', 'ALL'] }));
    assert.equal(mixed.status, 201, mixed.text);
    assert.deepEqual((await request(t.app).get(`/pr/v1/persons/P/identities/ALL2${TX}`)).body.galleries, ['G']);
    assert.equal((await request(t.app).patch(`/pr/v1/persons/P/identities/ALL2${TX}`).send({ galleries: ['ALL', 'H'] })).status, 204);
    assert.deepEqual((await request(t.app).get(`/pr/v1/persons/P/identities/ALL2${TX}`)).body.galleries, ['H']);
    const galleries = (await request(t.app).get(`/pr/v1/galleries${TX}`)).body as string[];
    assert.ok(!galleries.includes('ALL'), `ALL is never a gallery of its own: ${galleries}`);
  });

  it('findPersons with gallery=ALL searches the identities filed in any gallery', async () => {
    await createPerson(t, 'NOGAL');
    await createIdentity(t, 'NOGAL', 'X', { identityType: 'CIVIL', status: 'CLAIMED', biographicData: { lastName: 'Galless' } });
    await createIdentity(t, 'NOGAL', 'Y', claim({ lastName: 'Galless' }));
    const expression = [{ attributeName: 'lastName', operator: '=', value: 'Galless' }];
    const all = await request(t.app).post(`/pr/v1/persons${TX}&gallery=ALL`).send(expression);
    assert.deepEqual(all.body, [{ personId: 'NOGAL', identityId: 'Y' }]);
    const any = await request(t.app).post(`/pr/v1/persons${TX}`).send(expression);
    assert.equal(any.body.length, 2);
  });
});
