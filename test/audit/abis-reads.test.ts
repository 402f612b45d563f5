/**
 * Reading biometrics is audited: readEncounter, readAllEncounters and readTemplate are in the person's access report
 * (who, which client, which transaction), and the images read never reach the log.
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
  const t = useTestApp({ interfaces: ['abis'], env: { OSIA_AUTH: 'on' }, logger });
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

  it('never logs the images written or read', () => {
    assert.ok(lines.length > 0, 'the app logged the requests');
    assert.ok(!lines.some((line) => line.includes(IMAGE.slice(0, 40))));
  });
});
