/**
 * Part of the DocumentStore contract: pages at any offset of a ranked index (`IndexSpec.ranked`, a gallery's members)
 * are the members in insertion order, after inserts, deletes, updates that change membership, and a reopen.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Collection, WriteOp } from '../../src/storage/document-store.port.js';
import type { ContractContext } from './document-store.contract.js';

/** Enough records for several of the embedded store's counted blocks (4,096 seqs each). */
const RECORDS = 10_000;
const LIMIT = 100;

/** The expected state: ids in insertion order (a put keeps an existing record's place), with their galleries. */
type Model = Map<string, string[]>;

const idOf = (i: number) => `m${String(i).padStart(6, '0')}`;

async function assertPages(members: Collection, model: Model, gallery: string): Promise<void> {
  const expected = [...model].filter(([, galleries]) => galleries.includes(gallery)).map(([id]) => id);
  assert.equal(await members.count({ galleries: gallery }), expected.length);
  const offsets = [0, 1, 4095, 4096, 4097, 5000, 8191, 8193, expected.length - 1, expected.length, expected.length + 7];
  for (const skip of offsets.filter((offset) => offset >= 0)) {
    const page = await members.find({ galleries: gallery }, { skip, limit: LIMIT });
    assert.deepEqual(
      page.map((doc) => doc._id),
      expected.slice(skip, skip + LIMIT),
      `${gallery} page at offset ${skip}`,
    );
  }
  const unlimited = await members.find({ galleries: { $eq: gallery } }, { skip: expected.length - 3 });
  assert.deepEqual(
    unlimited.map((doc) => doc._id),
    expected.slice(-3),
  );
}

export function rankedPagingContract(context: ContractContext): void {
  it('pages a ranked index at any offset, after inserts, deletes, membership changes and a reopen', async () => {
    const name = context.freshName();
    const open = () => context.store().collection(name, [{ fields: ['galleries'], ranked: true }]);
    let members = await open();
    const model: Model = new Map();
    const galleriesOf = (i: number) => (i % 7 === 0 ? ['C', 'R'] : i % 10 === 0 ? ['R'] : ['C']);
    for (let start = 0; start < RECORDS; start += 1000) {
      const docs = Array.from({ length: 1000 }, (_, j) => ({ _id: idOf(start + j), galleries: galleriesOf(start + j) }));
      await members.insertMany(docs);
      for (const doc of docs) model.set(doc._id, doc.galleries);
    }
    await assertPages(members, model, 'C');
    await assertPages(members, model, 'R');

    const changes: WriteOp[] = [];
    for (let i = 0; i < RECORDS / 2; i += 3) {
      changes.push({ collection: name, op: 'delete', id: idOf(i) });
      model.delete(idOf(i));
    }
    for (let i = 1; i < RECORDS; i += 4) {
      // C members leave for R, R members join C too: membership changes, places stay.
      const galleries = galleriesOf(i).includes('C') ? ['R'] : ['C', 'R'];
      if (!model.has(idOf(i))) continue;
      changes.push({ collection: name, op: 'put', doc: { _id: idOf(i), galleries } });
      model.set(idOf(i), galleries);
    }
    for (let i = RECORDS; i < RECORDS + 1000; i++) {
      changes.push({ collection: name, op: 'insert', doc: { _id: idOf(i), galleries: galleriesOf(i) } });
      model.set(idOf(i), galleriesOf(i));
    }
    await context.store().applyAtomically(changes);
    await assertPages(members, model, 'C');
    await assertPages(members, model, 'R');

    await context.reopen();
    members = await open();
    await assertPages(members, model, 'C');
    assert.deepEqual(await members.find({ galleries: 'nobody' }, { skip: 5, limit: LIMIT }), []);
  });
}
