/** Profile settings: checked at start-up with one line; merged across comma-listed files; the shipped fragment. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ConfigError } from '../../src/config/config-options.js';
import { projectRoot } from '../../src/openapi/project-root.js';
import { loadServedSetup } from '../../src/profile/served-documents.js';
import { ALIVE, claim, createIdentity, createPerson, defineReference } from '../support/registry-fixtures.js';
import { useTestApp } from '../support/use-test-app.js';
import { EXAMPLE_PROFILE, type ProfileFiles, profileFiles } from './profile-files.js';

const FRAGMENT = path.join(projectRoot(), 'profiles', 'reference-compatible.yaml');

describe('country profile settings', () => {
  let files: ProfileFiles;
  before(async () => {
    files = await profileFiles();
  });
  after(() => files.remove());

  async function refusal(text: string): Promise<string> {
    const file = await files.write('settings.yaml', text);
    const error = await loadServedSetup(['pr'], file).then(
      () => assert.fail('the profile was accepted'),
      (err: unknown) => err,
    );
    assert.ok(error instanceof ConfigError, String(error));
    assert.doesNotMatch(error.message, /\n/, 'one line');
    return error.message;
  }

  it('defaults to OSIA 7.1: free transitions, 404 for no match, no confirmURL', async () => {
    const { settings } = await loadServedSetup(['pr']);
    assert.deepEqual(settings, { compatibility: { queryPersonListNoMatch: 'notFound', confirmURL: false } });
  });

  it('refuses malformed settings, naming the key', async () => {
    assert.match(await refusal('identityStatusTransitions: [VALID]\n'), /identityStatusTransitions: must be a mapping/);
    assert.match(await refusal('identityStatusTransitions:\n  CLAIMED: [VALID]\n'), /gives no entry for VALID, INVALID, REVOKED/);
    const table = 'identityStatusTransitions:\n  CLAIMED: [VALID]\n  VALID: [DONE]\n  INVALID: []\n  REVOKED: []\n';
    assert.match(await refusal(table), /identityStatusTransitions\.VALID: must list statuses/);
    assert.match(await refusal('compatibility:\n  queryPersonListNoMatch: maybe\n'), /compatibility\.queryPersonListNoMatch: must be notFound or emptyList/);
    assert.match(await refusal('compatibility:\n  confirmUrl: true\n'), /compatibility\.confirmUrl: unknown setting/);
  });

  it('reads the access report settings: clients described and restricted, and the delay', async () => {
    const { settings } = await loadServedSetup(['pr'], EXAMPLE_PROFILE);
    assert.deepEqual(settings.accessReport, {
      restrictedDelayDays: 90,
      clients: {
        'utopia-bank': { organisation: 'Bank of Utopia', purpose: 'Know-your-customer checks when an account is opened', restricted: false },
        'utopia-police': { organisation: 'Utopian National Police', purpose: 'Criminal investigations', restricted: true },
      },
    });
    assert.match(await refusal('accessReport:\n  restrictedDelayDays: P90D\n'), /accessReport\.restrictedDelayDays: must be a whole number of days/);
    assert.match(await refusal('accessReport:\n  clients:\n    police:\n      restricted: yes please\n'), /accessReport\.clients\.police\.restricted: must be true or false/);
    assert.match(await refusal('accessReport:\n  clients:\n    police:\n      secret: true\n'), /accessReport\.clients\.police\.secret: unknown setting/);
    assert.match(await refusal('accessReport:\n  delay: 3\n'), /accessReport\.delay: unknown setting/);
  });

  it('merges comma-listed files: schemas of the national profile, settings of the fragment', async () => {
    const { documents, settings } = await loadServedSetup(['pr'], `${EXAMPLE_PROFILE},${FRAGMENT}`);
    assert.deepEqual(settings.compatibility, { queryPersonListNoMatch: 'emptyList', confirmURL: true });
    assert.ok(documents[0]?.document.components?.schemas?.BiographicData?.properties, 'the example dictionary applies');
    const partial = await files.write('partial.yaml', 'compatibility:\n  confirmURL: false\n');
    const merged = await loadServedSetup(['pr'], `${FRAGMENT},${partial}`);
    assert.deepEqual(merged.settings.compatibility, { queryPersonListNoMatch: 'emptyList', confirmURL: false });
  });
});

describe('the reference-compatible fragment', () => {
  const t = useTestApp({ interfaces: ['pr', 'dataaccess'], env: { OSIA_PROFILE: FRAGMENT } });
  before(async () => {
    await createPerson(t, 'R1', ALIVE);
    await createIdentity(t, 'R1', 'I1', claim({ lastName: 'Known' }));
    await defineReference(t, 'R1', 'I1');
  });

  it('answers queryPersonList with no match 200 [] instead of 404', async () => {
    const none = await request(t.app).get('/dataaccess/v1/persons?lastName=Nobody');
    assert.deepEqual([none.status, none.body], [200, []]);
    const found = await request(t.app).get('/dataaccess/v1/persons?lastName=Known');
    assert.deepEqual([found.status, found.body], [200, ['R1']]);
  });
});
