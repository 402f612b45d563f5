/**
 * The identity lifecycle clients in the field run: CLAIMED → VALID → CLAIMED → edit → VALID, with every section of
 * the identity present on read even when a full update left it out; and a country profile's transition table.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ALIVE, claim, createIdentity, createPerson, defineReference, TX } from '../support/registry-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';

const identityUrl = (personId: string, identityId: string, suffix = '') => `/pr/v1/persons/${personId}/identities/${identityId}${suffix}${TX}`;

describe('identity lifecycle without transition rules (the default)', () => {
  const t = useTestApp({ interfaces: ['pr'] });
  before(async () => {
    await createPerson(t, 'CYCLE', ALIVE);
  });

  const setStatus = (status: string) => request(t.app).put(`${identityUrl('CYCLE', 'I1', '/status')}&status=${status}`);
  const read = async () => (await request(t.app).get(identityUrl('CYCLE', 'I1'))).body;

  it('runs CLAIMED → VALID → CLAIMED → edit → VALID', async () => {
    await createIdentity(t, 'CYCLE', 'I1', claim({ firstName: 'Ada', lastName: 'Lovelace' }));
    assert.equal((await setStatus('VALID')).status, 204);
    assert.equal((await request(t.app).patch(identityUrl('CYCLE', 'I1')).send({ identityType: 'X' })).status, 403, 'VALID is not editable');
    assert.equal((await setStatus('CLAIMED')).status, 204, 'back to CLAIMED to correct it');
    const edit = await request(t.app).patch(identityUrl('CYCLE', 'I1')).send({ biographicData: { firstName: 'Augusta Ada' } });
    assert.equal(edit.status, 204, edit.text);
    assert.equal((await setStatus('VALID')).status, 204);
    const identity = await read();
    assert.deepEqual([identity.status, identity.biographicData], ['VALID', { firstName: 'Augusta Ada', lastName: 'Lovelace' }]);
  });

  it('reads every section of an identity, empty, after a full update that omitted them', async () => {
    await createIdentity(t, 'CYCLE', 'BARE', { identityType: 'CIVIL', status: 'CLAIMED', biometricData: [], documentData: [] });
    const update = await request(t.app).put(identityUrl('CYCLE', 'BARE')).send({ identityType: 'CIVIL', status: 'CLAIMED' });
    assert.equal(update.status, 204, update.text);
    await defineReference(t, 'CYCLE', 'BARE');
    const reads = [
      (await request(t.app).get(identityUrl('CYCLE', 'BARE'))).body,
      ((await request(t.app).get(`/pr/v1/persons/CYCLE/identities${TX}`)).body as { identityId: string }[]).find((i) => i.identityId === 'BARE'),
      (await request(t.app).get(`/pr/v1/persons/CYCLE/reference${TX}`)).body,
    ];
    for (const identity of reads) {
      assert.deepEqual(
        [identity?.biographicData, identity?.contextualData, identity?.biometricData, identity?.documentData],
        [{}, {}, [], []],
      );
      assert.equal(identity?.galleries, undefined, 'absent optional fields stay absent');
    }
  });
});

describe('identity lifecycle with a country profile transition table', () => {
  let t: TestApp;
  before(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'osia-profile-'));
    const profile = path.join(dir, 'transitions.yaml');
    await writeFile(
      profile,
      'identityStatusTransitions:\n  CLAIMED: [VALID, INVALID]\n  VALID: [REVOKED, INVALID, CLAIMED]\n  INVALID: []\n  REVOKED: []\n',
    );
    t = await createTestApp({ interfaces: ['pr'], env: { OSIA_PROFILE: profile } });
    await createPerson(t, 'TABLE', ALIVE);
  });
  after(() => t.close());

  it('answers 403 naming both statuses for a move the table does not list, 400 outside the enum', async () => {
    const setStatus = (status: string) => request(t.app).put(`${identityUrl('TABLE', 'T1', '/status')}&status=${status}`);
    await createIdentity(t, 'TABLE', 'T1', claim());
    assert.equal((await setStatus('REVOKED')).status, 403);
    assert.equal((await setStatus('VALID')).status, 204);
    assert.equal((await setStatus('CLAIMED')).status, 204);
    assert.equal((await setStatus('VALID')).status, 204);
    assert.equal((await setStatus('REVOKED')).status, 204);
    const back = await setStatus('VALID');
    assert.deepEqual([back.status, back.body.message], [403, 'Identity T1 cannot go from REVOKED to VALID (country profile transitions)']);
    assert.equal((await setStatus('REVOKED')).status, 204, 'staying is allowed');
    assert.equal((await setStatus('RETIRED')).status, 400);
  });
});
