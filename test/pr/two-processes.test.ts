/**
 * Two server processes on one data directory: uniqueness and read-modify-write safety come from the store, not
 * from either process. Creates race for the same ids; merges and moves race over the same identities.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ServerProcesses, startServers } from '../support/server-processes.js';

const IDS = 100;
const ATTEMPTS_PER_PROCESS = 1000;

describe('two server processes sharing one embedded store', () => {
  let processes: ServerProcesses;
  let servers: { base: string }[] = [];

  before(async () => {
    processes = await startServers(2);
    servers = processes.bases.map((base) => ({ base: `${base}/pr/v1` }));
  });

  after(() => processes.stop());

  const send = async (base: string, method: string, route: string, body?: object) => {
    const res = await fetch(`${base}${route}?transactionId=tx-two`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    await res.arrayBuffer();
    return res.status;
  };

  it('answers exactly one 201 per person id across both processes, 409 to every other attempt, and loses none', async () => {
    const person = { status: 'ACTIVE', physicalStatus: 'ALIVE' };
    const attempts = servers.flatMap(({ base }) =>
      Array.from({ length: ATTEMPTS_PER_PROCESS }, (_, i) => ({ base, id: `RACE-${i % IDS}` })),
    );
    const statuses = await Promise.all(attempts.map(({ base, id }) => send(base, 'POST', `/persons/${id}`, person)));
    const created = new Map<string, number>();
    attempts.forEach(({ id }, i) => {
      if (statuses[i] === 201) created.set(id, (created.get(id) ?? 0) + 1);
    });
    assert.deepEqual(
      statuses.filter((status) => status !== 201 && status !== 409),
      [],
    );
    assert.equal(created.size, IDS);
    assert.deepEqual([...created.values()].filter((count) => count !== 1), []);
    for (let i = 0; i < IDS; i++) {
      for (const { base } of servers) assert.equal(await send(base, 'GET', `/persons/RACE-${i}`), 200);
    }
  });

  it('racing merges and moves leave every identity under exactly one person', async () => {
    const persons = ['MM-A', 'MM-B', 'MM-C', 'MM-D'];
    const [first, second] = servers as [(typeof servers)[0], (typeof servers)[0]];
    for (const id of persons) assert.equal(await send(first.base, 'POST', `/persons/${id}`, { status: 'ACTIVE', physicalStatus: 'ALIVE' }), 201);
    const identity = { identityType: 'CIVIL', status: 'CLAIMED', galleries: ['CITIZENS'], biographicData: {} };
    const identityIds = persons.flatMap((id, n) => [`I${n}a`, `I${n}b`].map((identityId) => ({ person: id, identityId })));
    for (const { person, identityId } of identityIds) {
      assert.equal(await send(first.base, 'POST', `/persons/${person}/identities/${identityId}`, identity), 201);
    }
    // Each process merges and moves in opposite directions at once.
    const races = [
      send(first.base, 'POST', '/persons/MM-A/merge/MM-B'),
      send(second.base, 'POST', '/persons/MM-B/merge/MM-A'),
      send(first.base, 'POST', '/persons/MM-C/move/MM-D/identities/I3a'),
      send(second.base, 'POST', '/persons/MM-D/move/MM-C/identities/I2a'),
      send(second.base, 'POST', '/persons/MM-C/merge/MM-D'),
      send(first.base, 'POST', '/persons/MM-A/move/MM-C/identities/I2b'),
      send(second.base, 'POST', '/persons/MM-B/move/MM-D/identities/I3b'),
    ];
    const statuses = await Promise.all(races);
    assert.deepEqual(
      statuses.filter((status) => ![204, 404, 409].includes(status)),
      [],
    );
    const holders = new Map<string, string[]>();
    for (const id of persons) {
      const res = await fetch(`${first.base}/persons/${id}/identities?transactionId=tx-two`);
      if (res.status === 404) continue;
      assert.equal(res.status, 200);
      for (const { identityId } of (await res.json()) as { identityId: string }[]) {
        holders.set(identityId, [...(holders.get(identityId) ?? []), id]);
      }
    }
    for (const { identityId } of identityIds) {
      assert.equal(holders.get(identityId)?.length, 1, `${identityId} is held by ${JSON.stringify(holders.get(identityId))}`);
    }
  });
});
