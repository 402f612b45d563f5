/**
 * Our server as the gateway in front of a vendor's ABIS that is a second osia-server process serving the built-in
 * engine, with authentication on: real portraits go through us to it and back, its refusals reach our caller as OSIA
 * Error objects with its message, and a vendor that refuses our token or is gone is an upstream error.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { FaceModel } from '../../src/biometrics/face-model.js';
import { encounter, faceItem } from '../support/abis-fixtures.js';
import { cropFace, groupPhoto } from '../support/face-photos.js';
import { type ServerProcesses, startServers } from '../support/server-processes.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { tokenFor } from '../support/tokens.js';

const A = '/abis/v1';
const TX = '?transactionId=tx-gateway';
const SCOPES = 'abis.encounter.read abis.encounter.write abis.identify abis.verify abis.gallery.read';

/** Two portraits of different people, cut from one demo photo, and a second capture of the first. */
async function portraits(): Promise<{ first: Buffer; again: Buffer; second: Buffer }> {
  const model = await FaceModel.open();
  const photo = await groupPhoto('sample1.jpg');
  const [one, two] = (await model.faces(photo)).sort((a, b) => a.box.x - b.box.x);
  assert.ok(one && two, 'the demo photo shows several people');
  return { first: await cropFace(photo, one.box, 0.8), again: await cropFace(photo, one.box, 0.4), second: await cropFace(photo, two.box, 0.8) };
}

describe('the gateway engine in front of another osia-server (built-in engine, tokens on)', () => {
  let vendor: ServerProcesses;
  let ours: TestApp;
  let faces: Awaited<ReturnType<typeof portraits>>;
  let vendorUrl = '';
  const openGateway = (token: string) =>
    createTestApp({ interfaces: ['abis'], env: { OSIA_ABIS_ENGINE: 'gateway', OSIA_ABIS_GATEWAY_URL: vendorUrl, ...(token ? { OSIA_ABIS_GATEWAY_TOKEN: token } : {}) } });

  before(async () => {
    faces = await portraits();
    vendor = await startServers(1, { OSIA_INTERFACES: 'abis', OSIA_ABIS_ENGINE: 'builtin', OSIA_AUTH: 'on' });
    vendorUrl = `${vendor.bases[0]}/abis`;
    // The token is given as a file, as an operator would mount a secret.
    const tokenFile = path.join(vendor.dataDir, 'gateway-token');
    await writeFile(tokenFile, `${await tokenFor(vendor.dataDir, SCOPES, 'gateway', 'osia-gateway')}\n`);
    ours = await openGateway(tokenFile);
  });
  after(async () => {
    await ours?.close();
    await vendor?.stop();
  });

  /** The same call made straight to the vendor, with a token of its own. */
  const atVendor = async (method: 'get' | 'post', url: string, body?: object) => {
    const call = request(vendorUrl)[method](url).set('Authorization', `Bearer ${await tokenFor(vendor.dataDir, SCOPES)}`);
    return body ? call.send(body) : call;
  };

  it('creates an encounter with a real portrait at the vendor and reads it back', async () => {
    const created = await request(ours.app).post(`${A}/persons/P-1/encounters/E-1${TX}`).send(encounter([faceItem(faces.first)]));
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.deepEqual([created.body.personId, created.body.encounterId], ['P-1', 'E-1']);
    const read = await request(ours.app).get(`${A}/persons/P-1/encounters/E-1${TX}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.biometricData[0].image, faces.first.toString('base64'));
    assert.deepEqual(read.body, (await atVendor('get', `/v1/persons/P-1/encounters/E-1${TX}`)).body, 'what the vendor holds, unchanged');
  });

  it('identifies another capture of the same face through the vendor', async () => {
    const other = await request(ours.app).post(`${A}/persons/P-2/encounters/E-1${TX}`).send(encounter([faceItem(faces.second)]));
    assert.equal(other.status, 200, JSON.stringify(other.body));
    const res = await request(ours.app)
      .post(`${A}/identify/CITIZENS${TX}&maxNbCand=5`)
      .send({ filter: {}, biometricData: [faceItem(faces.again)] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body[0]?.personId, 'P-1');
    assert.equal(res.body[0]?.rank, 1);
    assert.ok(!res.body.some((candidate: { personId: string }) => candidate.personId === 'P-2'), 'another person is no match');
  });

  it("relays the vendor's 404 and 409 as OSIA Error objects with the vendor's message", async () => {
    const missing = await request(ours.app).get(`${A}/persons/P-1/encounters/E-404${TX}`);
    const missingThere = await atVendor('get', `/v1/persons/P-1/encounters/E-404${TX}`);
    assert.equal(missing.status, 404);
    assert.equal(missingThere.status, 404);
    assert.deepEqual(missing.body, missingThere.body);

    const again = await request(ours.app).post(`${A}/persons/P-1/encounters/E-1${TX}`).send(encounter([faceItem(faces.first)]));
    assert.equal(again.status, 409);
    assert.deepEqual(Object.keys(again.body).sort(), ['code', 'message']);
    assert.equal(again.body.code, 409);
    assert.match(again.body.message, /E-1/);
  });

  it('answers an upstream error when the vendor refuses our token, and an unconfigured one', async () => {
    for (const token of ['not-a-valid-token', '']) {
      const gateway = await openGateway(token);
      try {
        const res = await request(gateway.app).get(`${A}/galleries${TX}`);
        assert.equal(res.status, 502, JSON.stringify(res.body));
        assert.match(res.body.message, /the vendor ABIS refused our credentials \(401\) on readGalleries/);
      } finally {
        await gateway.close();
      }
    }
    assert.equal((await request(ours.app).get(`${A}/galleries${TX}`)).status, 200, 'the right token passes');
  });

  it('answers an upstream error, not a 500, once the vendor is gone', async () => {
    await vendor.stop();
    const res = await request(ours.app).get(`${A}/persons/P-1/encounters/E-1${TX}`);
    assert.equal(res.status, 502);
    assert.deepEqual(res.body, { code: 502, message: 'the vendor ABIS did not answer readEncounter (ECONNREFUSED)' });
  });
});
