/**
 * OSIA use case 1, birth: the civil registry checks the parents in the population registry (Data Access), makes
 * sure the newborn is not registered yet, gets a UIN (UIN Management) and registers the child (PR).
 * Run: BASE=http://localhost:8080 TOKEN=... npx tsx docs/samples/birth-registration.ts
 */
import { unwrap } from 'osia-server/client';
import { expect, registerCitizen, sampleClient } from './lib.js';

const { osia, run, transactionId } = sampleClient();
const mother = `M-${run}`;
await registerCitizen(osia, transactionId, mother, { firstName: 'Mary', lastName: 'Kingsley', dateOfBirth: '1990-04-02' });

// 1. The declared mother matches the registry: no mismatching attribute.
const mismatches = await unwrap(
  osia.dataaccess.POST('/v1/persons/{uin}/match', {
    params: { path: { uin: mother } },
    body: { firstName: 'Mary', lastName: 'Kingsley', dateOfBirth: '1990-04-02' },
  }),
);
expect(mismatches.length === 0, `the mother does not match: ${JSON.stringify(mismatches)}`);

// 2. Her attributes, for the birth record.
const motherRecord = await unwrap(
  osia.dataaccess.GET('/v1/persons/{uin}', { params: { path: { uin: mother }, query: { attributeNames: ['lastName', 'dateOfBirth'] } } }),
);
console.log('mother:', motherRecord);

// 3. The newborn is not registered yet: Data Access answers 404 when nobody matches.
const newborn = { firstName: 'Ella', lastName: 'Kingsley', dateOfBirth: '2026-11-30' };
const existing = await osia.dataaccess.GET('/v1/persons', { params: { query: { attributes: newborn } } });
expect(existing.response.status === 404, `a person matches already (${existing.response.status}): not registering twice`);

// 4. A UIN for the newborn, then 5. the child in the population registry.
const uin = String(await unwrap(osia.uin.POST('/v1/uin', { params: { query: { transactionId } }, body: newborn })));
await registerCitizen(osia, transactionId, uin, newborn);
const child = await unwrap(
  osia.dataaccess.GET('/v1/persons/{uin}', { params: { path: { uin }, query: { attributeNames: ['firstName', 'lastName', 'dateOfBirth'] } } }),
);
expect(child.lastName === 'Kingsley', 'the child reads back');
console.log(`registered ${uin}:`, child);
