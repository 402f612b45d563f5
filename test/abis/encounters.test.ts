/** Built-in ABIS encounters: CRUD, the person's lifecycle, merge and move, status, galleries, templates. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { demoPortraits, encounter, faceItem, TX } from '../support/abis-fixtures.js';
import { fakeClock } from '../support/fake-clock.js';
import { faceless, groupPhoto } from '../support/face-photos.js';
import { useTestApp } from '../support/use-test-app.js';

const clock = fakeClock('2026-03-01T10:00:00Z');
const t = useTestApp({ interfaces: ['abis'], clock });
let faces: Buffer[] = [];

before(async () => {
  faces = (await demoPortraits()).slice(0, 3).map((portrait) => portrait.image);
});

const face = (n: number) => faceItem(faces[n] as Buffer);
const create = (personId: string, encounterId: string, body: object) =>
  request(t.app).post(`/abis/v1/persons/${personId}/encounters/${encounterId}${TX}`).send(body);
const readAll = (personId: string) => request(t.app).get(`/abis/v1/persons/${personId}/encounters${TX}`);
const read = (personId: string, encounterId: string) => request(t.app).get(`/abis/v1/persons/${personId}/encounters/${encounterId}${TX}`);
const encounterIds = async (personId: string) => ((await readAll(personId)).body as { encounterId: string }[]).map((e) => e.encounterId);

describe('encounter CRUD', () => {
  it('createEncounter stores the encounter as given, with the dates of the clock, and reports the face encoded', async () => {
    const body = encounter([face(0)], { biographicData: { gender: 'F' }, clientData: 'AAEC' });
    const res = await create('P-1', 'E-1', body);
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.personId, res.body.encounterId], ['P-1', 'E-1']);
    assert.equal(res.body.others.faces.length, 1);
    assert.ok(res.body.others.faces[0].quality > 50, 'the detector is confident of a portrait');
    const stored = await read('P-1', 'E-1');
    assert.equal(stored.status, 200);
    assert.deepEqual(stored.body, {
      encounterId: 'E-1',
      status: 'ACTIVE',
      encounterType: 'ENROLMENT',
      createdDate: '2026-03-01T10:00:00.000Z',
      updatedDate: '2026-03-01T10:00:00.000Z',
      galleries: ['CITIZENS'],
      clientData: 'AAEC',
      biographicData: { gender: 'F' },
      biometricData: [face(0)],
    });
  });

  it('createEncounter answers 409 when the person has that encounter already, and changes nothing', async () => {
    await create('P-2', 'E-1', encounter([face(1)]));
    const res = await create('P-2', 'E-1', encounter([face(0)], { encounterType: 'OTHER' }));
    assert.equal(res.status, 409);
    assert.equal((await read('P-2', 'E-1')).body.encounterType, 'ENROLMENT');
  });

  it('createEncounterNoIds makes both ids, createEncounterNoId the encounter id', async () => {
    const both = await request(t.app).post(`/abis/v1/persons${TX}`).send(encounter([face(2)]));
    assert.equal(both.status, 200);
    assert.match(both.body.personId, /^[0-9a-f-]{36}$/);
    const one = await request(t.app).post(`/abis/v1/persons/${both.body.personId}/encounters${TX}`).send(encounter([face(2)]));
    assert.equal(one.status, 200);
    assert.equal(one.body.personId, both.body.personId);
    assert.notEqual(one.body.encounterId, both.body.encounterId);
    assert.deepEqual((await encounterIds(both.body.personId)).sort(), [both.body.encounterId, one.body.encounterId].sort());
  });

  it('refuses a body naming the read-only encounterId, and ALL as a gallery', async () => {
    assert.equal((await create('P-7', 'E-1', { ...encounter([face(0)]), encounterId: 'E-9' })).status, 400);
    const all = await create('P-7', 'E-1', encounter([face(0)], { galleries: ['CITIZENS', 'ALL'] }));
    assert.equal(all.status, 400);
    assert.match(all.body.message, /ALL stands for every gallery/);
    assert.equal((await readAll('P-7')).status, 404);
  });

  it('reading an unknown person or encounter answers 404', async () => {
    assert.equal((await readAll('NOBODY')).status, 404);
    assert.equal((await read('P-1', 'NONE')).status, 404);
  });

  it('updateEncounter replaces the content, keeps the creation date and answers the ids; 404 for an unknown one', async () => {
    await create('P-3', 'E-1', encounter([face(0)]));
    clock.advance(60);
    const res = await request(t.app).put(`/abis/v1/persons/P-3/encounters/E-1${TX}`).send(encounter([face(1)], { encounterType: 'RENEWAL' }));
    assert.deepEqual([res.status, res.body.personId, res.body.encounterId], [200, 'P-3', 'E-1']);
    const stored = (await read('P-3', 'E-1')).body;
    assert.deepEqual([stored.encounterType, stored.createdDate, stored.updatedDate], ['RENEWAL', '2026-03-01T10:00:00.000Z', '2026-03-01T10:01:00.000Z']);
    const unknown = await request(t.app).put(`/abis/v1/persons/P-3/encounters/NONE${TX}`).send(encounter([face(1)]));
    assert.equal(unknown.status, 404);
  });

  it('a person is created with its first encounter and goes with its last one', async () => {
    await create('P-4', 'E-1', encounter([face(0)]));
    await create('P-4', 'E-2', encounter([face(0)]));
    assert.equal((await request(t.app).delete(`/abis/v1/persons/P-4/encounters/E-1${TX}`)).status, 204);
    assert.deepEqual(await encounterIds('P-4'), ['E-2']);
    assert.equal((await request(t.app).delete(`/abis/v1/persons/P-4/encounters/E-2${TX}`)).status, 204);
    assert.equal((await readAll('P-4')).status, 404);
    assert.equal((await request(t.app).delete(`/abis/v1/persons/P-4/encounters/E-2${TX}`)).status, 404);
  });

  it('deleteAll removes every encounter of the person; 404 for an unknown person', async () => {
    await create('P-5', 'E-1', encounter([face(0)]));
    await create('P-5', 'E-2', encounter([face(1)]));
    assert.equal((await request(t.app).delete(`/abis/v1/persons/P-5${TX}`)).status, 204);
    assert.equal((await readAll('P-5')).status, 404);
    assert.equal((await request(t.app).delete(`/abis/v1/persons/P-5${TX}`)).status, 404);
  });
});

describe('biometric items', () => {
  it('a FACE image without a face, or with several, is refused with 400 and nothing is written', async () => {
    const none = await create('P-BAD', 'E-1', encounter([faceItem(await faceless())]));
    assert.equal(none.status, 400);
    assert.match(none.body.message, /no face was found/);
    const group = await create('P-BAD', 'E-1', encounter([faceItem(await groupPhoto('sample1.jpg'))]));
    assert.equal(group.status, 400);
    assert.match(group.body.message, /biometricData\[0\]: the FACE image shows \d+ faces/);
    assert.equal((await readAll('P-BAD')).status, 404);
  });

  it('an image that is no image is refused with 400', async () => {
    const res = await create('P-BAD', 'E-2', encounter([{ biometricType: 'FACE', image: Buffer.from('not an image').toString('base64') }]));
    assert.equal(res.status, 400);
    assert.match(res.body.message, /cannot be read/);
  });

  it('other modalities, and a FACE given only by reference, are stored as given and reported as not encoded', async () => {
    const finger = { biometricType: 'FINGER', biometricSubType: 'RIGHT_INDEX', image: 'AAECAw==', template: Buffer.alloc(2000, 7).toString('base64') };
    const byRef = { biometricType: 'FACE', imageRef: 'https://images.example/face.jpg' };
    const res = await create('P-6', 'E-1', encounter([finger, face(0), byRef]));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.others.faces.map((f: { index: number }) => f.index), [1]);
    assert.deepEqual(
      res.body.others.notEncoded.map((item: { index: number; biometricType: string }) => [item.index, item.biometricType]),
      [
        [0, 'FINGER'],
        [2, 'FACE'],
      ],
    );
    assert.deepEqual((await read('P-6', 'E-1')).body.biometricData, [finger, face(0), byRef]);
  });
});

describe('merge and move', () => {
  before(async () => {
    await create('M-T', 'E-1', encounter([face(0)]));
    await create('M-S', 'E-2', encounter([face(1)]));
    await create('M-S', 'E-3', encounter([face(1)]));
    await create('M-C', 'E-1', encounter([face(2)]));
  });

  it('mergeEncounter answers 409 on an encounter id both hold, and changes nothing', async () => {
    const res = await request(t.app).post(`/abis/v1/persons/M-T/merge/M-C${TX}`);
    assert.equal(res.status, 409);
    assert.deepEqual(await encounterIds('M-T'), ['E-1']);
    assert.deepEqual(await encounterIds('M-C'), ['E-1']);
  });

  it('mergeEncounter gives the target every encounter of the source, ids kept; the source is gone', async () => {
    assert.equal((await request(t.app).post(`/abis/v1/persons/M-T/merge/M-S${TX}`)).status, 204);
    assert.deepEqual((await encounterIds('M-T')).sort(), ['E-1', 'E-2', 'E-3']);
    assert.equal((await readAll('M-S')).status, 404);
    assert.deepEqual((await read('M-T', 'E-2')).body.biometricData, [face(1)]);
  });

  it('mergeEncounter answers 404 for an unknown person', async () => {
    assert.equal((await request(t.app).post(`/abis/v1/persons/M-T/merge/NOBODY${TX}`)).status, 404);
    assert.equal((await request(t.app).post(`/abis/v1/persons/NOBODY/merge/M-C${TX}`)).status, 404);
  });

  it('moveEncounter answers 409 on a clash and changes nothing, 404 for an unknown encounter', async () => {
    assert.equal((await request(t.app).post(`/abis/v1/persons/M-T/move/M-C/encounters/E-1${TX}`)).status, 409);
    assert.deepEqual(await encounterIds('M-C'), ['E-1']);
    assert.equal((await request(t.app).post(`/abis/v1/persons/M-C/move/M-T/encounters/NONE${TX}`)).status, 404);
  });

  it('moveEncounter moves one encounter, its id kept', async () => {
    assert.equal((await request(t.app).post(`/abis/v1/persons/M-C/move/M-T/encounters/E-3${TX}`)).status, 204);
    assert.deepEqual((await encounterIds('M-C')).sort(), ['E-1', 'E-3']);
    assert.deepEqual((await encounterIds('M-T')).sort(), ['E-1', 'E-2']);
  });
});

describe('status and galleries', () => {
  before(async () => {
    await create('G-1', 'E-1', encounter([face(0)], { galleries: ['VOTERS', 'CITIZENS'] }));
    await create('G-2', 'E-1', encounter([face(1)], { galleries: ['WATCH'] }));
  });

  it('updateEncounterStatus sets ACTIVE or INACTIVE; anything else is 400, an unknown encounter 404', async () => {
    assert.equal((await request(t.app).put(`/abis/v1/persons/G-1/encounters/E-1/status${TX}&status=INACTIVE`)).status, 204);
    assert.equal((await read('G-1', 'E-1')).body.status, 'INACTIVE');
    assert.equal((await request(t.app).put(`/abis/v1/persons/G-1/encounters/E-1/status${TX}&status=ASLEEP`)).status, 400);
    assert.equal((await request(t.app).put(`/abis/v1/persons/G-1/encounters/NONE/status${TX}&status=ACTIVE`)).status, 404);
  });

  it('updateEncounterGalleries replaces the galleries; readGalleries lists those in use', async () => {
    assert.equal((await request(t.app).put(`/abis/v1/persons/G-2/encounters/E-1/galleries${TX}`).send(['SUSPECTS'])).status, 204);
    assert.deepEqual((await read('G-2', 'E-1')).body.galleries, ['SUSPECTS']);
    const galleries = await request(t.app).get(`/abis/v1/galleries${TX}`);
    assert.equal(galleries.status, 200);
    assert.ok(galleries.body.includes('SUSPECTS') && galleries.body.includes('VOTERS'));
    assert.ok(!galleries.body.includes('WATCH'), 'a gallery left empty is not listed');
  });

  it('readGalleryContent lists the encounters of a gallery, pages, covers ALL, and answers CSV when asked', async () => {
    const voters = await request(t.app).get(`/abis/v1/galleries/VOTERS${TX}`);
    assert.deepEqual([voters.status, voters.body], [200, [{ personId: 'G-1', encounterId: 'E-1' }]]);
    const all = await request(t.app).get(`/abis/v1/galleries/ALL${TX}`);
    assert.ok(all.body.some((row: { personId: string }) => row.personId === 'G-2'));
    const page = await request(t.app).get(`/abis/v1/galleries/ALL${TX}&offset=1&limit=2`);
    assert.deepEqual(page.body, all.body.slice(1, 3));
    const csv = await request(t.app).get(`/abis/v1/galleries/SUSPECTS${TX}`).set('Accept', 'text/csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers['content-type'] ?? '', /^text\/csv/);
    assert.match(csv.text, /G-2,E-1/);
    assert.equal((await request(t.app).get(`/abis/v1/galleries/NOWHERE${TX}`)).status, 404);
  });
});

describe('readTemplate', () => {
  before(async () => {
    await create('T-1', 'E-1', encounter([{ biometricType: 'FINGER', image: 'AAEC' }, faceItem(faces[0] as Buffer, { instance: 'front' })]));
  });

  it('answers the computed face template with its format, algorithm, vendor and quality', async () => {
    const res = await request(t.app).get(`/abis/v1/persons/T-1/encounters/E-1/templates${TX}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 1, 'only the FACE item is encoded');
    const [computed] = res.body;
    assert.equal(Buffer.from(computed.template, 'base64').length, 128 * 4);
    assert.deepEqual(
      [computed.biometricType, computed.biometricSubType, computed.instance, computed.templateFormat, computed.vendor],
      ['FACE', 'PORTRAIT', 'front', 'OSIA_SERVER_FACE_DLIB128_F32', 'osia-server'],
    );
    assert.match(computed.algorithm, /dlib/);
    assert.ok(computed.quality > 50);
  });

  it('filters by the query, and answers 404 for an unknown encounter', async () => {
    const fingers = await request(t.app).get(`/abis/v1/persons/T-1/encounters/E-1/templates${TX}&biometricType=FINGER`);
    assert.deepEqual([fingers.status, fingers.body], [200, []]);
    const other = await request(t.app).get(`/abis/v1/persons/T-1/encounters/E-1/templates${TX}&templateFormat=ISO_19794_5`);
    assert.deepEqual(other.body, []);
    const front = await request(t.app).get(`/abis/v1/persons/T-1/encounters/E-1/templates${TX}&instance=front&biometricSubType=PORTRAIT`);
    assert.equal(front.body.length, 1);
    assert.equal((await request(t.app).get(`/abis/v1/persons/T-1/encounters/NONE/templates${TX}`)).status, 404);
  });
});
