import { createOsiaClient, unwrap } from 'osia-server/client';

const osia = createOsiaClient({ baseUrl: process.env.BASE ?? 'http://localhost:8080', token: process.env.TOKEN });
const query = { transactionId: 'tx-readme' };
const personId = String(await unwrap(osia.uin.POST('/v1/uin', { params: { query }, body: {} })));
await unwrap(osia.pr.POST('/v1/persons/{personId}', {
  params: { path: { personId }, query }, body: { status: 'ACTIVE', physicalStatus: 'ALIVE' },
}));
const person = await unwrap(osia.pr.GET('/v1/persons/{personId}', { params: { path: { personId }, query } }));
console.log(person.personId, person.status, person.physicalStatus);
