/**
 * Reading biometrics is audited: readEncounter, readAllEncounters and readTemplate are in the person's access report
 * (who, which client, which transaction), so is a person an asynchronous result names, and the images read never
 * reach the log.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { before, describe, it } from 'node:test';
import pino from 'pino';
import request from 'supertest';
import { tokenFor } from '../support/tokens.js';
import { useTestApp } from '../support/use-test-app.js';

const lines: string[] = [];
const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _encoding, done) => done(void lines.push(String(chunk))) }));

/** A fingerprint image the built-in engine stores as given (never decoded): recognisable in any log line. */
const IMAGE = Buffer.alloc(3000, 0x5a).toString('base64');

describe('audit of biometric reads', () => {
  const t = useTestApp({ interfaces: ['abis'], env: { OSIA_AUTH: 'on', OSIA_ABIS_CALLBACK_ALLOW: '127.0.0.0/8' }, logger });
  let auditor = '';
  before(async () => {
    auditor = await tokenFor(t.dataDir, 'audit.read', 'ombudsman', 'ombudsman-office');
    const writer = await tokenFor(t.dataDir, 'abis.encounter.write', 'station-1', 'enrolment-office');
    const reader = await tokenFor(t.dataDir, 'abis.encounter.read', 'officer-12', 'police');
    const encounter = { status: 'ACTIVE', encounterType: 'CITIZEN', galleries: ['national'], biometricData: [{ biometricType: 'FINGER', image: IMAGE }] };
    const created = await request(t.app).post('/abis/v1/persons/P-7/encounters/E-1?transactionId=tx-write').set('Authorization', `Bearer ${writer}`).send(encounter);
    assert.equal(created.status, 200, created.text);
    for (const path of ['/encounters/E-1', '/encounters', '/encounters/E-1/templates']) {
      const read = await request(t.app).get(`/abis/v1/persons/P-7${path}?transactionId=tx-read`).set('Authorization', `Bearer ${reader}`);
      assert.equal(read.status, 200, read.text);
    }
  });

  it('records every read of the person\'s encounters and templates, with the reader', async () => {
    const res = await request(t.app).get('/audit/v1/persons/P-7/accesses').set('Authorization', `Bearer ${auditor}`);
    assert.equal(res.status, 200, res.text);
    const reads = (res.body as { operationId: string; client: string; subject: string; transactionId: string }[]).filter(
      (access) => access.client === 'police',
    );
    assert.deepEqual(reads.map((access) => access.operationId).sort(), ['readAllEncounters', 'readEncounter', 'readTemplate']);
    assert.ok(reads.every((access) => access.subject === 'officer-12' && access.transactionId === 'tx-read'));
  });

  it('records the persons an asynchronous result names, under the caller of the call, once the result is known', async () => {
    const browser = await tokenFor(t.dataDir, 'abis.gallery.read', 'analyst-3', 'gallery-browser');
    const accepted = await request(t.app)
      .get('/abis/v1/galleries/national?transactionId=tx-async&callback=http://127.0.0.1:9/results')
      .set('Authorization', `Bearer ${browser}`);
    assert.equal(accepted.status, 202, accepted.text);
    const accessesByBrowser = async () => {
      const res = await request(t.app).get('/audit/v1/persons/P-7/accesses').set('Authorization', `Bearer ${auditor}`);
      type Access = { client: string; operationId: string; subject: string; transactionId: string; status: number; recordIds: string[] };
      return (res.body as Access[]).filter((access) => access.client === 'gallery-browser');
    };
    assert.deepEqual(await accessesByBrowser(), [], 'the gallery names nobody until the task has run');
    await t.services.abisTasks?.runner.runOnce();
    const [access, ...more] = await accessesByBrowser();
    assert.equal(more.length, 0);
    assert.deepEqual(
      access && [access.operationId, access.subject, access.transactionId, access.status, access.recordIds],
      ['readGalleryContent', 'analyst-3', 'tx-async', 200, [accepted.body.taskId]],
    );
  });

  it('never logs the images written or read', () => {
    assert.ok(lines.length > 0, 'the app logged the requests');
    assert.ok(!lines.some((line) => line.includes(IMAGE.slice(0, 40))));
  });
});
