/** Part of the DocumentStore contract: atomic batches, isolation from readers, durability across reopening. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setImmediate } from 'node:timers/promises';
import type { WriteOp } from '../../src/storage/document-store.port.js';
import { type ContractContext, isDuplicateKey, sampleDocument } from './document-store.contract.js';

export function atomicBatchContract(context: ContractContext): void {
  it('applyAtomically applies puts and deletes across collections; an empty batch does nothing', async () => {
    const [peopleName, cardsName] = [context.freshName(), context.freshName()];
    const people = await context.store().collection(peopleName);
    const cards = await context.store().collection(cardsName);
    for (const id of ['a', 'b', 'z']) await people.insert({ _id: id, v: 0 });
    await context.store().applyAtomically([
      { collection: peopleName, op: 'put', doc: { _id: 'a', v: 1 } },
      { collection: peopleName, op: 'delete', id: 'b' },
      { collection: peopleName, op: 'delete', id: 'never-existed' },
      { collection: cardsName, op: 'put', doc: { _id: 'card', owner: 'a' } },
      { collection: peopleName, op: 'put', doc: { _id: 'n', v: 1 } },
      { collection: peopleName, op: 'put', doc: { _id: 'n', v: 2 } },
    ]);
    await context.store().applyAtomically([]);
    assert.deepEqual(await people.find({}), [
      { _id: 'a', v: 1 },
      { _id: 'z', v: 0 },
      { _id: 'n', v: 2 },
    ]);
    assert.deepEqual(await cards.get('card'), { _id: 'card', owner: 'a' });
  });

  it('a batch that breaks a unique index rejects with DuplicateKeyError and changes nothing', async () => {
    const name = context.freshName();
    const people = await context.store().collection(name, [{ fields: ['email'], unique: true }]);
    await people.insert({ _id: 'u1', email: 'taken' });
    await people.insert({ _id: 'u2', email: 'two' });
    await people.insert({ _id: 'u3', email: 'three' });
    const before = await people.find({});
    const batch: WriteOp[] = [
      { collection: name, op: 'put', doc: { _id: 'new', email: 'new' } },
      { collection: name, op: 'put', doc: { _id: 'u2', email: 'changed' } },
      { collection: name, op: 'delete', id: 'u3' },
      { collection: name, op: 'put', doc: { _id: 'bad', email: 'taken' } },
    ];
    await assert.rejects(context.store().applyAtomically(batch), isDuplicateKey(name, 'bad'));
    assert.deepEqual(await people.find({}), before);
  });

  it('readers never observe a partially applied batch', async () => {
    const name = context.freshName();
    const records = await context.store().collection(name);
    for (let i = 0; i < 50; i++) await records.insert({ _id: `old${i}` });
    const ops: WriteOp[] = [
      ...Array.from({ length: 10 }, (_, i): WriteOp => ({ collection: name, op: 'delete', id: `old${i}` })),
      ...Array.from({ length: 200 }, (_, i): WriteOp => ({ collection: name, op: 'put', doc: { _id: `new${i}` } })),
    ];
    const seen = new Set<number>();
    let done = false;
    const poll = async () => {
      while (!done) {
        seen.add(await records.count());
        seen.add((await records.find({})).length);
        await setImmediate(); // reads may resolve in microtasks only: let I/O (the batch's appends) run
      }
    };
    const pollers = [poll(), poll(), poll()];
    await setImmediate();
    await context
      .store()
      .applyAtomically(ops)
      .finally(() => {
        done = true;
      });
    await Promise.all(pollers);
    seen.add(await records.count());
    assert.deepEqual(
      [...seen].filter((count) => count !== 50 && count !== 240),
      [],
      `saw counts ${[...seen].join(', ')}`,
    );
    assert.ok(seen.has(240));
  });

  it('keeps records, their order and their exact values when the store is closed and reopened', async () => {
    const name = context.freshName();
    const records = await context.store().collection(name, [{ fields: ['email'], unique: true }]);
    await records.insert({ ...sampleDocument, email: 'sample' });
    for (const id of ['k', 'b', 'y']) await records.insert({ _id: id, email: id });
    await records.delete('b');
    await context.store().applyAtomically([{ collection: name, op: 'put', doc: { _id: 'batch', email: 'batch' } }]);
    const before = await records.find({});

    const reopened = await (await context.reopen()).collection(name, [{ fields: ['email'], unique: true }]);
    assert.equal(JSON.stringify(await reopened.find({})), JSON.stringify(before));
    await reopened.insert({ _id: 'after', email: 'after' });
    assert.deepEqual(
      (await reopened.find({})).map((doc) => doc._id),
      ['sample', 'k', 'y', 'batch', 'after'],
    );
    await assert.rejects(reopened.insert({ _id: 'dup', email: 'k' }), isDuplicateKey(name, 'dup'));
  });
}
