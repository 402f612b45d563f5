/** Shared helpers of the Third Party tests: citizens made through the PR API, credentials through the CMS API. */
import assert from 'node:assert/strict';
import request from 'supertest';
import { ALIVE, createIdentity, createPerson, defineReference } from '../support/registry-fixtures.js';
import type { TestApp } from '../support/test-app.js';

export const TX = '?transactionId=tx-3p';

/** A base64 "portrait" longer than the registry's inline limit, so that it travels through the blob store. */
export const PORTRAIT = Buffer.alloc(3000, 7).toString('base64');

type Json = Record<string, unknown>;

/** A person with a VALID reference identity `REF` holding `biographicData` (and `extra` identity members). */
export async function citizen(t: TestApp, uin: string, biographicData: Json, extra: Json = {}, person = ALIVE): Promise<void> {
  await createPerson(t, uin, person);
  await createIdentity(t, uin, 'REF', { identityType: 'CIVIL', status: 'VALID', galleries: ['CITIZENS'], biographicData, ...extra });
  await defineReference(t, uin, 'REF');
  // A reference identity that is not VALID: only a VALID one can become the reference, so its status changes after.
  if (typeof extra.status === 'string' && extra.status !== 'VALID') {
    await request(t.app).put(`/pr/v1/persons/${uin}/identities/REF/status${TX}&status=${extra.status}`).expect(204);
  }
}

export const ADA = { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10', placeOfBirth: 'London', gender: 'F' };

export const portrait = { biometricType: 'FACE', biometricSubType: 'PORTRAIT', image: PORTRAIT, mimeType: 'image/png', width: 480, height: 640 };

/** Issues a credential to `personId` through the CMS API (`requestData` adds e.g. validFromDate); returns its id and number. */
export async function issueCredential(
  t: TestApp,
  requestId: string,
  personId: string,
  credentialProfileId = 'RESIDENCE_PERMIT',
  requestData: Json = {},
): Promise<{ credentialId: string; credentialNumber: string }> {
  const requestUrl = `/cms/v1/credentialRequests/${requestId}${TX}`;
  const created = await request(t.app)
    .post(requestUrl)
    .send({ personId, biographicData: {}, requestData: { priority: 1, credentialProfileId, requestType: 'FIRST_ISSUANCE', ...requestData } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const [credentialId] = (await request(t.app).get(requestUrl)).body.credentialIds as string[];
  assert.ok(credentialId);
  const credential = await request(t.app).get(`/cms/v1/credentials/${credentialId}${TX}`);
  assert.equal(credential.status, 200);
  return { credentialId, credentialNumber: credential.body.credentialNumber as string };
}

export async function changeCredential(t: TestApp, credentialId: string, action: 'suspend' | 'revoke' | 'unsuspend'): Promise<void> {
  const res = await request(t.app).post(`/cms/v1/credentials/${credentialId}/${action}${TX}`).send({ reason: 'test' });
  assert.equal(res.status, 204, JSON.stringify(res.body));
}
