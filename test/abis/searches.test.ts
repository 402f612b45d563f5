/** Built-in ABIS searches: identify (from a probe, a person, an encounter), verify, Filter, status, refusals. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { DISTINCT, portraitsNamed, encounter, faceItem, TX } from '../support/abis-fixtures.js';
import { faceless, groupPhoto, type Portrait, VARIANTS } from '../support/face-photos.js';
import { useTestApp } from '../support/use-test-app.js';

const t = useTestApp({ interfaces: ['abis'] });
/** Enrolled as S-0 … S-5. */
let enrolled: Portrait[] = [];
/** Another capture of each enrolled face. */
let probes: Buffer[] = [];

interface Candidate {
  personId: string;
  rank: number;
  score: number;
  scores: { encounterId: string; galleries: string[]; biometricType: string; biometricSubType?: string; score: number }[];
}

const identify = (galleryId: string, biometricData: object[], filter: object = {}, query = '') =>
  request(t.app).post(`/abis/v1/identify/${galleryId}${TX}${query}`).send({ filter, biometricData });
const personIds = (candidates: Candidate[]) => candidates.map((candidate) => candidate.personId);

before(async () => {
  enrolled = await portraitsNamed(DISTINCT);
  probes = await Promise.all(enrolled.map((portrait) => (VARIANTS['rotated +5°'] as (p: Portrait) => Promise<Buffer>)(portrait)));
  for (const [i, portrait] of enrolled.entries()) {
    const galleries = i % 2 === 0 ? ['CITIZENS', 'EVEN'] : ['CITIZENS'];
    const biographicData = { yearOfBirth: 1980 + i, dateOfBirth: `${1980 + i}-06-15`, gender: i < 3 ? 'F' : 'M' };
    const res = await request(t.app).post(`/abis/v1/persons/S-${i}/encounters/E-1${TX}`).send(encounter([faceItem(portrait.image)], { galleries, biographicData }));
    assert.equal(res.status, 200);
  }
});

describe('identify', () => {
  it('finds the same person from another capture, ranked first, and no one else at the default threshold', async () => {
    for (const [i, probe] of probes.entries()) {
      const res = await identify('CITIZENS', [faceItem(probe)]);
      assert.equal(res.status, 200);
      assert.deepEqual(personIds(res.body), [`S-${i}`], `probe ${i}`);
      const [best] = res.body as Candidate[];
      assert.equal(best?.rank, 1);
      assert.ok((best?.score ?? 0) >= 0.4);
      assert.deepEqual(best?.scores.map(({ encounterId, galleries, biometricType, biometricSubType }) => ({ encounterId, galleries, biometricType, biometricSubType })), [
        { encounterId: 'E-1', galleries: i % 2 === 0 ? ['CITIZENS', 'EVEN'] : ['CITIZENS'], biometricType: 'FACE', biometricSubType: 'PORTRAIT' },
      ]);
    }
  });

  it('searches the gallery named: a person filed elsewhere is not found; an unknown gallery is 404', async () => {
    assert.deepEqual(personIds((await identify('EVEN', [faceItem(probes[1] as Buffer)])).body), []);
    assert.deepEqual(personIds((await identify('EVEN', [faceItem(probes[2] as Buffer)])).body), ['S-2']);
    assert.deepEqual(personIds((await identify('ALL', [faceItem(probes[1] as Buffer)])).body), ['S-1']);
    assert.equal((await identify('NOWHERE', [faceItem(probes[1] as Buffer)])).status, 404);
  });

  it('ranks by score, cuts at maxNbCand and keeps what reaches the threshold', async () => {
    const res = await identify('ALL', [faceItem(probes[0] as Buffer)], {}, '&threshold=0&maxNbCand=4');
    const candidates = res.body as Candidate[];
    assert.deepEqual(candidates.map((candidate) => candidate.rank), [1, 2, 3, 4]);
    assert.equal(candidates[0]?.personId, 'S-0');
    for (let i = 1; i < candidates.length; i++) assert.ok((candidates[i - 1]?.score ?? 0) >= (candidates[i]?.score ?? 0));
    const strict = await identify('ALL', [faceItem(probes[0] as Buffer)], {}, '&threshold=0.99');
    assert.deepEqual(strict.body, []);
    assert.equal((await identify('ALL', [faceItem(probes[0] as Buffer)], {}, '&threshold=2')).status, 400);
    assert.equal((await identify('ALL', [faceItem(probes[0] as Buffer)], {}, '&maxNbCand=0')).status, 400);
  });

  it('applies the Filter: equal values, Min/Max ranges on numbers and ISO dates', async () => {
    const probe = [faceItem(probes[4] as Buffer)];
    assert.deepEqual(personIds((await identify('ALL', probe, { gender: 'M' })).body), ['S-4']);
    assert.deepEqual(personIds((await identify('ALL', probe, { gender: 'F' })).body), []);
    assert.deepEqual(personIds((await identify('ALL', probe, { yearOfBirthMin: 1984, yearOfBirthMax: 1984 })).body), ['S-4']);
    assert.deepEqual(personIds((await identify('ALL', probe, { yearOfBirthMax: 1983 })).body), []);
    assert.deepEqual(personIds((await identify('ALL', probe, { dateOfBirthMin: '1984-01-01' })).body), ['S-4']);
    assert.deepEqual(personIds((await identify('ALL', probe, { dateOfBirthMin: '1984-07-01' })).body), []);
    assert.deepEqual(personIds((await identify('ALL', probe, { biometricType: ['FACE', 'FINGER'] })).body), ['S-4']);
  });

  it('refuses with 400 a Filter or a probe asking for what it cannot match, naming the modality', async () => {
    const fingerOnly = await identify('ALL', [faceItem(probes[0] as Buffer)], { biometricType: ['FINGER'] });
    assert.equal(fingerOnly.status, 400);
    assert.match(fingerOnly.body.message, /FINGER.*FACE only/);
    const fingerProbe = await identify('ALL', [{ biometricType: 'FINGER', biometricSubType: 'RIGHT_INDEX', image: 'AAEC' }]);
    assert.equal(fingerProbe.status, 400);
    assert.match(fingerProbe.body.message, /FINGER/);
    const byRef = await identify('ALL', [{ biometricType: 'FACE', imageRef: 'https://images.example/p.jpg' }]);
    assert.equal(byRef.status, 400);
  });

  it('refuses with 400 a probe image with no face or several', async () => {
    assert.match((await identify('ALL', [faceItem(await faceless())])).body.message, /no face/);
    const group = await identify('ALL', [faceItem(await groupPhoto('sample2.jpg'))]);
    assert.equal(group.status, 400);
    assert.match(group.body.message, /faces; a portrait must show exactly one/);
  });

  it('leaves INACTIVE encounters out, and finds them again once ACTIVE', async () => {
    const status = (value: string) => request(t.app).put(`/abis/v1/persons/S-3/encounters/E-1/status${TX}&status=${value}`);
    assert.equal((await status('INACTIVE')).status, 204);
    assert.deepEqual(personIds((await identify('ALL', [faceItem(probes[3] as Buffer)])).body), []);
    await status('ACTIVE');
    assert.deepEqual(personIds((await identify('ALL', [faceItem(probes[3] as Buffer)])).body), ['S-3']);
  });
});

