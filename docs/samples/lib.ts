/** Shared by the typed-client samples: the client from BASE and TOKEN, and the registry data the samples start from. */
import { createOsiaClient, type OsiaClients, unwrap } from 'osia-server/client';

export function sampleClient(): { osia: OsiaClients; run: string; transactionId: string } {
  const { BASE, TOKEN } = process.env;
  if (!BASE || !TOKEN) throw new Error('set BASE (e.g. http://localhost:8080) and TOKEN (npm run token -- --scope ...)');
  const run = process.env.RUN ?? `${Date.now()}`;
  return { osia: createOsiaClient({ baseUrl: BASE, token: TOKEN }), run, transactionId: `sample-${run}` };
}

/** A person with a VALID reference identity, as a civil registry would have recorded it. */
export async function registerCitizen(
  osia: OsiaClients,
  transactionId: string,
  uin: string,
  biographicData: { firstName: string; lastName: string; dateOfBirth: string },
  gallery = 'CITIZENS',
): Promise<void> {
  const query = { transactionId };
  await unwrap(osia.pr.POST('/v1/persons/{personId}', { params: { path: { personId: uin }, query }, body: { status: 'ACTIVE', physicalStatus: 'ALIVE' } }));
  await unwrap(
    osia.pr.POST('/v1/persons/{personId}/identities/{identityId}', {
      params: { path: { personId: uin, identityId: 'civil' }, query },
      body: {
        identityType: 'CIVIL',
        status: 'VALID',
        galleries: [gallery],
        biographicData,
        contextualData: { contactData: { email: `${biographicData.firstName.toLowerCase()}@example.org` } },
      },
    }),
  );
  await unwrap(osia.pr.PUT('/v1/persons/{personId}/identities/{identityId}/reference', { params: { path: { personId: uin, identityId: 'civil' }, query } }));
}

/** Fails the sample when a step does not give what the use case needs. */
export function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`sample failed: ${what}`);
}
