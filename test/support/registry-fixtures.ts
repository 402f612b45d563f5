/** Building blocks for tests that need population registry data, created through the PR API itself. */
import request from 'supertest';
import type { TestApp } from './test-app.js';

export const TX = '?transactionId=tx-test';
export const ALIVE = { status: 'ACTIVE', physicalStatus: 'ALIVE' };

export function claim(biographicData: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return { identityType: 'CIVIL', status: 'CLAIMED', galleries: ['CITIZENS'], biographicData, ...extra };
}

export async function createPerson(t: TestApp, personId: string, person = ALIVE): Promise<void> {
  const res = await request(t.app).post(`/pr/v1/persons/${personId}${TX}`).send(person);
  if (res.status !== 201) throw new Error(`createPerson ${personId}: ${res.status} ${res.text}`);
}

export async function createIdentity(t: TestApp, personId: string, identityId: string, identity: object): Promise<void> {
  const res = await request(t.app).post(`/pr/v1/persons/${personId}/identities/${identityId}${TX}`).send(identity);
  if (res.status !== 201) throw new Error(`createIdentityWithId ${personId}/${identityId}: ${res.status} ${res.text}`);
}

/** Makes the identity VALID first: only a VALID identity can become the reference. */
export async function defineReference(t: TestApp, personId: string, identityId: string): Promise<void> {
  const valid = await request(t.app).put(`/pr/v1/persons/${personId}/identities/${identityId}/status${TX}&status=VALID`);
  if (valid.status !== 204) throw new Error(`setIdentityStatus ${personId}/${identityId}: ${valid.status} ${valid.text}`);
  const res = await request(t.app).put(`/pr/v1/persons/${personId}/identities/${identityId}/reference${TX}`);
  if (res.status !== 204) throw new Error(`defineReference ${personId}/${identityId}: ${res.status} ${res.text}`);
}
