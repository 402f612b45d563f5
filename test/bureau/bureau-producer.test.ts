/**
 * The bureau producer against an OSIA CMS test double: what it sends upstream, how it mirrors what the bureau
 * issues, and how it behaves when the bureau refuses, fails or cannot be reached.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import pino from 'pino';
import { ConfigError } from '../../src/config/config-options.js';
import { bureausSectionSchema, readBureauToken } from '../../src/credentials/bureau/bureau-config.js';
import { answeredStatus } from '../../src/errors/osia-error.js';
import { UpstreamBureauError } from '../../src/credentials/bureau/bureau-errors.js';
import { createBureauProducer } from '../../src/credentials/bureau/bureau-producer.js';
import type { CredentialProducer, ProductionOrder } from '../../src/credentials/credential-producer.port.js';
import { SENTINEL_NAMES, SENTINEL_PNG_BASE64 } from '../support/sentinels.js';
import { BUREAU_TOKEN, FakeBureau } from './fake-bureau.js';

const logLines: string[] = [];
const log = pino(
  { level: 'debug' },
  new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
);

function order(credentialRequestId: string, personId = 'P-1'): ProductionOrder {
  return {
    credentialRequestId,
    transactionId: `tx-${credentialRequestId}`,
    personId,
    biographicData: { ...SENTINEL_NAMES, dateOfBirth: '1990-04-12' },
    biometricData: [{ biometricType: 'FACE', image: SENTINEL_PNG_BASE64 }],
    requestData: { priority: 2, credentialProfileId: 'NATIONAL_ID_CARD', requestType: 'FIRST_ISSUANCE' },
    profile: { credentialProfileId: 'NATIONAL_ID_CARD', credentialType: 'ID_CARD' },
    settings: { producer: 'acme-cards', upstreamProfileId: 'NID-CARD-V2' },
  };
}

function producerFor(url: string, extra: { timeoutMs?: number; requestIdPrefix?: string } = {}): CredentialProducer {
  return createBureauProducer({
    name: 'acme-cards',
    entry: { url, tokenEnv: 'ACME_TOKEN', ...extra },
    env: { ACME_TOKEN: BUREAU_TOKEN },
    log,
  });
}

/** Every producer call returns a promise; this one must reject with an UpstreamBureauError of that HTTP status. */
async function rejectsUpstream(call: Promise<unknown>, status: number, message: RegExp) {
  await assert.rejects(call, (err: unknown) => {
    assert.ok(err instanceof UpstreamBureauError, String(err));
    assert.equal(answeredStatus(err), status);
    assert.match(err.message, message);
    return true;
  });
}

