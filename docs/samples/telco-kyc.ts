/**
 * OSIA use case 9, telco SIM registration with an ID document: the telco checks the card the customer shows (Third
 * Party verify by credential number, with proof), reads the card's metadata, then pre-fills the customer record
 * (readAttributes). The registry office issued the card beforehand (CMS).
 * Run: BASE=http://localhost:8080 TOKEN=... npx tsx docs/samples/telco-kyc.ts
 */
import { unwrap } from 'osia-server/client';
import { expect, registerCitizen, sampleClient } from './lib.js';

const { osia, run, transactionId } = sampleClient();
const query = { transactionId };
const uin = `T-${run}`;
await registerCitizen(osia, transactionId, uin, { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10' });
const credentialRequestId = `card-${run}`;
await unwrap(
  osia.cms.POST('/v1/credentialRequests/{credentialRequestId}', {
    params: { path: { credentialRequestId }, query },
    body: { personId: uin, biographicData: {}, requestData: { credentialProfileId: 'RESIDENCE_PERMIT', requestType: 'FIRST_ISSUANCE', priority: 1 } },
  }),
);
const [credentialId = ''] = (await unwrap(osia.cms.GET('/v1/credentialRequests/{credentialRequestId}', { params: { path: { credentialRequestId }, query } })))
  .credentialIds ?? [];
const card = (await unwrap(osia.cms.GET('/v1/credentials/{credentialId}', { params: { path: { credentialId }, query } }))).credentialNumber;
expect(card !== undefined, 'the card has a number');
const byCard = { path: { identifier: card as string }, query: { transactionId, identifierType: 'credentialNumber' } } as const;

// 1. The card belongs to the person at the counter; the proof is stored for compliance.
const verified = await unwrap(
  osia.thirdparty.POST('/v1/verify/{identifier}', {
    params: { ...byCard, query: { ...byCard.query, verificationProofRequired: true } },
    body: { biographicData: { firstName: 'Ada', lastName: 'Lovelace' } },
  }),
);
expect(verified.verificationCode === 0, `the card is verified (code ${verified.verificationCode})`);

// 2. The card's metadata: is it in force?
const metadata = await unwrap(
  osia.thirdparty.POST('/v1/attributes/{identifier}', {
    params: byCard,
    body: { outputCredentialData: [{ credentialType: 'ID_CARD', credentialDataFields: ['status', 'expiryDate'] }] },
  }),
);
expect(metadata.credentialData?.[0]?.status === 'ACTIVE', 'the card is in force');

// 3. Pre-fill the customer record.
const prefill = await unwrap(
  osia.thirdparty.POST('/v1/attributes/{identifier}', {
    params: byCard,
    body: { outputBiographicData: ['firstName', 'lastName', 'dateOfBirth'], outputContactData: ['email'] },
  }),
);
expect(prefill.biographicData?.lastName === 'Lovelace', 'the record is pre-filled');
console.log('customer:', prefill);
