/**
 * Two server processes on one data directory racing status changes of the same pki credentials: no change is lost
 * (each one answered 2xx is in the credential's history, once), REVOKED stays final, and the CRL the processes
 * publish concurrently lists every revoked certificate under numbers that never repeat.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StatusChange } from '../../src/credentials/credential-records.js';
import { openCredentialStore } from '../../src/credentials/credential-store.js';
import { createStorage } from '../../src/storage/create-storage.js';
import { type CrlView, readCrl } from '../pki/pki-fixtures.js';
import { type ServerProcesses, startServers } from '../support/server-processes.js';
import { credentialRequest } from './cms-fixtures.js';
import { Store } from '../../src/storage/store.js';

type Json = Record<string, unknown>;

describe('two server processes changing the same credentials', () => {
  let processes: ServerProcesses;
  before(async () => {
    processes = await startServers(2);
  });
  after(() => processes.stop());

  const send = async (base: string, method: string, route: string, transactionId: string, body?: object) => {
    const res = await fetch(`${base}/cms/v1${route}?transactionId=${transactionId}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : undefined };
  };

  /** Issues a national ID card (two certificates) through the first process; resolves its id and serials. */
  const issue = async (requestId: string) => {
    const [base = ''] = processes.bases;
    assert.equal((await send(base, 'POST', `/credentialRequests/${requestId}`, 'tx-issue', credentialRequest('NATIONAL_ID_CARD'))).status, 201);
    const read = (await send(base, 'GET', `/credentialRequests/${requestId}`, 'tx-read')).body as { credentialIds: string[] };
    const [credentialId] = read.credentialIds;
    const credential = (await send(base, 'GET', `/credentials/${credentialId}`, 'tx-read')).body as Json;
    const certificates = (credential.others as { certificates: { serialNumber: string }[] }).certificates;
    return { credentialId: credentialId as string, serials: certificates.map((certificate) => certificate.serialNumber) };
  };

  const crlOf = async (base: string): Promise<CrlView> => readCrl(Buffer.from(await (await fetch(`${base}/cms/crl`)).arrayBuffer()));

  const histories = async (credentialIds: string[]) => {
    const storage = await createStorage({ dataDir: processes.dataDir });
    try {
      const { credentials } = await openCredentialStore(new Store(storage));
      return await Promise.all(credentialIds.map(async (id) => (await credentials.load(id)).history));
    } finally {
      await storage.documents.close();
    }
  };

  it('racing suspend, unsuspend, revoke and named statuses: every change answered 2xx is recorded once; REVOKED is final', async () => {
    const credentials = await Promise.all(['RACE-1', 'RACE-2', 'RACE-3'].map(issue));
    // A named status is always a change (each name is used once): its 2xx must leave exactly one entry. Suspend,
    // unsuspend and revoke may find the credential there already (204, nothing recorded): at most one entry.
    const moves = (server: number, credentialId: string) => [
      ...Array.from({ length: 8 }, (_, i) => ({ route: '/status', body: { status: `NAMED-${server}-${i}` }, named: true })),
      ...['suspend', 'unsuspend', 'suspend', 'unsuspend', 'revoke'].map((action) => ({ route: `/${action}`, body: { reason: 'race' }, named: false })),
    ].map((move, i) => ({ ...move, credentialId, transactionId: `tx-${credentialId}-${server}-${i}` }));
    const attempts = credentials.flatMap(({ credentialId }) =>
      processes.bases.flatMap((base, server) => moves(server, credentialId).map((move) => ({ ...move, base }))),
    );
    const answers = await Promise.all(
      attempts.map(({ base, credentialId, route, body, transactionId }) => send(base, 'POST', `/credentials/${credentialId}${route}`, transactionId, body)),
    );
    assert.deepEqual(answers.filter(({ status }) => status !== 204 && status !== 409), [], 'only 204 and 409 answers');
    const succeeded = new Set(attempts.filter((_, i) => answers[i]?.status === 204).map(({ transactionId }) => transactionId));

    const recorded = await histories(credentials.map(({ credentialId }) => credentialId));
    recorded.forEach((history, n) => {
      const { credentialId } = credentials[n] as (typeof credentials)[number];
      const changes = history.slice(1);
      const entries = (transactionId: string) => changes.filter((change) => change.transactionId === transactionId).length;
      for (const attempt of attempts.filter((item) => item.credentialId === credentialId)) {
        const expected = !succeeded.has(attempt.transactionId) ? [0] : attempt.named ? [1] : [0, 1];
        assert.ok(expected.includes(entries(attempt.transactionId)), `${attempt.transactionId}: ${entries(attempt.transactionId)} entries`);
      }
      assertChained(history);
      assert.equal(history.at(-1)?.to, 'REVOKED', `${credentialId} ends REVOKED`);
      assert.equal(history.filter((change) => change.to === 'REVOKED').length, 1);
    });
    // The certificates followed the recorded status: revoked, none left on hold.
    const crl = await crlOf(processes.bases[0] as string);
    for (const serial of credentials.flatMap(({ serials }) => serials)) {
      assert.ok(crl.entries.has(serial) && crl.entries.get(serial) !== 6, `${serial} is revoked on the CRL`);
    }
  });

  it('concurrent revocations from both processes: the CRL lists every revoked serial, under strictly increasing numbers', async () => {
    const credentials = await Promise.all(Array.from({ length: 8 }, (_, i) => issue(`CRL-${i}`)));
    const [first = ''] = processes.bases;
    const before = (await crlOf(first)).number;
    // After each revocation, the CRL as the revoking process serves it.
    const seen = await Promise.all(
      credentials.map(async ({ credentialId }, i) => {
        const base = processes.bases[i % 2] as string;
        assert.equal((await send(base, 'POST', `/credentials/${credentialId}/revoke`, `tx-crl-${i}`, { reason: 'card stolen' })).status, 204);
        return crlOf(base);
      }),
    );
    const finals = await Promise.all(processes.bases.map(crlOf));
    const all = [...seen, ...finals];
    const byNumber = new Map<number, string>();
    for (const crl of all) {
      const listed = [...crl.entries.keys()].sort().join(',');
      assert.equal(byNumber.get(crl.number) ?? listed, listed, `two different CRLs carry number ${crl.number}`);
      byNumber.set(crl.number, listed);
      assert.ok(crl.number > before);
    }
    // Only revocations happened: a later number lists everything an earlier one did.
    const ordered = [...all].sort((a, b) => a.number - b.number);
    ordered.forEach((crl, i) => {
      for (const serial of ordered[i - 1]?.entries.keys() ?? []) assert.ok(crl.entries.has(serial), `CRL ${crl.number} dropped ${serial}`);
    });
    assert.equal(finals[0]?.number, finals[1]?.number, 'both processes serve the latest CRL');
    for (const serial of credentials.flatMap(({ serials }) => serials)) assert.ok(finals[0]?.entries.has(serial), `${serial} listed`);
  });
});

/** Each change starts from the status the previous one reached: none was computed from a stale record. */
function assertChained(history: StatusChange[]): void {
  history.slice(1).forEach((change, i) => {
    assert.equal(change.from, history[i]?.to, `entry ${i + 1} (${change.transactionId}) starts where entry ${i} ended`);
  });
}