describe('bureau producer', () => {
  let bureau: FakeBureau;
  let producer: CredentialProducer;
  before(async () => {
    bureau = await FakeBureau.start();
    producer = producerFor(bureau.url);
  });
  after(() => bureau.close());
  beforeEach(() => {
    bureau.received.length = 0;
    bureau.script.length = 0;
  });

  it('is named after the bureau', () => {
    assert.equal(producer.name, 'acme-cards');
  });

  it('forwards the order as an OSIA credential request under our id, with the bureau profile id, and answers PENDING', async () => {
    const outcome = await producer.produce(order('CR-1'));
    assert.deepEqual(outcome, { status: 'PENDING', producerState: { bureau: 'acme-cards', upstreamRequestId: 'CR-1', submitted: true } });
    assert.equal(bureau.received.length, 1);
    const [call] = bureau.received;
    assert.equal(call?.method, 'POST');
    assert.equal(call?.path, '/cms/v1/credentialRequests/CR-1');
    assert.equal(call?.transactionId, 'tx-CR-1');
    assert.equal(call?.authorization, `Bearer ${BUREAU_TOKEN}`);
    assert.deepEqual(call?.body, {
      personId: 'P-1',
      biographicData: { ...SENTINEL_NAMES, dateOfBirth: '1990-04-12' },
      biometricData: [{ biometricType: 'FACE', image: SENTINEL_PNG_BASE64 }],
      requestData: { priority: 2, credentialProfileId: 'NID-CARD-V2', requestType: 'FIRST_ISSUANCE' },
    });
  });

  it('polls the bureau: PENDING stays PENDING, ISSUED mirrors each upstream credential', async () => {
    const started = await producer.produce(order('CR-2'));
    assert.equal(started.status, 'PENDING');
    const state = started.status === 'PENDING' ? started.producerState : {};
    assert.deepEqual(await producer.poll?.(order('CR-2'), state), { status: 'PENDING', producerState: state });

    const upstreamId = bureau.issue('CR-2', {
      credentialNumber: 'N-000123',
      serialNumber: 'SN-9',
      issuedDate: '2026-11-20T10:00:00+01:00',
      expiryDate: '2036-11-19T23:59:59+01:00',
      issuingAuthority: 'Ministry of Interior',
      issuingPlace: 'Capital City',
    });
    bureau.received.length = 0;
    const issued = await producer.poll?.(order('CR-2'), state);
    assert.deepEqual(issued, {
      status: 'ISSUED',
      credentials: [
        {
          status: 'ACTIVE',
          credentialNumber: 'N-000123',
          serialNumber: 'SN-9',
          issuedDate: '2026-11-20T10:00:00+01:00',
          expiryDate: '2036-11-19T23:59:59+01:00',
          issuingAuthority: 'Ministry of Interior',
          issuingPlace: 'Capital City',
          producerState: { bureau: 'acme-cards', upstreamCredentialId: upstreamId },
        },
      ],
    });
    assert.deepEqual(
      bureau.received.map((call) => [call.method, call.path, call.transactionId, call.authorization]),
      [
        ['GET', '/cms/v1/credentialRequests/CR-2', 'tx-CR-2', `Bearer ${BUREAU_TOKEN}`],
        ['GET', `/cms/v1/credentials/${upstreamId}`, 'tx-CR-2', `Bearer ${BUREAU_TOKEN}`],
      ],
    );
  });

  it('keeps an upstream NEW credential NEW', async () => {
    await producer.produce(order('CR-NEW'));
    bureau.issue('CR-NEW', { status: 'NEW' });
    const outcome = await producer.poll?.(order('CR-NEW'), { bureau: 'acme-cards', upstreamRequestId: 'CR-NEW' });
    assert.equal(outcome?.status === 'ISSUED' && outcome.credentials[0]?.status, 'NEW');
  });

  it('a retry after a crash is idempotent: the bureau answers 409, the producer reads the request it already holds', async () => {
    await producer.produce(order('CR-3'));
    const again = await producer.produce(order('CR-3'));
    assert.deepEqual(again, { status: 'PENDING', producerState: { bureau: 'acme-cards', upstreamRequestId: 'CR-3', submitted: true } });
    assert.equal(bureau.callsTo('CR-3').filter((call) => call.method === 'POST').length, 2);

    bureau.issue('CR-3', { credentialNumber: 'N-3' });
    const third = await producer.produce(order('CR-3'));
    assert.equal(third.status, 'ISSUED');
    assert.equal(third.status === 'ISSUED' && third.credentials[0]?.credentialNumber, 'N-3');
  });

  it('does not adopt a request the bureau holds under our id for another person', async () => {
    await producer.produce(order('CR-4', 'P-1'));
    const other = await producer.produce(order('CR-4', 'P-2'));
    assert.equal(other.status, 'FAILED');
    assert.match(other.status === 'FAILED' ? other.reason : '', /bureau acme-cards already holds credential request CR-4 for another person/);
  });

  it('a derived upstream id (requestIdPrefix) namespaces our requests at a shared bureau', async () => {
    const prefixed = producerFor(bureau.url, { requestIdPrefix: 'MINISTRY-A.' });
    const outcome = await prefixed.produce({ ...order('CR-5'), settings: undefined });
    assert.equal(outcome.status === 'PENDING' && outcome.producerState.upstreamRequestId, 'MINISTRY-A.CR-5');
    const requestData = bureau.requests.get('MINISTRY-A.CR-5')?.request.requestData as { credentialProfileId?: string } | undefined;
    assert.equal(requestData?.credentialProfileId, 'NATIONAL_ID_CARD', 'without upstreamProfileId, our profile id');
  });

  it('a 4xx answer fails the production with a reason naming the bureau, its status and its message', async () => {
    bureau.script.push({ status: 400, body: { code: 400, message: 'requestData/priority must be <= 9' } });
    assert.deepEqual(await producer.produce(order('CR-6')), {
      status: 'FAILED',
      reason: 'bureau acme-cards answered 400 to POST /v1/credentialRequests/CR-6: requestData/priority must be <= 9',
    });
    bureau.script.push({ status: 403, body: { code: 403, message: 'scope cms.request.write missing' } });
    const forbidden = await producer.produce(order('CR-7'));
    assert.match(forbidden.status === 'FAILED' ? forbidden.reason : '', /^bureau acme-cards answered 403 .*scope cms\.request\.write missing$/);
    assert.equal(bureau.requests.has('CR-6') || bureau.requests.has('CR-7'), false);
  });

  it('a request the bureau cancels or fails is FAILED here', async () => {
    for (const status of ['CANCELLED', 'FAILED'] as const) {
      const id = `CR-8-${status}`;
      await producer.produce(order(id));
      bureau.setStatus(id, status);
      assert.deepEqual(await producer.poll?.(order(id), { bureau: 'acme-cards', upstreamRequestId: id, submitted: true }), {
        status: 'FAILED',
        reason: `bureau acme-cards reports credential request ${id} ${status}`,
      });
    }
  });

  it('a 5xx on submission keeps the request PENDING, and the next poll submits it again', async () => {
    bureau.script.push({ status: 503, body: { code: 503, message: 'maintenance' } });
    const first = await producer.produce(order('CR-9'));
    assert.deepEqual(first, { status: 'PENDING', producerState: { bureau: 'acme-cards', upstreamRequestId: 'CR-9', submitted: false } });
    assert.equal(bureau.requests.has('CR-9'), false);
    assert.ok(logLines.some((line) => line.includes('"bureau":"acme-cards"') && line.includes('answered 503')));

    const second = await producer.poll?.(order('CR-9'), first.status === 'PENDING' ? first.producerState : {});
    assert.deepEqual(second, { status: 'PENDING', producerState: { bureau: 'acme-cards', upstreamRequestId: 'CR-9', submitted: true } });
    assert.ok(bureau.requests.has('CR-9'));
  });

  it('any failure to read the bureau while polling keeps the request PENDING', async () => {
    await producer.produce(order('CR-10'));
    const state = { bureau: 'acme-cards', upstreamRequestId: 'CR-10', submitted: true };
    bureau.script.push({ status: 500, body: { code: 500, message: 'Internal server error' } });
    assert.deepEqual(await producer.poll?.(order('CR-10'), state), { status: 'PENDING', producerState: state });
    const upstreamId = bureau.issue('CR-10', {});
    bureau.script.push('pass', { status: 502, body: {} });
    assert.deepEqual(await producer.poll?.(order('CR-10'), state), { status: 'PENDING', producerState: state });
    assert.deepEqual(bureau.received.slice(-2).map((call) => call.path), ['/cms/v1/credentialRequests/CR-10', `/cms/v1/credentials/${upstreamId}`]);
    bureau.script.push({ status: 403, body: { code: 403, message: 'token expired' } });
    assert.deepEqual(await producer.poll?.(order('CR-10'), state), { status: 'PENDING', producerState: state }, 'our token, not the request, is at fault');
    assert.equal((await producer.poll?.(order('CR-10'), state))?.status, 'ISSUED');
  });

  it('forwards an update of a PENDING request; the bureau refusing it refuses the update', async () => {
    await producer.produce(order('CR-U'));
    const state = { bureau: 'acme-cards', upstreamRequestId: 'CR-U', submitted: true };
    const changed = { ...order('CR-U'), requestData: { ...order('CR-U').requestData, priority: 7 } };
    assert.equal(await producer.updated?.(changed, state), undefined);
    const [call] = bureau.received.filter((c) => c.method === 'PUT');
    assert.deepEqual([call?.path, call?.transactionId, call?.authorization], ['/cms/v1/credentialRequests/CR-U', 'tx-CR-U', `Bearer ${BUREAU_TOKEN}`]);
    assert.deepEqual((call?.body as { requestData?: unknown } | undefined)?.requestData, { priority: 7, credentialProfileId: 'NID-CARD-V2', requestType: 'FIRST_ISSUANCE' });

    bureau.issue('CR-U', {});
    await rejectsUpstream(producer.updated?.(changed, state) ?? Promise.resolve(), 409, /answered 409 to PUT \/v1\/credentialRequests\/CR-U: credential request is ISSUED$/);
    // Not yet received by the bureau: the next poll submits the new content.
    assert.equal(await producer.updated?.(order('CR-unsent'), { ...state, upstreamRequestId: 'CR-unsent', submitted: false }), undefined);
  });

  it('forwards cancellation; a request the bureau never received needs no cancellation there', async () => {
    await producer.produce(order('CR-11'));
    await producer.cancel?.(order('CR-11'), { bureau: 'acme-cards', upstreamRequestId: 'CR-11', submitted: true });
    assert.equal(bureau.requests.get('CR-11')?.status, 'CANCELLED');
    const [call] = bureau.callsTo('/cancel');
    assert.deepEqual([call?.path, call?.transactionId, call?.authorization], [
      '/cms/v1/credentialRequests/CR-11/cancel',
      'tx-CR-11',
      `Bearer ${BUREAU_TOKEN}`,
    ]);
    await producer.cancel?.(order('CR-never'), { bureau: 'acme-cards', upstreamRequestId: 'CR-never', submitted: false });
    bureau.script.push({ status: 500, body: { code: 500, message: 'Internal server error' } });
    await rejectsUpstream(producer.cancel?.(order('CR-11'), { bureau: 'acme-cards', upstreamRequestId: 'CR-11' }) ?? Promise.resolve(), 502, /answered 500/);
  });

  describe('status changes', () => {
    let upstreamId: string;
    const change = (from: string, to: string, reason?: string) => ({
      credentialId: 'LOCAL-1',
      transactionId: 'tx-status',
      from,
      to,
      reason,
      producerState: { bureau: 'acme-cards', upstreamCredentialId: upstreamId },
    }) as Parameters<NonNullable<CredentialProducer['statusChanged']>>[0];

    before(async () => {
      await producer.produce(order('CR-12'));
      upstreamId = bureau.issue('CR-12', { credentialNumber: 'N-12' });
    });

    it('forwards suspend, unsuspend and revoke with the reason, and other transitions through setCredentialStatus', async () => {
      assert.equal(await producer.statusChanged?.(change('ACTIVE', 'SUSPENDED', 'reported lost')), undefined);
      assert.equal(bureau.credentials.get(upstreamId)?.status, 'SUSPENDED');
      await producer.statusChanged?.(change('SUSPENDED', 'ACTIVE'));
      assert.equal(bureau.credentials.get(upstreamId)?.status, 'ACTIVE');
      await producer.statusChanged?.(change('ACTIVE', 'OTHER', 'sent for reprint'));
      assert.equal(bureau.credentials.get(upstreamId)?.status, 'OTHER');
      await producer.statusChanged?.(change('OTHER', 'REVOKED', 'stolen'));
      assert.deepEqual(
        bureau.received.map((call) => [call.path, call.transactionId, call.authorization, call.body]),
        [
          [`/cms/v1/credentials/${upstreamId}/suspend`, 'tx-status', `Bearer ${BUREAU_TOKEN}`, { reason: 'reported lost' }],
          [`/cms/v1/credentials/${upstreamId}/unsuspend`, 'tx-status', `Bearer ${BUREAU_TOKEN}`, {}],
          [`/cms/v1/credentials/${upstreamId}/status`, 'tx-status', `Bearer ${BUREAU_TOKEN}`, { status: 'OTHER', reason: 'sent for reprint' }],
          [`/cms/v1/credentials/${upstreamId}/status`, 'tx-status', `Bearer ${BUREAU_TOKEN}`, { status: 'REVOKED', reason: 'stolen' }],
        ],
      );
      await producer.statusChanged?.(change('ACTIVE', 'REVOKED'));
      assert.equal(bureau.received.at(-1)?.path, `/cms/v1/credentials/${upstreamId}/revoke`);
    });

    it('a refusal by the bureau refuses the change with 409, naming the bureau and its message', async () => {
      bureau.script.push({ status: 409, body: { code: 409, message: 'credential is revoked' } });
      await rejectsUpstream(
        producer.statusChanged?.(change('SUSPENDED', 'ACTIVE')) ?? Promise.resolve(),
        409,
        /^bureau acme-cards answered 409 to POST \/v1\/credentials\/UP-\d+\/unsuspend: credential is revoked$/,
      );
    });

    it('a bureau that rejects our token or fails gives 502', async () => {
      bureau.script.push({ status: 401, body: { code: 401, message: 'unknown token' } }, { status: 500, body: {} });
      await rejectsUpstream(producer.statusChanged?.(change('ACTIVE', 'SUSPENDED')) ?? Promise.resolve(), 502, /answered 401/);
      await rejectsUpstream(producer.statusChanged?.(change('ACTIVE', 'SUSPENDED')) ?? Promise.resolve(), 502, /answered 500/);
    });

    it('refuses a credential this bureau did not produce', async () => {
      const foreign = { ...change('ACTIVE', 'SUSPENDED'), producerState: { bureau: 'other-bureau', upstreamCredentialId: 'X' } };
      await assert.rejects(producer.statusChanged?.(foreign) ?? Promise.resolve(), { kind: 'conflict', message: /produced by bureau other-bureau, not by bureau acme-cards/ });
      assert.equal(bureau.received.length, 0);
    });
  });

  describe('an unreachable bureau', () => {
    let closedUrl: string;
    before(async () => {
      const gone = await FakeBureau.start();
      closedUrl = gone.url;
      await gone.close();
    });

    it('leaves a new request PENDING (submitted again on the next poll) and refuses status changes with 502', async () => {
      const unreachable = producerFor(closedUrl);
      assert.deepEqual(await unreachable.produce(order('CR-13')), {
        status: 'PENDING',
        producerState: { bureau: 'acme-cards', upstreamRequestId: 'CR-13', submitted: false },
      });
      const change = { credentialId: 'L', transactionId: 'tx', from: 'ACTIVE', to: 'SUSPENDED', producerState: { bureau: 'acme-cards', upstreamCredentialId: 'U' } } as const;
      await rejectsUpstream(unreachable.statusChanged?.(change) ?? Promise.resolve(), 502, /^bureau acme-cards is unreachable \(POST \/v1\/credentials\/U\/suspend: ECONNREFUSED\)$/);
      await rejectsUpstream(unreachable.cancel?.(order('CR-13'), { bureau: 'acme-cards', upstreamRequestId: 'CR-13' }) ?? Promise.resolve(), 502, /unreachable/);
    });

    it('gives up on a silent bureau after timeoutMs', async () => {
      const impatient = producerFor(bureau.url, { timeoutMs: 50 });
      bureau.script.push('hang');
      assert.deepEqual(await impatient.produce(order('CR-14')), {
        status: 'PENDING',
        producerState: { bureau: 'acme-cards', upstreamRequestId: 'CR-14', submitted: false },
      });
      assert.ok(logLines.some((line) => line.includes('no answer within 50 ms')));
    });

    it('does not follow redirects (they could carry the token elsewhere)', async () => {
      const elsewhere = await FakeBureau.start();
      try {
        const redirecting = producerFor(bureau.url);
        bureau.script.push({ status: 307, location: `${elsewhere.url}/v1/credentialRequests/CR-15` });
        const outcome = await redirecting.produce(order('CR-15'));
        assert.equal(outcome.status === 'PENDING' && outcome.producerState.submitted, false);
        assert.equal(elsewhere.received.length, 0);
      } finally {
        await elsewhere.close();
      }
    });
  });

  it('the token never appears in logs, reasons or error messages', () => {
    assert.ok(logLines.length > 3, 'the failures above should have been logged');
    assert.equal(logLines.find((line) => line.includes(BUREAU_TOKEN.slice(0, 20))), undefined);
    for (const value of Object.values(SENTINEL_NAMES)) assert.equal(logLines.find((line) => line.includes(value)), undefined);
  });
});

