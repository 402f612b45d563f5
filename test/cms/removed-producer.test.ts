/** A credential whose producer left the catalogue can still be read; changing it answers 409, never 500. */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { catalogueFile, credentialRequest, credentialUrl, issue, readCredential } from './cms-fixtures.js';

let t: TestApp;
after(() => t.close());

it('a pki credential, after the catalogue dropped every pki profile: read 200, suspend 409 naming the producer', async () => {
  t = await createTestApp({ interfaces: ['cms'] });
  const id = await issue(t, 'RP-1', credentialRequest('NATIONAL_ID_CARD'));
  await t.storage.documents.close();
  const catalogue = await catalogueFile(
    'profiles:\n  - credentialProfileId: RESIDENCE_PERMIT\n    name: Residence permit\n    credentialType: ID_CARD\n    defaultLifetime: 1825\n    producer: internal\n',
  );
  t = await createTestApp({ interfaces: ['cms'], dataDir: t.dataDir, env: { OSIA_CREDENTIAL_PROFILES: catalogue } });
  assert.equal((await readCredential(t, id)).status, 'ACTIVE');
  const suspend = await request(t.app).post(credentialUrl(id, '/suspend')).send({ reason: 'lost' });
  assert.equal(suspend.status, 409);
  assert.match(suspend.body.message, /producer pki, which the credential catalogue no longer declares/);
  assert.equal((await readCredential(t, id)).status, 'ACTIVE', 'nothing changed');
});
