/**
 * PR deletes, merges and identity moves reach the ABIS through the durable mirror outbox: a record committed with
 * the PR change, applied by the mirror job (driven here with runOnce), idempotent. Encounters hold a fingerprint
 * (stored, never encoded by the built-in engine), so no face work is needed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { ALIVE, claim, createIdentity, createPerson, TX } from '../support/registry-fixtures.js';
import { useTestApp } from '../support/use-test-app.js';

const t = useTestApp({ interfaces: ['pr', 'abis'] });

const finger = { biometricType: 'FINGER', biometricSubType: 'RIGHT_INDEX', image: 'AAAA' };

/** A PR person with identity `identityId`, and its ABIS encounter of that id in the national gallery (unless `inAbis` is false). */
async function personWithEncounter(personId: string, identityId: string, inAbis = true): Promise<void> {
  await createPerson(t, personId, ALIVE);
  await createIdentity(t, personId, identityId, claim({ firstName: personId }));
  if (!inAbis) return;
  const body = { status: 'ACTIVE', encounterType: 'CITIZEN', galleries: ['national'], biometricData: [finger] };
  const res = await request(t.app).post(`/abis/v1/persons/${personId}/encounters/${identityId}${TX}`).send(body);
  assert.equal(res.status, 200, res.text);
}

async function encountersOf(personId: string): Promise<string[] | number> {
  const res = await request(t.app).get(`/abis/v1/persons/${personId}/encounters${TX}`);
  if (res.status !== 200) return res.status;
  return (res.body as { encounterId: string }[]).map(({ encounterId }) => encounterId).sort();
}

const pending = async () => (await t.storage.documents.collection('abis_mirror_outbox')).count();

async function mirror(): Promise<number> {
  const job = t.services.abisMirror;
  assert.ok(job, 'pr and abis served: the mirror exists');
  return job.runOnce();
}

describe('PR changes mirrored into the ABIS', () => {
  it('moveIdentity moves the encounter of that id; the record is committed with the change and deleted once applied', async () => {
    await personWithEncounter('M-1', 'I-1');
    await personWithEncounter('M-2', 'I-2');
    const moved = await request(t.app).post(`/pr/v1/persons/M-1/move/M-2/identities/I-2${TX}`);
    assert.equal(moved.status, 204, moved.text);
    assert.equal(await pending(), 1, 'owed as soon as the PR change committed');
    assert.deepEqual(await encountersOf('M-1'), ['I-1'], 'not applied before the job runs');
    assert.equal(await mirror(), 1);
    assert.equal(await pending(), 0);
    assert.deepEqual(await encountersOf('M-1'), ['I-1', 'I-2']);
    assert.equal(await encountersOf('M-2'), 404, 'the ABIS person left without encounter is gone');
  });

  it('mergePerson merges the encounters; deletePerson deletes the ABIS person', async () => {
    await personWithEncounter('G-1', 'J-1');
    await personWithEncounter('G-2', 'J-2');
    assert.equal((await request(t.app).post(`/pr/v1/persons/G-1/merge/G-2${TX}`)).status, 204);
    assert.equal(await mirror(), 1);
    assert.deepEqual(await encountersOf('G-1'), ['J-1', 'J-2']);
    assert.equal(await encountersOf('G-2'), 404);

    assert.equal((await request(t.app).delete(`/pr/v1/persons/G-1${TX}`)).status, 204);
    assert.equal(await mirror(), 1);
    assert.equal(await encountersOf('G-1'), 404);
  });

  it('a target the ABIS does not know gets the encounters copied; persons the ABIS never held are done at once', async () => {
    await personWithEncounter('C-1', 'K-1', false);
    await personWithEncounter('C-2', 'K-2');
    assert.equal((await request(t.app).post(`/pr/v1/persons/C-1/merge/C-2${TX}`)).status, 204);
    await personWithEncounter('C-3', 'K-3', false);
    await personWithEncounter('C-4', 'K-4');
    assert.equal((await request(t.app).post(`/pr/v1/persons/C-3/move/C-4/identities/K-4${TX}`)).status, 204);
    await personWithEncounter('N-1', 'L-1', false);
    assert.equal((await request(t.app).delete(`/pr/v1/persons/N-1${TX}`)).status, 204);
    assert.equal(await mirror(), 3);
    assert.deepEqual([await encountersOf('C-1'), await encountersOf('C-2')], [['K-2'], 404]);
    assert.deepEqual([await encountersOf('C-3'), await encountersOf('C-4')], [['K-4'], 404]);
    assert.equal(await pending(), 0, 'a 404 counts as done');
  });

  it('a record applied twice (a process died before deleting it) changes nothing more', async () => {
    await personWithEncounter('R-1', 'S-1');
    await personWithEncounter('R-2', 'S-2');
    await personWithEncounter('R-3', 'S-3');
    assert.equal((await request(t.app).post(`/pr/v1/persons/R-1/merge/R-2${TX}`)).status, 204);
    assert.equal((await request(t.app).post(`/pr/v1/persons/R-1/move/R-3/identities/S-3${TX}`)).status, 204);
    assert.equal((await request(t.app).delete(`/pr/v1/persons/R-1${TX}`)).status, 204);
    const outbox = await t.storage.documents.collection('abis_mirror_outbox');
    const records = await outbox.find({});
    assert.equal(records.length, 3);
    assert.equal(await mirror(), 3);
    assert.equal(await encountersOf('R-1'), 404);
    for (const record of records) await outbox.insert(record);
    assert.equal(await mirror(), 3, 'each found its work done');
    assert.deepEqual([await encountersOf('R-1'), await encountersOf('R-2'), await encountersOf('R-3')], [404, 404, 404]);
  });

  it('changes the ABIS needs not follow write nothing', async () => {
    await personWithEncounter('U-1', 'V-1');
    assert.equal((await request(t.app).put(`/pr/v1/persons/U-1${TX}`).send({ status: 'INACTIVE', physicalStatus: 'ALIVE' })).status, 204);
    assert.equal(await pending(), 0);
  });
});
