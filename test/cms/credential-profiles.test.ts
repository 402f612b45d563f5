/** CMS credential profiles: findCredentialProfiles and the catalogue file (OSIA_CREDENTIAL_PROFILES). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { ConfigError } from '../../src/config/config-options.js';
import { loadProfileCatalogue } from '../../src/credentials/profile-catalogue.js';
import { createTestApp, } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';
import { catalogueFile, credentialRequest, issue, requestUrl, TX } from './cms-fixtures.js';

const url = (query = '') => `/cms/v1/credentialProfiles${TX}${query}`;

describe('CMS credential profiles (shipped catalogue)', () => {
  const t = useTestApp({ interfaces: ['cms'] });

  const ids = async (expressions: object[]) => {
    const res = await request(t.app).post(url()).send(expressions);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.map((profile: { credentialProfileId: string }) => profile.credentialProfileId);
  };

  it('answers OSIA CredentialProfile fields only: never producer, certificates or bureau details', async () => {
    const res = await request(t.app).post(url()).send([]);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.map((p: { credentialProfileId: string }) => p.credentialProfileId), ['NATIONAL_ID_CARD', 'RESIDENCE_PERMIT', 'MOBILE_ID']);
    assert.deepEqual(res.body[0], {
      credentialProfileId: 'NATIONAL_ID_CARD',
      name: 'National identity card',
      description: res.body[0].description,
      credentialType: 'SMARTCARD',
      defaultLifetime: 3650,
      credentialProfileVersion: '2',
      numberOfPages: 1,
    });
    assert.ok(!JSON.stringify(res.body).includes('pki'));
  });

  it('filters with each operator', async () => {
    assert.deepEqual(await ids([{ attributeName: 'credentialType', operator: '=', value: 'MOBILE' }]), ['MOBILE_ID']);
    assert.deepEqual(await ids([{ attributeName: 'credentialType', operator: '!=', value: 'MOBILE' }]), ['NATIONAL_ID_CARD', 'RESIDENCE_PERMIT']);
    assert.deepEqual(await ids([{ attributeName: 'defaultLifetime', operator: '<', value: 1825 }]), ['MOBILE_ID']);
    assert.deepEqual(await ids([{ attributeName: 'defaultLifetime', operator: '<=', value: 1825 }]), ['RESIDENCE_PERMIT', 'MOBILE_ID']);
    assert.deepEqual(await ids([{ attributeName: 'defaultLifetime', operator: '>', value: 1825 }]), ['NATIONAL_ID_CARD']);
    assert.deepEqual(await ids([{ attributeName: 'defaultLifetime', operator: '>=', value: 1825 }]), ['NATIONAL_ID_CARD', 'RESIDENCE_PERMIT']);
    assert.deepEqual(await ids([{ attributeName: 'defaultLifetime', operator: '>', value: '1000' }]), [], 'a string never orders against a number');
    assert.deepEqual(await ids([{ attributeName: 'numberOfPages', operator: '!=', value: 2 }]), ['NATIONAL_ID_CARD', 'RESIDENCE_PERMIT'], 'MOBILE_ID has no numberOfPages');
  });

  it('no match, or an attribute that is not a profile field (producer): 200 with []', async () => {
    assert.deepEqual(await ids([{ attributeName: 'credentialType', operator: '=', value: 'PASSPORT' }]), []);
    assert.deepEqual(await ids([{ attributeName: 'producer', operator: '=', value: 'pki' }]), []);
  });

  it('the attributes filter; an unknown attribute name is 400; transactionId is required', async () => {
    const res = await request(t.app).post(url('&attributes=credentialProfileId&attributes=credentialType')).send([]);
    assert.deepEqual(res.body[2], { credentialProfileId: 'MOBILE_ID', credentialType: 'MOBILE' });
    assert.equal((await request(t.app).post(url('&attributes=producer')).send([])).status, 400);
    assert.equal((await request(t.app).post('/cms/v1/credentialProfiles').send([])).status, 400);
  });
});

describe('a catalogue of its own (OSIA_CREDENTIAL_PROFILES)', () => {
  it('serves its profiles; a profile swapped to another producer is one line', async () => {
    const file = await catalogueFile(`profiles:
  - credentialProfileId: DRIVING_LICENCE
    name: Driving licence
    credentialType: ID_CARD
    defaultLifetime: 5475
    credentialProfileSubtype: B
    producer: internal
`);
    const t = await createTestApp({ interfaces: ['cms'], env: { OSIA_CREDENTIAL_PROFILES: file } });
    try {
      const res = await request(t.app).post(url()).send([]);
      assert.deepEqual(res.body.map((p: { credentialProfileId: string }) => p.credentialProfileId), ['DRIVING_LICENCE']);
      const id = await issue(t, 'DL-1', credentialRequest('DRIVING_LICENCE'));
      const credential = await request(t.app).get(`/cms/v1/credentials/${id}${TX}`);
      assert.equal(credential.body.credentialProfileSubtype, 'B');
      assert.equal((await request(t.app).post(requestUrl('DL-2')).send(credentialRequest('NATIONAL_ID_CARD'))).status, 400);
    } finally {
      await t.close();
    }
  });

  const invalid: [string, string, RegExp][] = [
    ['a missing file', '', /cannot read the catalogue \(no such file\)/],
    ['broken YAML', 'profiles: [\n', /not valid YAML/],
    ['no profiles section', 'bureaus: {}\n', /the file must have required property 'profiles'/],
    ['an unknown member', 'profiles:\n  - {credentialProfileId: A, producer: internal, colour: red}\n', /profiles\[0\] must NOT have additional properties \(colour\)/],
    ['a bad credentialType', 'profiles:\n  - {credentialProfileId: A, producer: internal, credentialType: CARD}\n', /profiles\[0\]\.credentialType must be equal to one of the allowed values \(SMARTCARD, /],
    ['a numeric version', 'profiles:\n  - {credentialProfileId: A, producer: internal, credentialProfileVersion: 2}\n', /profiles\[0\]\.credentialProfileVersion must be string/],
    ['a zero lifetime', 'profiles:\n  - {credentialProfileId: A, producer: internal, defaultLifetime: 0}\n', /defaultLifetime must be >= 1/],
    ['a duplicate id', 'profiles:\n  - {credentialProfileId: A, producer: internal}\n  - {credentialProfileId: A, producer: pki}\n', /profiles\[1\] \(A\): credentialProfileId is used twice/],
    ['an unknown producer', 'profiles:\n  - {credentialProfileId: A, producer: acme}\n', /profiles\[0\] \(A\): producer "acme" is neither internal nor pki nor a bureau/],
    ['certificates off pki', 'profiles:\n  - {credentialProfileId: A, producer: internal, certificates: [authentication]}\n', /certificates apply to producer pki only/],
    ['an unknown certificate', 'profiles:\n  - {credentialProfileId: A, producer: pki, certificates: [encryption]}\n', /certificates\[0\] must be equal to one of the allowed values \(authentication, signature\)/],
    ['upstreamProfileId off a bureau', 'profiles:\n  - {credentialProfileId: A, producer: pki, upstreamProfileId: X}\n', /upstreamProfileId applies to bureau producers only/],
    ['a bureau without token', 'bureaus:\n  acme: {url: "https://b.example/cms"}\nprofiles: []\n', /bureaus\.acme must have required property 'tokenFile'; bureaus\.acme must have required property 'tokenEnv'/],
  ];
  for (const [what, yaml, reason] of invalid) {
    it(`refuses ${what} at start-up with a ConfigError naming the file`, async () => {
      const file = yaml ? await catalogueFile(yaml) : '/nonexistent/profiles.yaml';
      await assert.rejects(loadProfileCatalogue(file), (err: Error) => {
        assert.ok(err instanceof ConfigError, String(err));
        assert.ok(err.message.startsWith(`OSIA_CREDENTIAL_PROFILES ${file}: `), err.message);
        assert.match(err.message, reason);
        return true;
      });
    });
  }

  it('the app does not start with an invalid catalogue', async () => {
    const file = await catalogueFile('profiles:\n  - {credentialProfileId: A, producer: acme}\n');
    await assert.rejects(createTestApp({ interfaces: ['cms'], env: { OSIA_CREDENTIAL_PROFILES: file } }), ConfigError);
  });

  it('a bureau profile gets its upstreamProfileId (default: its own id); the bureau is not answered', async () => {
    const file = await catalogueFile(`bureaus:
  acme-cards: {url: "https://bureau.example/cms", tokenEnv: ACME_TOKEN}
profiles:
  - {credentialProfileId: PASSPORT, credentialType: PASSPORT, producer: acme-cards}
  - {credentialProfileId: VISA, producer: acme-cards, upstreamProfileId: V-2}
`);
    const catalogue = await loadProfileCatalogue(file);
    assert.deepEqual(catalogue.profiles.map((p) => p.upstreamProfileId), ['PASSPORT', 'V-2']);
    assert.deepEqual(Object.keys(catalogue.bureaus), ['acme-cards']);
  });
});
