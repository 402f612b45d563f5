/**
 * The typed client drives the real server over HTTP, authentication on: a civil registry registers a person and
 * queries it through Data Access; a card bureau's customer follows a credential request until it is issued.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOsiaClient, OsiaRequestError, type OsiaClients, unwrap } from '../../src/client/index.js';
import { type LiveServer, startLiveServer } from '../support/live-server.js';

const transactionId = 'tx-client';
const tx = { transactionId };

describe('typed client against the running server', () => {
  let server: LiveServer;
  let osia: OsiaClients;
  let tokenAsked = 0;
  before(async () => {
    server = await startLiveServer();
    const token = await server.allScopes();
    osia = createOsiaClient({
      baseUrl: server.url,
      token: () => {
        tokenAsked += 1;
        return token;
      },
    });
  });
  after(() => server.stop());

  it('civil registry: creates a person and identity, defines the reference, queries it through Data Access', async () => {
    const uin = await unwrap(osia.uin.POST('/v1/uin', { params: { query: tx }, body: {} }));
    assert.equal(typeof uin, 'string');
    const personId = String(uin);
    const created = await osia.pr.POST('/v1/persons/{personId}', {
      params: { path: { personId }, query: tx },
      body: { status: 'ACTIVE', physicalStatus: 'ALIVE' },
    });
    assert.equal(created.response.status, 201);
    const identity = await osia.pr.POST('/v1/persons/{personId}/identities/{identityId}', {
      params: { path: { personId, identityId: 'birth' }, query: tx },
      body: {
        identityType: 'CIVIL',
        status: 'VALID',
        galleries: ['CITIZENS'],
        biographicData: { firstName: 'Grace', lastName: 'Hopper', dateOfBirth: '1906-12-09', gender: 'F' },
      },
    });
    assert.equal(identity.response.status, 201, JSON.stringify(identity.error));
    const reference = await osia.pr.PUT('/v1/persons/{personId}/identities/{identityId}/reference', {
      params: { path: { personId, identityId: 'birth' }, query: tx },
    });
    assert.equal(reference.response.status, 204);

    const person = await unwrap(osia.pr.GET('/v1/persons/{personId}', { params: { path: { personId }, query: tx } }));
    assert.equal(person.personId, personId);
    assert.equal(person.physicalStatus, 'ALIVE');

    const found = await unwrap(osia.dataaccess.GET('/v1/persons', { params: { query: { attributes: { lastName: 'Hopper' } } } }));
    assert.deepEqual(found, [personId]);
    const attributes = await unwrap(
      osia.dataaccess.GET('/v1/persons/{uin}', { params: { path: { uin: personId }, query: { attributeNames: ['firstName', 'dateOfBirth'] } } }),
    );
    assert.deepEqual(attributes, { firstName: 'Grace', dateOfBirth: '1906-12-09' });
    const mismatches = await unwrap(
      osia.dataaccess.POST('/v1/persons/{uin}/match', { params: { path: { uin: personId } }, body: { firstName: 'Grace', lastName: 'Brewster' } }),
    );
    assert.deepEqual(mismatches, [{ attributeName: 'lastName', errorCode: 1 }]);
    assert.ok(tokenAsked >= 8, 'the token provider is asked before every request');
  });

  it('card bureau: a credential request goes to ISSUED and its credential is readable', async () => {
    const requestId = 'client-card-1';
    const created = await osia.cms.POST('/v1/credentialRequests/{credentialRequestId}', {
      params: { path: { credentialRequestId: requestId }, query: tx },
      body: {
        personId: 'P-client',
        biographicData: { firstName: 'Ada', lastName: 'Lovelace' },
        requestData: { credentialProfileId: 'RESIDENCE_PERMIT', requestType: 'FIRST_ISSUANCE', priority: 5 },
      },
    });
    assert.equal(created.response.status, 201, JSON.stringify(created.error));
    const read = await unwrap(
      osia.cms.GET('/v1/credentialRequests/{credentialRequestId}', { params: { path: { credentialRequestId: requestId }, query: tx } }),
    );
    assert.equal(read.status, 'ISSUED');
    const [credentialId] = read.credentialIds ?? [];
    assert.ok(credentialId);
    const credential = await unwrap(osia.cms.GET('/v1/credentials/{credentialId}', { params: { path: { credentialId }, query: tx } }));
    assert.equal(credential.status, 'ACTIVE');
    assert.equal(credential.personId, 'P-client');
  });

  it('answers failures as typed OSIA errors, including those OSIA gives no body schema', async () => {
    const missing = await osia.pr.GET('/v1/persons/{personId}', { params: { path: { personId: 'nobody' }, query: tx } });
    assert.equal(missing.response.status, 404);
    assert.equal(missing.error?.code, 404);
    assert.equal(typeof missing.error?.message, 'string');

    const anonymous = createOsiaClient({ baseUrl: server.url });
    await assert.rejects(
      unwrap(anonymous.pr.GET('/v1/persons/{personId}', { params: { path: { personId: 'nobody' }, query: tx } })),
      (err: unknown) => err instanceof OsiaRequestError && err.status === 401 && err.code === 401,
    );
  });

  it('normalises a foreign failure body into {code, message}', async () => {
    const foreign = createOsiaClient({
      baseUrls: { uin: 'http://uin.example' },
      fetch: async () => new Response('<html>gateway down</html>', { status: 502, statusText: 'Bad Gateway' }),
    });
    const result = await foreign.uin.POST('/v1/uin', { params: { query: tx }, body: {} });
    assert.deepEqual(result.error, { code: 502, message: '<html>gateway down</html>' });
  });

  it('takes one base URL per interface, and refuses an interface it has none for', async () => {
    const urls: string[] = [];
    const split = createOsiaClient({
      baseUrls: { pr: 'https://pr.example/osia/' },
      fetch: async (request) => {
        urls.push(request.url);
        return Response.json({ personId: 'X', status: 'ACTIVE', physicalStatus: 'ALIVE' });
      },
    });
    await split.pr.GET('/v1/persons/{personId}', { params: { path: { personId: 'X' }, query: tx } });
    assert.deepEqual(urls, ['https://pr.example/osia/v1/persons/X?transactionId=tx-client']);
    await assert.rejects(split.cms.GET('/v1/credentials/{credentialId}', { params: { path: { credentialId: 'C' }, query: tx } }), /no base URL for the cms interface/);
  });
});
