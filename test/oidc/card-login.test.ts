/**
 * Login with the ID card over a real TLS connection: holder certificates issued by our CMS for keys made here, the
 * card listener asking for a client certificate of our issuing CA, and the app's authenticator judging it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { credentialUrl } from '../cms/cms-fixtures.js';
import { fakeClock } from '../support/fake-clock.js';
import { createPerson, TX } from '../support/registry-fixtures.js';
import { issueCard, useCardLogin } from './card-fixtures.js';

const YEAR_S = 365 * 86_400;

describe('login with the ID card', () => {
  const clock = fakeClock(Date.now());
  const world = useCardLogin({ interfaces: ['pr', 'cms'], clock });
  const { t } = world;

  const refusal = async (client?: { cert: string; key: string }) => {
    const res = await world.card.login(client);
    assert.equal(res.status, 403, JSON.stringify(res.body));
    return res.body.refused as string;
  };

  it('accepts the authentication certificate of an active card of a living person, at level high', async () => {
    await createPerson(t, 'CARD-OK');
    const { credentialId, authentication } = await issueCard(t, 'REQ-OK', 'CARD-OK');
    const res = await world.card.login(authentication);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { personId: 'CARD-OK', acr: 'high', amr: ['sc', 'pin'], credentialId });
  });

  it('accepts a mobile ID, a profile allowed by default', async () => {
    await createPerson(t, 'CARD-MOBILE');
    const { credentialId, authentication } = await issueCard(t, 'REQ-MOBILE', 'CARD-MOBILE', 'MOBILE_ID');
    assert.equal((await world.card.login(authentication)).body.credentialId, credentialId);
  });

  it('refuses a connection without a certificate', async () => {
    assert.match(await refusal(), /No card certificate was presented/);
  });

  it('refuses a certificate of another CA', async () => {
    assert.equal(await refusal({ cert: world.pki.clientCert, key: world.pki.clientKey }), 'This certificate was not issued by our identity card authority.');
  });

  it('refuses the card\'s signature certificate', async () => {
    await createPerson(t, 'CARD-SIGN');
    const { signature } = await issueCard(t, 'REQ-SIGN', 'CARD-SIGN');
    assert.ok(signature);
    assert.match(await refusal(signature), /signature certificate: choose its authentication certificate/);
  });

  it('refuses a suspended card, and accepts it again once unsuspended', async () => {
    await createPerson(t, 'CARD-HELD');
    const { credentialId, authentication } = await issueCard(t, 'REQ-HELD', 'CARD-HELD');
    assert.equal((await request(t.app).post(credentialUrl(credentialId, '/suspend')).send({ reason: 'card lost' })).status, 204);
    assert.equal(await refusal(authentication), 'This card\'s certificate is suspended.');
    assert.equal((await request(t.app).post(credentialUrl(credentialId, '/unsuspend'))).status, 204);
    assert.equal((await world.card.login(authentication)).status, 200);
  });

  it('refuses a revoked card', async () => {
    await createPerson(t, 'CARD-REVOKED');
    const { credentialId, authentication } = await issueCard(t, 'REQ-REVOKED', 'CARD-REVOKED');
    assert.equal((await request(t.app).post(credentialUrl(credentialId, '/revoke')).send({ reason: 'card stolen' })).status, 204);
    assert.equal(await refusal(authentication), 'This card\'s certificate has been revoked.');
  });

  it('refuses the card of a dead person', async () => {
    await createPerson(t, 'CARD-DEAD');
    const { authentication } = await issueCard(t, 'REQ-DEAD', 'CARD-DEAD');
    assert.equal((await request(t.app).put(`/pr/v1/persons/CARD-DEAD${TX}`).send({ status: 'ACTIVE', physicalStatus: 'DEAD' })).status, 204);
    assert.equal(await refusal(authentication), 'The population registry records this person as deceased.');
  });

  it('refuses the card of an inactive person', async () => {
    await createPerson(t, 'CARD-INACTIVE');
    const { authentication } = await issueCard(t, 'REQ-INACTIVE', 'CARD-INACTIVE');
    assert.equal((await request(t.app).put(`/pr/v1/persons/CARD-INACTIVE${TX}`).send({ status: 'INACTIVE', physicalStatus: 'ALIVE' })).status, 204);
    assert.match(await refusal(authentication), /not active in the population registry \(status INACTIVE\)/);
  });

  it('refuses a card whose holder is not in the registry', async () => {
    const { authentication } = await issueCard(t, 'REQ-NOBODY', 'CARD-NOBODY');
    assert.equal(await refusal(authentication), 'This person is not in the population registry.');
  });

  it('judges the certificate\'s validity on the app\'s clock, not the system\'s', async () => {
    await createPerson(t, 'CARD-TIME');
    const { authentication } = await issueCard(t, 'REQ-TIME', 'CARD-TIME');
    const now = clock();
    try {
      clock.advance(11 * YEAR_S);
      assert.equal(await refusal(authentication), 'This card\'s certificate has expired.');
      clock.set(new Date(now.getTime() - 86_400_000));
      assert.equal(await refusal(authentication), 'This card\'s certificate is not valid yet.');
    } finally {
      clock.set(now);
    }
    assert.equal((await world.card.login(authentication)).status, 200);
  });
});

describe('login with the ID card, profiles restricted by OSIA_OIDC_CARD_PROFILES', () => {
  const world = useCardLogin({ interfaces: ['pr', 'cms'], env: { OSIA_OIDC_CARD_PROFILES: 'NATIONAL_ID_CARD' } });
  const { t } = world;

  it('refuses the certificate of a credential whose profile is not allowed', async () => {
    await createPerson(t, 'CARD-PROFILE');
    const { authentication } = await issueCard(t, 'REQ-PROFILE', 'CARD-PROFILE', 'MOBILE_ID');
    const res = await world.card.login(authentication);
    assert.equal(res.status, 403);
    assert.equal(res.body.refused, 'A MOBILE_ID credential cannot be used to log in.');
  });
});

describe('login with the ID card, on an app clock far from the system\'s', () => {
  // Two years of a mobile ID from 2000: long expired on the system's time, which Node's handshake judges by.
  const world = useCardLogin({ interfaces: ['pr', 'cms'], clock: fakeClock('2000-06-01T00:00:00Z') });
  const { t } = world;

  it('leaves the validity to the app\'s clock when Node\'s only objection is the time', async () => {
    await createPerson(t, 'CARD-2000');
    const { credentialId, authentication } = await issueCard(t, 'REQ-2000', 'CARD-2000', 'MOBILE_ID');
    const res = await world.card.login(authentication);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.credentialId, credentialId);
  });
});
