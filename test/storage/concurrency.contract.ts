/**
 * Part of the DocumentStore contract: what makes creates and read-modify-write safe without any in-process lock:
 * the `insert` op, unique indexes under concurrent writers, `expectedVersion`, and snapshots.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { VersionConflictError } from '../../src/storage/document-store.port.js';
import { type ContractContext, isDuplicateKey } from './document-store.contract.js';

const isVersionConflict = (collection: string, id: string) => (error: unknown) =>
  error instanceof VersionConflictError && error.collection === collection && error.id === id;

export function concurrencyContract(context: ContractContext): void {
  it('a batch insert of an existing id fails the whole batch with DuplicateKeyError', async () => {
    const [people, log] = [context.freshName(), context.freshName()];
    const collection = await context.store().collection(people);
    await collection.insert({ _id: 'p1', n: 1 });
    const batch = context.store().applyAtomically([
      { collection: log, op: 'insert', doc: { _id: 'entry' } },
      { collection: people, op: 'insert', doc: { _id: 'p1', n: 2 } },
    ]);
    await assert.rejects(batch, isDuplicateKey(people, 'p1'));
    assert.deepEqual(await collection.get('p1'), { _id: 'p1', n: 1 });
    assert.equal(await (await context.store().collection(log)).get('entry'), undefined);
  });

  it('of many concurrent inserts of one id, or of one unique value, exactly one succeeds', async () => {
    const name = context.freshName();
    const collection = await context.store().collection(name, [{ fields: ['email'], unique: true }]);
    const byId = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => context.store().applyAtomically([{ collection: name, op: 'insert', doc: { _id: 'same', i } }])),
    );
    assert.equal(byId.filter((result) => result.status === 'fulfilled').length, 1);
    const byEmail = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => collection.insert({ _id: `e${i}`, email: 'shared@x' })),
    );
    assert.equal(byEmail.filter((result) => result.status === 'fulfilled').length, 1);
    assert.ok(byEmail.every((result) => result.status === 'fulfilled' || result.reason.name === 'DuplicateKeyError'));
    assert.equal(await collection.count({ email: 'shared@x' }), 1);
  });

  it('counts versions from 1 and refuses a put or delete at a version that no longer holds', async () => {
    const name = context.freshName();
    const collection = await context.store().collection(name);
    await collection.insert({ _id: 'r', n: 0 });
    const read = await collection.getVersioned('r');
    assert.deepEqual(read, { doc: { _id: 'r', n: 0 }, version: 1 });
    await context.store().applyAtomically([{ collection: name, op: 'put', doc: { _id: 'r', n: 1 }, expectedVersion: 1 }]);
    assert.equal((await collection.getVersioned('r'))?.version, 2);
    const stale = context.store().applyAtomically([{ collection: name, op: 'put', doc: { _id: 'r', n: 99 }, expectedVersion: 1 }]);
    await assert.rejects(stale, isVersionConflict(name, 'r'));
    await assert.rejects(
      context.store().applyAtomically([{ collection: name, op: 'delete', id: 'r', expectedVersion: 1 }]),
      isVersionConflict(name, 'r'),
    );
    await assert.rejects(
      context.store().applyAtomically([{ collection: name, op: 'put', doc: { _id: 'absent' }, expectedVersion: 1 }]),
      isVersionConflict(name, 'absent'),
    );
    assert.deepEqual(await collection.get('r'), { _id: 'r', n: 1 });
    await context.store().applyAtomically([{ collection: name, op: 'delete', id: 'r', expectedVersion: 2 }]);
    assert.equal(await collection.get('r'), undefined);
  });

  it('concurrent read-modify-write increments with expectedVersion and retry lose no update', async () => {
    const name = context.freshName();
    const collection = await context.store().collection(name);
    await collection.insert({ _id: 'counter', n: 0 });
    const increment = async () => {
      for (;;) {
        const current = await collection.getVersioned('counter');
        const n = Number(current?.doc.n) + 1;
        try {
          await context.store().applyAtomically([
            { collection: name, op: 'put', doc: { _id: 'counter', n }, expectedVersion: current?.version },
          ]);
          return;
        } catch (error) {
          if (!(error instanceof VersionConflictError)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, increment));
    assert.deepEqual(await collection.get('counter'), { _id: 'counter', n: 20 });
  });

  it('a snapshot keeps reading the store as it was when taken while writes go on', async () => {
    const name = context.freshName();
    const collection = await context.store().collection(name, [{ fields: ['tag'] }]);
    await collection.insert({ _id: 'a', tag: 'x' });
    const snapshot = await context.store().snapshot();
    try {
      await collection.insert({ _id: 'b', tag: 'x' });
      await collection.put({ _id: 'a', tag: 'y' });
      assert.deepEqual(await snapshot.get(name, 'a'), { _id: 'a', tag: 'x' });
      assert.equal(await snapshot.get(name, 'b'), undefined);
      assert.deepEqual(await snapshot.find(name, { tag: 'x' }), [{ _id: 'a', tag: 'x' }]);
      assert.deepEqual(await snapshot.find(context.freshName(), {}), []);
      assert.deepEqual((await collection.find({ tag: 'x' })).map((doc) => doc._id), ['b']);
    } finally {
      await snapshot.close();
    }
  });
}
