/**
 * OSIA use case 4, ID card request after a lost card: the credential provider checks the citizen in the registry
 * (Data Access), suspends the lost card and requests a new one from the CMS, then follows the request.
 * Run: BASE=http://localhost:8080 TOKEN=... npx tsx docs/samples/id-card-request.ts
 */
import { unwrap } from 'osia-server/client';
import { expect, registerCitizen, sampleClient } from './lib.js';

const { osia, run, transactionId } = sampleClient();
const query = { transactionId };
const uin = `C-${run}`;
await registerCitizen(osia, transactionId, uin, { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10' });

const requestCard = (credentialRequestId: string, requestType: 'FIRST_ISSUANCE' | 'REPLACEMENT') =>
  unwrap(
    osia.cms.POST('/v1/credentialRequests/{credentialRequestId}', {
      params: { path: { credentialRequestId }, query },
      body: {
        personId: uin,
        biographicData: { firstName: 'Ada', lastName: 'Lovelace' },
        requestData: { credentialProfileId: 'RESIDENCE_PERMIT', requestType, priority: 5 },
      },
    }),
  );
const readRequest = (credentialRequestId: string) =>
  unwrap(osia.cms.GET('/v1/credentialRequests/{credentialRequestId}', { params: { path: { credentialRequestId }, query } }));

await requestCard(`first-${run}`, 'FIRST_ISSUANCE');
const [lost] = (await readRequest(`first-${run}`)).credentialIds ?? [];
expect(lost !== undefined, 'the first card was issued');

// 1. The citizen at the counter matches the registry.
const mismatches = await unwrap(
  osia.dataaccess.POST('/v1/persons/{uin}/match', { params: { path: { uin } }, body: { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10' } }),
);
expect(mismatches.length === 0, 'the citizen matches the registry');

// 2. The lost card is suspended.
const credentialId = lost as string;
await unwrap(osia.cms.POST('/v1/credentials/{credentialId}/suspend', { params: { path: { credentialId }, query }, body: { reason: 'lost' } }));
expect((await unwrap(osia.cms.GET('/v1/credentials/{credentialId}', { params: { path: { credentialId }, query } }))).status === 'SUSPENDED', 'the lost card is suspended');

// 3. A new card is requested, and the request followed until it is issued.
await requestCard(`replacement-${run}`, 'REPLACEMENT');
const replacement = await readRequest(`replacement-${run}`);
expect(replacement.status === 'ISSUED', `the new card is issued (${replacement.status})`);
console.log('replacement:', replacement.status, replacement.credentialIds);
