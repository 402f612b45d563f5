/**
 * Persons recorded through the PR HTTP API, for the Data Access tests: each has identities, and most have a
 * reference identity, which is all Data Access may answer from.
 */
import assert from 'node:assert/strict';
import { before } from 'node:test';
import type { Express } from 'express';
import request from 'supertest';
import { SENTINEL_NAMES, SENTINEL_PDF_BASE64, SENTINEL_PNG_BASE64 } from '../support/sentinels.js';
import type { TestApp } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';

export const PDF = Buffer.from(SENTINEL_PDF_BASE64, 'base64');
export const PNG = Buffer.from(SENTINEL_PNG_BASE64, 'base64');

interface FixtureIdentity {
  identityId: string;
  biographicData: Record<string, unknown>;
  documentData?: unknown[];
}

interface FixturePerson {
  personId: string;
  identities: FixtureIdentity[];
  /** The identity made reference, if any. */
  reference?: string;
}

const birthCertificate = { documentType: 'BIRTH_CERTIFICATE', parts: [{ pages: [1], data: SENTINEL_PDF_BASE64, mimeType: 'application/pdf' }] };
// No mimeType: the server recognises the PNG from its first bytes.
const marriageCertificate = { documentType: 'OTHER', documentTypeOther: 'Marriage', parts: [{ data: SENTINEL_PNG_BASE64 }] };
/** The back of the ID card: other bytes, also a PNG. */
export const PNG_BACK = Buffer.concat([PNG, Buffer.from('back side')]);
const idCard = {
  documentType: 'ID_CARD',
  parts: [
    { pages: [1], data: SENTINEL_PNG_BASE64, mimeType: 'image/png' },
    { pages: [2], data: PNG_BACK.toString('base64'), mimeType: 'image/png' },
  ],
};
const passport = { documentType: 'PASSPORT', parts: [{ dataRef: 'https://documents.example/passport.pdf', mimeType: 'application/pdf' }] };

export const ZEBULON = {
  personId: 'P1001',
  identities: [
    {
      identityId: 'I1',
      biographicData: { ...SENTINEL_NAMES, dateOfBirth: '1984-11-19', gender: 'M', nationality: 'FRA' },
      documentData: [birthCertificate, marriageCertificate, idCard, passport],
    },
    // Not the reference: Data Access must never answer from it.
    { identityId: 'I2', biographicData: { firstName: 'Ignatius', lastName: 'Quartermaine', gender: 'F' } },
  ],
  reference: 'I1',
} satisfies FixturePerson;

export const ADA = {
  personId: 'P1002',
  identities: [
    {
      identityId: 'I1',
      biographicData: { firstName: 'Ada', lastName: SENTINEL_NAMES.lastName, dateOfBirth: '1990-05-01', gender: 'F' },
      documentData: [marriageCertificate],
    },
  ],
  reference: 'I1',
} satisfies FixturePerson;

/** Recorded gender outside the value mapping: an ISO 5218 code as is, and a letter the dictionary does not know. */
export const NOT_APPLICABLE = {
  personId: 'P1003',
  identities: [{ identityId: 'I1', biographicData: { firstName: 'Odile', lastName: 'Lefevre', gender: 9 } }],
  reference: 'I1',
} satisfies FixturePerson;

export const UNMAPPED = {
  personId: 'P1004',
  identities: [{ identityId: 'I1', biographicData: { firstName: 'Odile', lastName: 'Marchetti', gender: 'X' } }],
  reference: 'I1',
} satisfies FixturePerson;

/** A person whose only identity is not the reference. */
export const CLAIM_ONLY = {
  personId: 'P1005',
  identities: [{ identityId: 'I1', biographicData: { firstName: 'Ada', lastName: SENTINEL_NAMES.lastName } }],
} satisfies FixturePerson;

/** Five namesakes, for paging. */
export const NAMESAKES: FixturePerson[] = [1, 2, 3, 4, 5].map((n) => ({
  personId: `P200${n}`,
  identities: [{ identityId: 'I1', biographicData: { firstName: `Name${n}`, lastName: 'Pagination' } }],
  reference: 'I1',
}));

async function record(app: Express, person: FixturePerson): Promise<void> {
  const base = `/pr/v1/persons/${person.personId}`;
  const created = await request(app).post(`${base}?transactionId=t`).send({ status: 'ACTIVE', physicalStatus: 'ALIVE' });
  assert.equal(created.status, 201, `createPerson ${person.personId}: ${JSON.stringify(created.body)}`);
  for (const { identityId, ...data } of person.identities) {
    const identity = await request(app)
      .post(`${base}/identities/${identityId}?transactionId=t`)
      // Only a VALID identity can become the reference.
      .send({ identityType: 'civil', status: identityId === person.reference ? 'VALID' : 'CLAIMED', ...data });
    assert.equal(identity.status, 201, `createIdentityWithId ${person.personId}/${identityId}: ${JSON.stringify(identity.body)}`);
  }
  if (person.reference) {
    const reference = await request(app).put(`${base}/identities/${person.reference}/reference?transactionId=t`);
    assert.equal(reference.status, 204, `defineReference ${person.personId}: ${JSON.stringify(reference.body)}`);
  }
}

export async function recordPopulation(app: Express): Promise<void> {
  for (const person of [ZEBULON, ADA, NOT_APPLICABLE, UNMAPPED, CLAIM_ONLY, ...NAMESAKES]) await record(app, person);
}

/** Data Access is served under its own prefix and under the PR's. */
export const MOUNTS = ['/dataaccess', '/pr'] as const;

/** An OSIA Error answer: the status, `{code, message}` and a message naming what is wrong. */
export function assertErrorAnswer(res: request.Response, status: number, message: RegExp): void {
  // Raw-body parsers (see multipart-parser.ts) leave the JSON unparsed.
  const body = Buffer.isBuffer(res.body) ? JSON.parse(res.body.toString('utf8')) : res.body;
  assert.equal(res.status, status, JSON.stringify(body));
  assert.deepEqual(Object.keys(body).sort(), ['code', 'message']);
  assert.match(body.message, message);
}

/**
 * Inside a `describe`: a PR + Data Access app holding the recorded population for the block's tests, closed after
 * them. The returned object reads through to the current app.
 */
export function usePopulatedApp(): Pick<TestApp, 'app' | 'storage'> {
  const t = useTestApp({ interfaces: ['pr', 'dataaccess'] });
  // Registered after useTestApp's own hook, so it runs once the app is open.
  before(() => recordPopulation(t.app));
  return t;
}
