/**
 * Third Party with the ABIS served: verify compares a supplied face with the person's faces in the national gallery
 * (personId = UIN), identify searches the gallery by face. Real portraits cut from the face-api demo photos.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { demoPortraits, faceItem } from '../support/abis-fixtures.js';
import { VARIANTS } from '../support/face-photos.js';
import { useTestApp } from '../support/use-test-app.js';
import { ADA, citizen, TX } from './thirdparty-fixtures.js';

type Json = Record<string, unknown>;

describe('Third Party biometrics through the ABIS', () => {
  const t = useTestApp({ interfaces: ['pr', 'thirdparty', 'cms', 'abis'] });
  let faceA: Json;
  let faceA2: Json;
  let faceB: Json;
  before(async () => {
    const [a, b] = (await demoPortraits()).filter((portrait) => portrait.photo === 'sample1.jpg');
    const variant = VARIANTS['cropped tighter'];
    assert.ok(a && b && variant, 'two people of one photo');
    faceA = faceItem(a.image);
    faceA2 = faceItem(await variant(a));
    faceB = faceItem(b.image);
    await citizen(t, 'U-ADA', ADA);
    await citizen(t, 'U-BEA', { ...ADA, firstName: 'Bea' });
    await citizen(t, 'U-NOFACE', { ...ADA, firstName: 'Cleo' });
    for (const [uin, face, gallery] of [['U-ADA', faceA, 'national'], ['U-BEA', faceB, 'national'], ['U-NOFACE', faceB, 'watchlist']] as const) {
      const body = { status: 'ACTIVE', encounterType: 'CITIZEN', galleries: [gallery], biometricData: [face] };
      const res = await request(t.app).post(`/abis/v1/persons/${uin}/encounters/REF${TX}`).send(body);
      assert.equal(res.status, 200, res.text);
    }
  });

  const outcome = async (identifier: string, body: object) => {
    const res = await request(t.app).post(`/thirdparty/v1/verify/${identifier}${TX}`).send(body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { verificationCode: number; verificationMessage: string; verificationProof?: string };
  };

  it('verify: 0 with a proof for another capture of the person\'s face and matching attributes', async () => {
    const result = await outcome('U-ADA', { biographicData: { firstName: 'Ada' }, biometricData: [faceA2] });
    assert.equal(result.verificationCode, 0, result.verificationMessage);
    assert.ok(result.verificationProof);
    const [, payload] = (result.verificationProof as string).split('.');
    assert.deepEqual(JSON.parse(Buffer.from(payload as string, 'base64url').toString()).attributes, ['biographicData.firstName', 'biometricData.FACE']);
  });

  it('verify: 1 for another person\'s face, or when another attribute differs', async () => {
    assert.equal((await outcome('U-ADA', { biometricData: [faceB] })).verificationCode, 1);
    assert.equal((await outcome('U-BEA', { biometricData: [faceA2] })).verificationCode, 1);
    assert.equal((await outcome('U-ADA', { biographicData: { firstName: 'Eve' }, biometricData: [faceA2] })).verificationCode, 1);
  });

  it('verify: 6 when the national gallery holds no face of the person (other galleries are not used)', async () => {
    const result = await outcome('U-NOFACE', { biometricData: [faceB] });
    assert.equal(result.verificationCode, 6, result.verificationMessage);
    assert.equal(result.verificationProof, undefined);
  });

  it('verify: a probe the ABIS cannot use is 400, never a silent mismatch', async () => {
    const res = await request(t.app).post(`/thirdparty/v1/verify/U-ADA${TX}`).send({ biometricData: [{ biometricType: 'FACE', image: 'AAAA' }] });
    assert.equal(res.status, 400, res.text);
  });

  it('identify by face answers the person found, narrowed by the other attributes', async () => {
    const identify = (attributeSet: object) => request(t.app).post(`/thirdparty/v1/identify${TX}`).send({ attributeSet, outputAttributeSetName: 'DEFAULT_SET_01' });
    const found = await identify({ biometricData: [faceA2] });
    assert.equal(found.status, 200, found.text);
    assert.deepEqual(
      found.body.map((set: { biographicData: { firstName: string } }) => set.biographicData.firstName),
      ['Ada'],
    );
    assert.equal((await identify({ biometricData: [faceA2], biographicData: { firstName: 'Bea' } })).status, 404);
    const bea = await identify({ biometricData: [faceB] });
    assert.deepEqual(
      bea.body.map((set: { biographicData: { firstName: string } }) => set.biographicData.firstName),
      ['Bea'],
      'the watch-list encounter of the same face is not searched',
    );
  });
});
