/**
 * Compile-time test, checked by `npm run typecheck` (never executed): each call below is wrong, and the
 * `@ts-expect-error` above it makes tsc fail the day the client's types would let it through.
 */
import { createOsiaClient } from '../../src/client/index.js';

export async function wrongCalls(): Promise<void> {
  const osia = createOsiaClient({ baseUrl: 'http://127.0.0.1:8080', token: 'token' });
  const query = { transactionId: 'tx' };

  // @ts-expect-error misspelt path parameter (personID instead of personId)
  await osia.pr.GET('/v1/persons/{personId}', { params: { path: { personID: 'P1' }, query } });

  // @ts-expect-error transactionId is required on every PR operation
  await osia.pr.GET('/v1/persons/{personId}', { params: { path: { personId: 'P1' }, query: {} } });

  // @ts-expect-error no such path in the PR document
  await osia.pr.GET('/v1/people/{personId}', { params: { path: { personId: 'P1' }, query } });

  // @ts-expect-error readPerson is a GET, not a PATCH
  await osia.pr.PATCH('/v1/persons/{personId}', { params: { path: { personId: 'P1' }, query } });

  await osia.pr.POST('/v1/persons/{personId}', {
    params: { path: { personId: 'P1' }, query },
    // @ts-expect-error physicalStatus is an enum: ALIVE or DEAD
    body: { status: 'ACTIVE', physicalStatus: 'ASLEEP' },
  });

  await osia.cms.POST('/v1/credentialRequests/{credentialRequestId}', {
    params: { path: { credentialRequestId: 'R1' }, query },
    // @ts-expect-error requestData is required in a credential request
    body: { personId: 'P1' },
  });

  // @ts-expect-error readPersonAttributes requires attributeNames
  await osia.dataaccess.GET('/v1/persons/{uin}', { params: { path: { uin: 'U1' }, query: {} } });

  await osia.pr.POST('/v1/persons/{personId}/identities/{identityId}', {
    params: { path: { personId: 'P1', identityId: 'I1' }, query },
    // @ts-expect-error identityType is required in an identity
    body: { status: 'VALID' },
  });

  const person = await osia.pr.GET('/v1/persons/{personId}', { params: { path: { personId: 'P1' }, query } });
  // @ts-expect-error the answer is typed: a person has no dateOfBirth (identities carry biographic data)
  person.data?.dateOfBirth;
  // @ts-expect-error errors are the OSIA Error object: code is a number
  const code: string | undefined = person.error?.code;
  void code;
}
