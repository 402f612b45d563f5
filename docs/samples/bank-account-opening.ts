/**
 * OSIA use case 7, bank account opening: the bank verifies what the customer claims (Third Party verify: a yes or
 * no with a signed proof, no personal data returned), opens the account, then reads an attribute set.
 * Run: BASE=http://localhost:8080 TOKEN=... npx tsx docs/samples/bank-account-opening.ts
 */
import { unwrap } from 'osia-server/client';
import { expect, registerCitizen, sampleClient } from './lib.js';

const { osia, run, transactionId } = sampleClient();
const uin = `B-${run}`;
await registerCitizen(osia, transactionId, uin, { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10' });

// 1. Verify the claimed name and date of birth: verificationCode 0 means every attribute matches.
const verified = await unwrap(
  osia.thirdparty.POST('/v1/verify/{identifier}', {
    params: { path: { identifier: uin }, query: { transactionId, verificationProofRequired: true } },
    body: { biographicData: { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10' } },
  }),
);
expect(verified.verificationCode === 0, `the claim is verified (code ${verified.verificationCode})`);
console.log('verification proof (keep it):', verified.verificationProof?.slice(0, 40), '...');

// 2. Read the DEFAULT_SET_01 attribute set (the token needs the scope id.DEFAULT_SET_01.read).
const customer = await unwrap(
  osia.thirdparty.GET('/v1/attributes/{attributeSetName}/{identifier}', {
    params: { path: { attributeSetName: 'DEFAULT_SET_01', identifier: uin }, query: { transactionId } },
  }),
);
expect(customer.biographicData?.lastName === 'Lovelace', 'the attribute set reads the customer');
console.log('customer:', customer.biographicData);