describe('identify from stored data', () => {
  before(async () => {
    // The same face enrolled again under another id: the duplicate a de-duplication looks for.
    await request(t.app).post(`/abis/v1/persons/DUP-0/encounters/D-1${TX}`).send(encounter([faceItem(probes[0] as Buffer)]));
  });

  it('identifyFromId searches with the person\'s faces and leaves the person out', async () => {
    const res = await request(t.app).post(`/abis/v1/identify/CITIZENS/S-0${TX}`).send({});
    assert.deepEqual([res.status, personIds(res.body)], [200, ['DUP-0']]);
    const back = await request(t.app).post(`/abis/v1/identify/ALL/DUP-0${TX}`);
    assert.deepEqual(personIds(back.body), ['S-0']);
    const filtered = await request(t.app).post(`/abis/v1/identify/ALL/DUP-0${TX}`).send({ gender: 'M' });
    assert.deepEqual(filtered.body, []);
    assert.equal((await request(t.app).post(`/abis/v1/identify/ALL/NOBODY${TX}`).send({})).status, 404);
  });

  it('identifyFromEncounterId searches with one encounter; 404 for an unknown one', async () => {
    const res = await request(t.app).post(`/abis/v1/identify/ALL/DUP-0/encounters/D-1${TX}`).send({});
    assert.deepEqual([res.status, personIds(res.body)], [200, ['S-0']]);
    assert.equal((await request(t.app).post(`/abis/v1/identify/ALL/DUP-0/encounters/NONE${TX}`).send({})).status, 404);
  });
});

describe('verify', () => {
  it('verifyFromId decides from the person\'s faces in the gallery; 404 when it has none there', async () => {
    const verify = (galleryId: string, personId: string, image: Buffer) =>
      request(t.app).post(`/abis/v1/verify/${galleryId}/${personId}${TX}`).send({ biometricData: [faceItem(image)] });
    const same = await verify('CITIZENS', 'S-1', probes[1] as Buffer);
    assert.equal(same.status, 200);
    assert.equal(same.body.decision, true);
    assert.equal(same.body.scores[0].encounterId, 'E-1');
    const other = await verify('CITIZENS', 'S-1', probes[2] as Buffer);
    assert.deepEqual([other.status, other.body.decision], [200, false]);
    assert.ok(other.body.scores[0].score < 0.4);
    assert.equal((await verify('EVEN', 'S-1', probes[1] as Buffer)).status, 404);
    assert.equal((await verify('ALL', 'NOBODY', probes[1] as Buffer)).status, 404);
  });

  it('verifyFromBio compares two sets; a set without a FACE image is 400', async () => {
    const verify = (one: object[], two: object[]) => request(t.app).post(`/abis/v1/verify${TX}`).send({ biometricData1: one, biometricData2: two });
    const image = (enrolled[5] as Portrait).image;
    const same = await verify([faceItem(image)], [faceItem(probes[5] as Buffer)]);
    assert.deepEqual([same.status, same.body.decision], [200, true]);
    const different = await verify([faceItem(image)], [faceItem(probes[4] as Buffer)]);
    assert.deepEqual([different.status, different.body.decision], [200, false]);
    const iris = await verify([faceItem(image)], [{ biometricType: 'IRIS', image: 'AAEC' }]);
    assert.equal(iris.status, 400);
    assert.match(iris.body.message, /biometricData2 .*IRIS/);
  });
});
