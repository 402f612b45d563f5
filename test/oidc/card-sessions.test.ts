/**
 * The standing of a person and of their card, and the end of their sessions: a death (as the `death` reaction
 * makes it, through updatePerson), a delete, a merge and a revoked or suspended credential each leave a durable
 * record in the commit of the change; after a restart, the job reads them and asks the provider's port to end the
 * person's sessions, at least once, and only for a person who no longer stands.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import { SessionEnding } from '../../src/oidc/session-ending.js';
import { Store } from '../../src/storage/store.js';
import { credentialUrl } from '../cms/cms-fixtures.js';
import { fakeClock } from '../support/fake-clock.js';
import { createPerson, TX } from '../support/registry-fixtures.js';
import { createTestApp, type TestApp, testLogger } from '../support/test-app.js';
import { deliver, event, eventsFile, subscribedCallbacks } from '../flows/flow-fixtures.js';
import { issueCard } from './card-fixtures.js';

const INTERFACES = ['pr', 'cms', 'notification'] as const;
/** The PR reacts to the civil registry's deaths (the `death` reaction), on the local notification engine. */
const WIRING = 'source: pr.test\ncomponents:\n  pr:\n    engine: local\n    subscribes: [death]\n';

describe('standing and the end of sessions', () => {
  const clock = fakeClock(Date.now());
  const opened: TestApp[] = [];
  after(async () => {
    await opened.at(-1)?.close();
  });
  const open = async (dataDir?: string) => {
    const env = { OSIA_EVENTS: await eventsFile(WIRING), OSIA_NOTIFICATION_ALLOW: 'localhost' };
    const app = await createTestApp({ interfaces: INTERFACES, clock, env, ...(dataDir ? { dataDir } : {}) });
    opened.push(app);
    return app;
  };
  const standingOf = (t: TestApp) => {
    const { accountStanding } = t.services;
    assert.ok(accountStanding);
    return accountStanding;
  };
  const setPerson = async (t: TestApp, personId: string, status: string, physicalStatus: string) => {
    assert.equal((await request(t.app).put(`/pr/v1/persons/${personId}${TX}`).send({ status, physicalStatus })).status, 204);
  };
  const post = async (t: TestApp, credentialId: string, action: string) => {
    assert.equal((await request(t.app).post(credentialUrl(credentialId, `/${action}`)).send({ reason: 'test' })).status, 204);
  };

  it('follows a death event and revocations, and ends the sessions they concern after a restart', async () => {
    const first = await open();
    const standing = standingOf(first);
    for (const personId of ['DIES', 'REVOKED', 'SUSPENDED', 'MOVED', 'UNSUSPENDED', 'DELETED', 'KEPT', 'MERGED']) await createPerson(first, personId);
    const dies = await issueCard(first, 'R-DIES', 'DIES');
    const revoked = await issueCard(first, 'R-REVOKED', 'REVOKED');
    const suspended = await issueCard(first, 'R-SUSPENDED', 'SUSPENDED');
    const unsuspended = await issueCard(first, 'R-UNSUSPENDED', 'UNSUSPENDED');
    assert.equal(await standing.standing('DIES', dies.credentialId), undefined);
    assert.equal(await standing.standing('REVOKED', revoked.credentialId), undefined);
    assert.deepEqual(await standing.standing('REVOKED', dies.credentialId), { refusal: 'otherHolder' });

    const death = (await subscribedCallbacks(first)).get('pr.death');
    assert.ok(death);
    assert.equal((await deliver(first, death, event({ uin: 'DIES' }))).status, 200);
    await post(first, revoked.credentialId, 'revoke');
    await post(first, suspended.credentialId, 'suspend');
    // Persons gone from the registry: deleted, and merged into another (the one kept stands).
    assert.equal((await request(first.app).delete(`/pr/v1/persons/DELETED${TX}`)).status, 204);
    assert.equal((await request(first.app).post(`/pr/v1/persons/KEPT/merge/MERGED${TX}`)).status, 204);
    // An update that leaves the person standing, and a suspension lifted before the job ran: nothing to end.
    await setPerson(first, 'MOVED', 'ACTIVE', 'ALIVE');
    await post(first, unsuspended.credentialId, 'suspend');
    await post(first, unsuspended.credentialId, 'unsuspend');
    assert.deepEqual(await standing.standing('DIES'), { refusal: 'deceased' });
    assert.deepEqual(await standing.standing('DIES', dies.credentialId), { refusal: 'deceased' });
    assert.equal(await standing.standing('REVOKED'), undefined, 'the person stands, their revoked card does not');
    assert.deepEqual(await standing.standing('REVOKED', revoked.credentialId), { refusal: 'cardRevoked' });
    assert.deepEqual(await standing.standing('SUSPENDED', suspended.credentialId), { refusal: 'cardSuspended' });

    // The process stops before any session was ended: the records wait in the store.
    await first.storage.documents.close();
    const second = await open(first.dataDir);
    const ended: string[] = [];
    let failures = 1;
    const job = await SessionEnding.open(new Store(second.storage), {
      standing: standingOf(second),
      endSessionsOf: async (personId) => {
        // The provider fails once: the record is tried again, not lost.
        if (personId === 'REVOKED' && failures-- > 0) throw new Error('provider unavailable');
        ended.push(personId);
      },
      clock,
      logger: testLogger(),
    });
    assert.equal(await job.runOnce(), 6, 'the death, the suspension, the delete, the merge, the update and the lifted suspension');
    assert.deepEqual(ended.sort(), ['DELETED', 'DIES', 'MERGED', 'SUSPENDED'], 'the revocation failed');
    assert.equal(await job.runOnce(), 0, 'the failed one waits for its retry');
    clock.advance(60);
    assert.equal(await job.runOnce(), 1);
    assert.deepEqual(ended.sort(), ['DELETED', 'DIES', 'MERGED', 'REVOKED', 'SUSPENDED']);
    assert.equal(await job.runOnce(), 0, 'each record worked once');
  });
});
