/**
 * Credential requests that a producer finishes later (a card bureau): PENDING, then ISSUED or FAILED through `poll`
 * (on reads and by the sweep), updated or cancelled meanwhile, FAILED after the timeout. A scripted producer and an
 * injected clock drive the CMS services on the app's own store; the app's HTTP interface reads the same records.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import request from 'supertest';
import { type CmsServices, openCmsServices } from '../../src/cms/cms-services.js';
import type { CredentialProducer, ProducerState, ProductionOrder, ProductionOutcome } from '../../src/credentials/credential-producer.port.js';
import { openCredentialStore } from '../../src/credentials/credential-store.js';
import { loadProfileCatalogue } from '../../src/credentials/profile-catalogue.js';
import { ProducerRegistry } from '../../src/credentials/producer-registry.js';
import { ConflictError } from '../../src/shared/domain-errors.js';
import { loadDocument } from '../../src/openapi/documents.js';
import { useTestApp } from '../support/use-test-app.js';
import { credentialRequest, credentialUrl, requestUrl } from './cms-fixtures.js';
import { Store } from '../../src/storage/store.js';

const TIMEOUT_SECONDS = 3600;

type Step = 'poll' | 'updated' | 'cancel';

/** A bureau-like producer whose answers the test decides. */
class ScriptedProducer implements CredentialProducer {
  readonly name = 'internal';
  next: ProductionOutcome = { status: 'PENDING', producerState: { upstream: 'U-1', polls: 0 } };
  calls: string[] = [];
  refuseCancel = false;
  readonly #gates = new Map<Step, { arrive(): void; released: Promise<void> }>();
  /**
   * Makes the next `step` call wait, once it was recorded, until `release()`: another process's change can then
   * land in between. `arrived` resolves when the call is waiting.
   */
  hold(step: Step): { arrived: Promise<void>; release(): void } {
    let arrive = () => {};
    let release = () => {};
    const arrived = new Promise<void>((resolve) => {
      arrive = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#gates.set(step, { arrive, released });
    return { arrived, release };
  }
  async #wait(step: Step) {
    const gate = this.#gates.get(step);
    if (!gate) return;
    this.#gates.delete(step);
    gate.arrive();
    await gate.released;
  }
  async produce(order: ProductionOrder) {
    this.calls.push(`produce ${order.credentialRequestId} ${order.settings?.producer}`);
    return { status: 'PENDING' as const, producerState: { upstream: `U-${order.credentialRequestId}` } };
  }
  async poll(order: ProductionOrder, state: ProducerState) {
    this.calls.push(`poll ${order.credentialRequestId} ${state.upstream}`);
    await this.#wait('poll');
    return this.next;
  }
  async updated(order: ProductionOrder) {
    this.calls.push(`updated ${order.credentialRequestId} ${order.requestData.priority}`);
    await this.#wait('updated');
    return { upstream: `U-${order.credentialRequestId}`, revised: true };
  }
  async cancel(order: ProductionOrder) {
    this.calls.push(`cancel ${order.credentialRequestId}`);
    await this.#wait('cancel');
    if (this.refuseCancel) throw new ConflictError('the bureau has already printed it');
  }
}

describe('CMS pending credential requests', () => {
  let producer: ScriptedProducer;
  let services: CmsServices;
  let now: Date;
  const t = useTestApp({ interfaces: ['cms'] });
  /** CMS services of their own on the app's store, as another server process has them. */
  const open = async (scripted: ScriptedProducer) =>
    openCmsServices({
      credentials: {
        catalogue: await loadProfileCatalogue(),
        store: await openCredentialStore(new Store(t.storage)),
        producers: new ProducerRegistry([scripted]),
        clock: () => now,
      },
      document: await loadDocument('cms'),
      clock: () => now,
      timeoutSeconds: TIMEOUT_SECONDS,
      logger: pino({ level: 'silent' }),
    });
  beforeEach(async () => {
    producer = new ScriptedProducer();
    now = new Date('2031-03-01T08:00:00Z');
    services = await open(producer);
  });
  const later = (seconds: number) => {
    now = new Date(now.getTime() + seconds * 1000);
  };
  const readOverHttp = async (id: string) => (await request(t.app).get(requestUrl(id))).body;

  it('stays PENDING with no credentialIds; the producer is polled on each read', async () => {
    await services.requests.create('B-1', credentialRequest(), 'tx-1');
    assert.deepEqual(producer.calls, ['produce B-1 internal']);
    const read = await services.requests.read('B-1');
    assert.deepEqual([read.status, read.credentialIds], ['PENDING', []]);
    assert.deepEqual(producer.calls.slice(1), ['poll B-1 U-B-1']);
    assert.equal((await readOverHttp('B-1')).status, 'PENDING');
  });

  it('poll answering ISSUED stores the credentials and lists them in credentialIds', async () => {
    await services.requests.create('B-2', credentialRequest('RESIDENCE_PERMIT', { issuingAuthority: 'Bureau' }), 'tx-1');
    producer.next = {
      status: 'ISSUED',
      credentials: [{ credentialId: 'CRED-B-2', status: 'NEW', credentialNumber: 'BUR000001', issuedDate: '2031-03-02T10:00:00', serialNumber: 'S-9' }],
    };
    later(60);
    const read = await services.requests.read('B-2');
    assert.deepEqual([read.status, read.credentialIds], ['ISSUED', ['CRED-B-2']]);
    const credential = (await request(t.app).get(credentialUrl('CRED-B-2'))).body;
    assert.deepEqual(credential, {
      credentialId: 'CRED-B-2',
      status: 'NEW',
      credentialNumber: 'BUR000001',
      personId: 'P-1',
      credentialProfileId: 'RESIDENCE_PERMIT',
      credentialProfileVersion: '1',
      numberOfPages: 1,
      issuedDate: '2031-03-02T10:00:00Z',
      serialNumber: 'S-9',
    });
    // NEW → ACTIVE is the issue step; the app's producer for the profile follows it.
    assert.equal((await request(t.app).post(credentialUrl('CRED-B-2', '/status')).send({ status: 'ACTIVE' })).status, 204);
    assert.equal((await request(t.app).post(credentialUrl('CRED-B-2', '/suspend'))).status, 204);
  });

  it('a NEW credential can be neither suspended nor revoked before it is issued (409)', async () => {
    await services.requests.create('B-new', credentialRequest(), 'tx-1');
    producer.next = { status: 'ISSUED', credentials: [{ credentialId: 'CRED-B-new', status: 'NEW' }] };
    await services.requests.runPending();
    const suspend = await request(t.app).post(credentialUrl('CRED-B-new', '/suspend'));
    assert.deepEqual([suspend.status, suspend.body.message], [409, 'Credential CRED-B-new cannot go from NEW to SUSPENDED']);
    assert.equal((await request(t.app).post(credentialUrl('CRED-B-new', '/revoke'))).status, 409);
  });

  it('poll answering FAILED ends the request FAILED with the reason in requestData.others.failureReason', async () => {
    await services.requests.create('B-3', credentialRequest('RESIDENCE_PERMIT', { others: { channel: 'web' } }), 'tx-1');
    producer.next = { status: 'FAILED', reason: 'portrait rejected by the printer' };
    await services.requests.runPending();
    const read = await readOverHttp('B-3');
    assert.equal(read.status, 'FAILED');
    assert.deepEqual(read.requestData.others, { channel: 'web', failureReason: 'portrait rejected by the printer' });
    const cancel = await request(t.app).post(requestUrl('B-3', '/cancel'));
    assert.deepEqual([cancel.status, cancel.body.message], [409, 'Credential request B-3 is FAILED: only a PENDING request can be cancelled']);
  });

  it('a request still PENDING after the timeout ends FAILED (the producer is told); not a second earlier', async () => {
    await services.requests.create('B-4', credentialRequest(), 'tx-1');
    later(TIMEOUT_SECONDS - 1);
    await services.requests.runPending();
    assert.equal((await readOverHttp('B-4')).status, 'PENDING');
    later(1);
    await services.requests.runPending();
    const read = await readOverHttp('B-4');
    assert.equal(read.status, 'FAILED');
    assert.equal(read.requestData.others.failureReason, `no result from producer internal within ${TIMEOUT_SECONDS} seconds`);
    assert.ok(producer.calls.includes('cancel B-4'));
  });

  it('updateCredentialRequest: a PENDING request is replaced, with the same checks as create; the producer is told', async () => {
    await services.requests.create('B-5', credentialRequest(), 'tx-1');
    const updated = credentialRequest('RESIDENCE_PERMIT', { priority: 9 });
    assert.equal((await request(t.app).put(requestUrl('B-5')).send(updated)).status, 204, 'the app itself updates a PENDING request');
    assert.equal((await readOverHttp('B-5')).requestData.priority, 9);
    await services.requests.update('B-5', credentialRequest('RESIDENCE_PERMIT', { priority: 2 }), 'tx-2');
    assert.ok(producer.calls.includes('updated B-5 2'));
    const stored = await (await openCredentialStore(new Store(t.storage))).requests.get('B-5');
    assert.deepEqual([stored?.requestData.priority, stored?.producerState, stored?.transactionId], [2, { upstream: 'U-B-5', revised: true }, 'tx-2']);
    const unknownProfile = await request(t.app).put(requestUrl('B-5')).send(credentialRequest('NOPE'));
    assert.equal(unknownProfile.status, 400);
    const otherProducer = await request(t.app).put(requestUrl('B-5')).send(credentialRequest('NATIONAL_ID_CARD'));
    assert.equal(otherProducer.status, 409);
    assert.match(otherProducer.body.message, /is being produced by internal; profile NATIONAL_ID_CARD is produced by pki/);
  });

  it('cancelCredentialRequest: PENDING → CANCELLED after the producer is told; again: 204, nothing more', async () => {
    await services.requests.create('B-6', credentialRequest(), 'tx-1');
    await services.requests.cancel('B-6', 'tx-2');
    assert.ok(producer.calls.includes('cancel B-6'));
    assert.equal((await readOverHttp('B-6')).status, 'CANCELLED');
    assert.equal((await request(t.app).post(requestUrl('B-6', '/cancel'))).status, 204);
    await services.requests.cancel('B-6', 'tx-3');
    assert.equal(producer.calls.filter((call) => call === 'cancel B-6').length, 1);
    const update = await request(t.app).put(requestUrl('B-6')).send(credentialRequest());
    assert.equal(update.status, 409);
    producer.next = { status: 'ISSUED', credentials: [{ status: 'ACTIVE' }] };
    await services.requests.runPending();
    assert.equal((await readOverHttp('B-6')).status, 'CANCELLED', 'a cancelled request is never polled again');
  });

  it('a producer refusing the cancellation keeps the request PENDING (its 409 answered)', async () => {
    await services.requests.create('B-7', credentialRequest(), 'tx-1');
    producer.refuseCancel = true;
    await assert.rejects(services.requests.cancel('B-7', 'tx-2'), ConflictError);
    assert.equal((await readOverHttp('B-7')).status, 'PENDING');
  });

  it('a failing poll is transient: the request stays PENDING until the timeout', async () => {
    await services.requests.create('B-8', credentialRequest(), 'tx-1');
    producer.poll = async () => {
      throw new Error('bureau unreachable');
    };
    await services.requests.runPending();
    assert.equal((await services.requests.read('B-8')).status, 'PENDING');
  });

  it('the in-process create applies the HTTP rules: schema, lenient dates, profile, 409', async () => {
    await assert.rejects(services.requests.create('B-9', { personId: 'P-1', biographicData: {} }, 'tx'), /requestData/);
    await assert.rejects(services.requests.create('B-9', credentialRequest('NOPE'), 'tx'), /no credential profile NOPE/);
    await services.requests.create('B-9', credentialRequest('RESIDENCE_PERMIT', { validFromDate: '2031-04-01T00:00:00' }), 'tx');
    assert.equal((await services.requests.read('B-9')).requestData.validFromDate, '2031-04-01T00:00:00Z', 'no offset: read as UTC');
    await assert.rejects(services.requests.create('B-9', credentialRequest(), 'tx'), ConflictError);
  });

  describe('racing a change made in another process', () => {
    const changedConcurrently = (status: string) => (err: unknown) =>
      err instanceof ConflictError && err.message.includes(`changed concurrently (it is ${status} now)`);
    const stored = async (id: string) => (await openCredentialStore(new Store(t.storage))).requests.get(id);
    /**
     * Creates request `id` (PENDING), runs `change` here up to its producer `step`, lets `overtaking` complete in
     * another process meanwhile, then lets `change` go on; resolves (or rejects) as `change` does.
     */
    const overtaken = async <T>(
      id: string,
      step: Step,
      change: () => Promise<T>,
      overtaking: (other: CmsServices) => Promise<unknown>,
      otherProducer = new ScriptedProducer(),
    ): Promise<T> => {
      const other = await open(otherProducer);
      await services.requests.create(id, credentialRequest(), 'tx-1');
      const held = producer.hold(step);
      const outcome = change();
      await Promise.race([held.arrived, outcome]);
      await overtaking(other);
      held.release();
      return outcome;
    };

    it('an update whose producer call a cancel overtook answers 409: the request stays CANCELLED, content unchanged', async () => {
      const update = () => services.requests.update('R-1', credentialRequest('RESIDENCE_PERMIT', { priority: 9 }), 'tx-u');
      await assert.rejects(
        overtaken('R-1', 'updated', update, (other) => other.requests.cancel('R-1', 'tx-c')),
        changedConcurrently('CANCELLED'),
      );
      const read = await readOverHttp('R-1');
      assert.deepEqual([read.status, read.requestData.priority], ['CANCELLED', 5]);
      assert.equal(producer.calls.filter((call) => call.startsWith('updated R-1')).length, 1, 'the producer was told once');
    });

    it('a cancel whose producer call an update overtook answers 409: the request stays PENDING, updated', async () => {
      const update = (other: CmsServices) => other.requests.update('R-2', credentialRequest('RESIDENCE_PERMIT', { priority: 9 }), 'tx-u');
      await assert.rejects(
        overtaken('R-2', 'cancel', () => services.requests.cancel('R-2', 'tx-c'), update),
        changedConcurrently('PENDING'),
      );
      const read = await readOverHttp('R-2');
      assert.deepEqual([read.status, read.requestData.priority], ['PENDING', 9]);
    });

    it("a cancel that another process's cancel overtook answers as cancelled", async () => {
      const cancel = (cms: CmsServices, transactionId: string) => () => cms.requests.cancel('R-3', transactionId);
      assert.deepEqual(await overtaken('R-3', 'cancel', cancel(services, 'tx-c1'), (other) => cancel(other, 'tx-c2')()), { personId: 'P-1' });
      const request = await stored('R-3');
      assert.deepEqual([request?.status, request?.transactionId], ['CANCELLED', 'tx-c2']);
    });

    it('two processes polling at once: the request is ISSUED once, with one set of credentials', async () => {
      const otherProducer = new ScriptedProducer();
      // No credentialId: each poll answer would make credentials of its own.
      producer.next = otherProducer.next = { status: 'ISSUED', credentials: [{ status: 'ACTIVE' }] };
      const refresh = () => services.requests.refresh('R-4', 'tx-sweep-1');
      await overtaken('R-4', 'poll', refresh, (other) => other.requests.refresh('R-4', 'tx-sweep-2'), otherProducer);
      const request = await stored('R-4');
      const credentials = await (await openCredentialStore(new Store(t.storage))).credentials.find({ credentialRequestId: 'R-4' });
      assert.deepEqual([request?.status, request?.transactionId], ['ISSUED', 'tx-sweep-2'], 'the first outcome recorded stands');
      assert.equal(credentials.length, 1);
      assert.deepEqual(
        credentials.map((credential) => credential.credentialId),
        request?.credentialIds,
      );
    });

    it("a poll answer that lost to another process's PENDING update is recorded on the fresh record", async () => {
      const otherProducer = new ScriptedProducer();
      otherProducer.next = { status: 'PENDING', producerState: { upstream: 'U-R-5', polls: 1 } };
      producer.next = { status: 'FAILED', reason: 'portrait rejected' };
      const refresh = () => services.requests.refresh('R-5', 'tx-sweep-1');
      const overtaking = async (other: CmsServices) => {
        await other.requests.refresh('R-5', 'tx-sweep-2');
        assert.deepEqual((await stored('R-5'))?.producerState, { upstream: 'U-R-5', polls: 1 });
      };
      await overtaken('R-5', 'poll', refresh, overtaking, otherProducer);
      const request = await stored('R-5');
      assert.deepEqual([request?.status, request?.requestData.others?.failureReason], ['FAILED', 'portrait rejected']);
    });
  });
});
