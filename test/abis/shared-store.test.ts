/**
 * Two built-in ABIS instances on one data directory (as two server processes would be): each one's 1:N index loads
 * what is stored when it starts and follows the other's writes through the change log before every search.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { DISTINCT, encounter, faceItem, portraitsNamed, TX } from '../support/abis-fixtures.js';
import { VARIANTS } from '../support/face-photos.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';

const first = useTestApp({ interfaces: ['abis'] });
let second: TestApp;
/** Three different people, and another capture of each. */
let faces: Buffer[] = [];
let probes: Buffer[] = [];

const enrol = (app: TestApp['app'], personId: string, image: Buffer) =>
  request(app).post(`/abis/v1/persons/${personId}/encounters/E-${personId}${TX}`).send(encounter([faceItem(image)]));
const found = async (app: TestApp['app'], probe: Buffer) => {
  const res = await request(app).post(`/abis/v1/identify/ALL${TX}`).send({ filter: {}, biometricData: [faceItem(probe)] });
  assert.equal(res.status, 200);
  return (res.body as { personId: string }[]).map((candidate) => candidate.personId);
};

before(async () => {
  const people = await portraitsNamed(DISTINCT.slice(0, 3));
  faces = people.map((portrait) => portrait.image);
  const rotate = VARIANTS['rotated +5°'] as (typeof VARIANTS)[string];
  probes = await Promise.all(people.map((portrait) => rotate(portrait)));
  assert.equal((await enrol(first.app, 'A-0', faces[0] as Buffer)).status, 200);
  // Opened after the first write: its index is loaded from the store.
  second = await createTestApp({ interfaces: ['abis'], dataDir: first.dataDir });
});

// The directory is the first app's: it removes it when it closes.
after(() => second.storage.documents.close());

describe('two instances sharing one store', () => {
  it('an instance started later finds what was stored before', async () => {
    assert.deepEqual(await found(second.app, probes[0] as Buffer), ['A-0']);
  });

  it('each finds what the other enrols', async () => {
    assert.equal((await enrol(second.app, 'B-1', faces[1] as Buffer)).status, 200);
    assert.deepEqual(await found(first.app, probes[1] as Buffer), ['B-1']);
    assert.equal((await enrol(first.app, 'A-2', faces[2] as Buffer)).status, 200);
    assert.deepEqual(await found(second.app, probes[2] as Buffer), ['A-2']);
  });

  it('each follows the other\'s status changes, merges and deletions', async () => {
    await request(second.app).put(`/abis/v1/persons/A-0/encounters/E-A-0/status${TX}&status=INACTIVE`);
    assert.deepEqual(await found(first.app, probes[0] as Buffer), []);
    await request(first.app).post(`/abis/v1/persons/A-0/encounters/E-2${TX}`).send(encounter([faceItem(faces[0] as Buffer)]));
    assert.equal((await request(first.app).post(`/abis/v1/persons/B-1/merge/A-0${TX}`)).status, 204);
    assert.deepEqual(await found(second.app, probes[0] as Buffer), ['B-1'], 'the merged encounter is searched under its new person');
    assert.equal((await request(second.app).delete(`/abis/v1/persons/B-1${TX}`)).status, 204);
    assert.deepEqual(await found(first.app, probes[1] as Buffer), []);
    assert.deepEqual(await found(first.app, probes[0] as Buffer), []);
  });
});