describe('bureau configuration', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'osia-bureau-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('reads the token from a file (trailing newline dropped) or from an environment variable', async () => {
    const file = path.join(dir, 'token');
    await writeFile(file, `${BUREAU_TOKEN}\n`);
    assert.equal(readBureauToken('acme', { url: 'https://b.example/cms', tokenFile: file }), BUREAU_TOKEN);
    assert.equal(readBureauToken('acme', { url: 'https://b.example/cms', tokenEnv: 'T' }, { T: BUREAU_TOKEN }), BUREAU_TOKEN);
  });

  it('stops start-up with a reason naming the source, never the content', async () => {
    const blank = path.join(dir, 'blank');
    await writeFile(blank, '\n');
    const spaced = path.join(dir, 'spaced');
    await writeFile(spaced, `${BUREAU_TOKEN} ${BUREAU_TOKEN}`);
    const cases: Array<[object, RegExp]> = [
      [{ tokenFile: path.join(dir, 'missing') }, /^bureau acme: cannot read tokenFile .*missing \(ENOENT\)$/],
      [{ tokenFile: blank }, /^bureau acme: tokenFile .*blank gives an empty token$/],
      [{ tokenFile: spaced }, /^bureau acme: tokenFile .*spaced holds whitespace inside the token$/],
      [{ tokenEnv: 'UNSET_VARIABLE' }, /^bureau acme: tokenEnv UNSET_VARIABLE gives an empty token$/],
    ];
    for (const [source, message] of cases) {
      assert.throws(
        () => createBureauProducer({ name: 'acme', entry: { url: 'https://b.example/cms', ...source }, env: {} }),
        (err: unknown) => err instanceof ConfigError && message.test(err.message) && !err.message.includes(BUREAU_TOKEN),
      );
    }
  });

  it('the exported schema accepts a bureau entry and rejects broken ones', () => {
    const validate = new Ajv({ allErrors: true }).compile(bureausSectionSchema);
    assert.ok(validate({ 'acme-cards': { url: 'https://bureau.example/cms', tokenFile: '/run/secrets/acme', timeoutMs: 5000 } }), JSON.stringify(validate.errors));
    assert.ok(validate({ other: { url: 'http://10.0.0.5:8080/cms', tokenEnv: 'OTHER_TOKEN', requestIdPrefix: 'MIN-A.' } }));
    const broken = [
      { acme: { tokenEnv: 'T' } },
      { acme: { url: 'ftp://bureau.example', tokenEnv: 'T' } },
      { acme: { url: 'https://bureau.example/cms' } },
      { acme: { url: 'https://bureau.example/cms', tokenEnv: 'T', tokenFile: '/t' } },
      { acme: { url: 'https://bureau.example/cms', tokenEnv: 'T', timeoutMs: 0 } },
      { acme: { url: 'https://bureau.example/cms', tokenEnv: 'T', token: 'inline secrets are refused' } },
      { 'bad name!': { url: 'https://bureau.example/cms', tokenEnv: 'T' } },
    ];
    for (const section of broken) assert.equal(validate(section), false, JSON.stringify(section));
  });
});
