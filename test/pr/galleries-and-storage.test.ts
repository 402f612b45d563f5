/** PR galleries (JSON and CSV), binaries kept out of records, registry gauges, change log, restart. */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { claim, createIdentity, createPerson, TX } from '../support/registry-fixtures.js';
import { SENTINEL_PNG_BASE64 } from '../support/sentinels.js';
import { databaseText } from '../support/database-text.js';
import { createTestApp, } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';

const IMAGE = SENTINEL_PNG_BASE64.repeat(100);

async function blobFiles(dataDir: string): Promise<string[]> {
  const entries = await readdir(path.join(dataDir, 'blobs'), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe('PR galleries', () => {
  const t = useTestApp({ interfaces: ['pr'] });
  before(async () => {
    await createPerson(t, 'G-1');
    await createPerson(t, 'G,2');
    await createIdentity(t, 'G-1', 'A', claim({}, { galleries: ['CITIZENS', 'VOTERS'] }));
    await createIdentity(t, 'G,2', 'B"1', claim({}, { galleries: ['CITIZENS'] }));
    await createIdentity(t, 'G-1', 'NONE', { identityType: 'CIVIL', status: 'CLAIMED' });
  });

  it('readGalleries lists the galleries in use', async () => {
    const res = await request(t.app).get(`/pr/v1/galleries${TX}`);
    assert.deepEqual([res.status, res.body], [200, ['CITIZENS', 'VOTERS']]);
  });

  it('readGalleryContent lists members in creation order, ALL covers every gallery, and pages', async () => {
    const citizens = await request(t.app).get(`/pr/v1/galleries/CITIZENS${TX}`);
    assert.deepEqual(citizens.body, [
      { personId: 'G-1', identityId: 'A' },
      { personId: 'G,2', identityId: 'B"1' },
    ]);
    const all = await request(t.app).get(`/pr/v1/galleries/ALL${TX}`);
    assert.equal(all.body.length, 2, 'an identity in no gallery is in none of them');
    const page = await request(t.app).get(`/pr/v1/galleries/ALL${TX}&offset=1&limit=1`);
    assert.deepEqual(page.body, [{ personId: 'G,2', identityId: 'B"1' }]);
  });

  it('answers text/csv (RFC 4180) when the client asks for it, JSON otherwise', async () => {
    const csv = await request(t.app).get(`/pr/v1/galleries/CITIZENS${TX}`).set('Accept', 'text/csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers['content-type'] ?? '', /^text\/csv/);
    assert.equal(csv.text, 'PersonId,identityId\r\nG-1,A\r\n"G,2","B""1"\r\n');
    const either = await request(t.app).get(`/pr/v1/galleries/CITIZENS${TX}`).set('Accept', 'application/json, text/csv');
    assert.match(either.headers['content-type'] ?? '', /json/);
    const preferred = await request(t.app).get(`/pr/v1/galleries/CITIZENS${TX}`).set('Accept', 'application/json;q=0.5, text/csv');
    assert.match(preferred.headers['content-type'] ?? '', /^text\/csv/);
  });

  it('answers 404 for an unknown gallery', async () => {
    assert.equal((await request(t.app).get(`/pr/v1/galleries/NOWHERE${TX}`)).status, 404);
  });
});

describe('PR storage', () => {
  const t = useTestApp({ interfaces: ['pr'] });
  before(async () => {
    await createPerson(t, 'BIO');
    await createIdentity(
      t,
      'BIO',
      'FACE',
      claim({}, { biometricData: [{ biometricType: 'FACE', image: IMAGE }, { biometricType: 'FINGER', template: 'c21hbGw=' }] }),
    );
  });

  it('keeps large binaries out of the records, and returns them byte for byte', async () => {
    assert.ok(!(await databaseText(t.dataDir)).includes(IMAGE.slice(0, 200)));
    assert.ok((await blobFiles(t.dataDir)).length > 0, 'the image went to the blob store');
    const read = await request(t.app).get(`/pr/v1/persons/BIO/identities/FACE${TX}`);
    assert.equal(read.body.biometricData[0].image, IMAGE);
    assert.equal(read.body.biometricData[1].template, 'c21hbGw=');
  });

  it('publishes the registry size as gauges', async () => {
    const metrics = await request(t.app).get('/metrics');
    assert.match(metrics.text, /^osia_pr_persons 1$/m);
    assert.match(metrics.text, /^osia_pr_identities 1$/m);
    assert.match(metrics.text, /^osia_pr_biometric_records 2$/m);
  });

  it('records the transactionId with each change', async () => {
    await createPerson(t, 'TX-1');
    const persons = await t.storage.documents.collection('pr_persons');
    assert.equal((await persons.get('TX-1'))?.lastTransactionId, 'tx-test');
    await request(t.app).delete(`/pr/v1/persons/TX-1?transactionId=tx-delete-42`);
    const changes = await (await t.storage.documents.collection('pr_changes')).find({ operationId: 'deletePerson' });
    assert.deepEqual(
      changes.map((change) => [change.transactionId, change.personId]),
      [['tx-delete-42', 'TX-1']],
    );
  });

  it('deleting an identity deletes its binaries', async () => {
    assert.ok((await blobFiles(t.dataDir)).length > 0);
    assert.equal((await request(t.app).delete(`/pr/v1/persons/BIO/identities/FACE${TX}`)).status, 204);
    assert.deepEqual(await blobFiles(t.dataDir), []);
  });
});

describe('PR data survives a restart', () => {
  it('reads after reopening the same data directory what was written before', async () => {
    const first = await createTestApp({ interfaces: ['pr'] });
    await createPerson(first, 'KEEP');
    await createIdentity(first, 'KEEP', 'I', claim({ firstName: 'Persistent' }, { biometricData: [{ biometricType: 'FACE', image: IMAGE }] }));
    await first.storage.documents.close();
    const second = await createTestApp({ interfaces: ['pr'], dataDir: first.dataDir });
    try {
      const read = await request(second.app).get(`/pr/v1/persons/KEEP/identities/I${TX}`);
      assert.equal(read.status, 200);
      assert.equal(read.body.biographicData.firstName, 'Persistent');
      assert.equal(read.body.biometricData[0].image, IMAGE);
    } finally {
      await second.close();
    }
  });
});
