/**
 * The one leased queue on a real store: claims only what is due and free, one claimer of two wins a record, a claim
 * that is settled, released or removed writes at the claimed version, and a dead claimer's records come back once
 * its lease has passed. Time is a fake clock moved by hand.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Storage } from '../../src/storage/document-store.port.js';
import { createStorage } from '../../src/storage/create-storage.js';
import { LeasedQueue, type LeasedRecord } from '../../src/storage/leased-queue.js';
import type { RecordSpec } from '../../src/storage/record-spec.js';
import { Store } from '../../src/storage/store.js';
import { fakeClock } from '../support/fake-clock.js';

interface Task extends LeasedRecord {
  order: number;
  done?: boolean;
}

const TASKS: RecordSpec<Task> = { name: 'queue_test_tasks' };
const LEASE_MS = 60_000;

describe('Leased queue', () => {
  const clock = fakeClock();
  let dataDir: string;
  let storage: Storage;
  let store: Store;
  const queue = async () => new LeasedQueue(store, await store.records(TASKS), { now: () => clock().getTime(), leaseMs: LEASE_MS });

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-queue-'));
    storage = await createStorage({ dataDir, mongodbUri: process.env.MONGODB_URI, mongodbDatabase: path.basename(dataDir), clock });
    store = new Store(storage);
  });
  after(async () => {
    await storage.documents.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const ids = (reads: { record: Task }[]) => reads.map(({ record }) => record._id);

  it('claims what is due and free, in order up to the first that is not when asked, and one claimer of two wins', async () => {
    const [a, b] = [await queue(), await queue()];
    const now = clock().getTime();
    const tasks: Task[] = [
      { _id: 't1', order: 1, leaseUntil: 0 },
      { _id: 't2', order: 2, leaseUntil: 0, dueAt: now + 1000 },
      { _id: 't3', order: 3, leaseUntil: 0 },
    ];
    await store.commit(tasks.map((task) => a.records.insert(task)));
    assert.deepEqual(ids(await a.due({}, { sort: { order: 1 } })), ['t1', 't3'], 't2 is not due yet');
    assert.deepEqual(ids(await a.due({}, { sort: { order: 1 }, inOrder: true })), ['t1'], 'in order: nothing past t2');

    const read = await a.due({}, { sort: { order: 1 } });
    const [first, second] = await Promise.all([a.claim(read), b.claim(read)]);
    assert.deepEqual([first?.length, second?.length].sort(), [0, 2], 'the store lets one claim through, whole');
    assert.deepEqual(ids(await b.due({})), [], 'claimed records are not free');
    const [winner, claimed] = first?.length ? [a, first] : [b, second ?? []];
    assert.ok(claimed.every(({ record }) => record.leaseOwner === winner.owner && record.leaseUntil === now + LEASE_MS));
    assert.ok(winner.holds(claimed[0] ?? assert.fail(), LEASE_MS));
    assert.equal(winner.holds(claimed[0] ?? assert.fail(), LEASE_MS + 1), false);

    const [t1, t3] = claimed;
    assert.ok(t1 && t3);
    assert.equal(await winner.commit([winner.settle(t1, { ...t1.record, done: true }), winner.remove(t3)]), true);
    const settled = await winner.records.get('t1');
    assert.deepEqual([settled?.done, settled?.leaseUntil, settled?.leaseOwner], [true, 0, undefined], 'settled and free again');
    assert.equal(await winner.records.get('t3'), undefined);
    assert.equal(await winner.commit([winner.remove(t1)]), false, 'a write at a version that moved on is refused');
    await store.commit([a.records.delete('t1'), a.records.delete('t2')]);
  });

  it('a dead claimer’s records come back once its lease has passed; a release delays a record', async () => {
    const [dead, alive] = [await queue(), await queue()];
    await store.commit([dead.records.insert({ _id: 'd1', order: 1, leaseUntil: 0 })]);
    const [claimed] = await dead.claim(await dead.due({}));
    assert.ok(claimed);
    clock.advance(LEASE_MS / 1000 - 1);
    assert.deepEqual(ids(await alive.due({})), [], 'not while the lease holds');
    clock.advance(1);
    const [taken] = await alive.claim(await alive.due({}));
    assert.equal(taken?.record.leaseOwner, alive.owner);
    assert.equal(await dead.commit([dead.remove(claimed)]), false, 'the dead claimer can no longer settle it');
    assert.ok(taken);
    assert.equal(await alive.commit([alive.release(taken, clock().getTime() + 5000)]), true);
    assert.deepEqual(ids(await alive.due({})), [], 'released with a delay: not due yet');
    clock.advance(5);
    assert.deepEqual(ids(await alive.due({})), ['d1']);
  });
});
