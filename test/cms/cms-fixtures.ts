/** Shared helpers of the CMS tests: sample requests and the calls most tests make. */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { TestApp } from '../support/test-app.js';

export const TX = '?transactionId=tx-cms';

type Json = Record<string, unknown>;

/** A valid CredentialRequest for `credentialProfileId`, with `requestData` members added or replaced. */
export function credentialRequest(credentialProfileId = 'RESIDENCE_PERMIT', requestData: Json = {}, personId = 'P-1'): Json {
  return {
    personId,
    biographicData: { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10' },
    requestData: { priority: 5, credentialProfileId, requestType: 'FIRST_ISSUANCE', ...requestData },
  };
}

export const requestUrl = (id: string, suffix = '') => `/cms/v1/credentialRequests/${id}${suffix}${TX}`;
export const credentialUrl = (id: string, suffix = '') => `/cms/v1/credentials/${id}${suffix}${TX}`;

/** Creates a request (201 expected) and returns the id of its one credential. */
export async function issue(t: TestApp, id: string, body: Json = credentialRequest()): Promise<string> {
  const created = await request(t.app).post(requestUrl(id)).send(body);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const read = await request(t.app).get(requestUrl(id));
  assert.equal(read.body.status, 'ISSUED', JSON.stringify(read.body));
  assert.equal(read.body.credentialIds.length, 1);
  return read.body.credentialIds[0] as string;
}

export async function readCredential(t: TestApp, id: string): Promise<Json> {
  const read = await request(t.app).get(credentialUrl(id));
  assert.equal(read.status, 200, JSON.stringify(read.body));
  return read.body as Json;
}

/** Writes a catalogue file in a fresh temporary directory and returns its path. */
export async function catalogueFile(yaml: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'osia-catalogue-')), 'profiles.yaml');
  await writeFile(file, yaml);
  return file;
}

/** A date-time `days` from now, RFC 3339 in UTC without fractions. */
export const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
