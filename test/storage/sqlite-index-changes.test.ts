/**
 * Indexes that change on a store written before: the counts of a ranked index (src/storage/sqlite/ranks.ts), built
 * at open and kept by every writer of the database, also one that opened it before; a retired index, dropped.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import type { Collection } from '../../src/storage/document-store.port.js';
import { SqliteDocumentStore } from '../../src/storage/sqlite/sqlite-document-store.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'osia-index-changes-'));
});
after(async () => rm(dir, { recursive: true, force: true }));

const MEMBERS = 10_000;
const galleryOf = (i: number) => (i % 3 === 0 ? 'B' : 'A');

async function assertPaged(members: Collection, expected: string[]): Promise<void> {
  assert.equal(await members.count({ g: 'A' }), expected.length);
  for (const skip of [0, 4000, 4096, 6001, expected.length - 50]) {
    const page = await members.find({ g: 'A' }, { skip, limit: 100 });
    assert.deepEqual(
      page.map((doc) => doc._id),
      expected.slice(skip, skip + 100),
      `offset ${skip}`,
    );
  }
}

it('counts an index declared ranked on a store written before, at open, and pages it from the counts', async () => {
  const file = path.join(dir, 'backfill.sqlite');
  const old = await SqliteDocumentStore.open(file);
  const unranked = await old.collection('members', [{ fields: ['g'] }]);
  const docs = Array.from({ length: MEMBERS }, (_, i) => ({ _id: `m${i}`, g: galleryOf(i) }));
  await unranked.insertMany(docs);
  assert.ok(!old.explain('members', { g: 'A' }).join('\n').includes('members__ranks'), 'not ranked yet');
  await old.close();

  const store = await SqliteDocumentStore.open(file);
  try {
    const members = await store.collection('members', [{ fields: ['g'], ranked: true }]);
    assert.match(store.explain('members', { g: 'A' }).join('\n'), /SEARCH members__ranks USING PRIMARY KEY/);
    await assertPaged(
      members,
      docs.filter((doc) => doc.g === 'A').map((doc) => doc._id),
    );
  } finally {
    await store.close();
  }
});

it('keeps the counts when another process, which opened the collection unranked, writes', async () => {
  const file = path.join(dir, 'two-processes.sqlite');
  const [first, second] = [await SqliteDocumentStore.open(file), await SqliteDocumentStore.open(file)];
  try {
    const plain = await first.collection('members', [{ fields: ['g'] }]);
    const ranked = await second.collection('members', [{ fields: ['g'], ranked: true }]);
    const docs = Array.from({ length: MEMBERS }, (_, i) => ({ _id: `m${i}`, g: galleryOf(i) }));
    await plain.insertMany(docs);
    await plain.deleteMany({ _id: { $in: docs.slice(0, 3000).map((doc) => doc._id) } });
    await plain.put({ _id: 'm5000', g: 'B' });
    const expected = docs
      .slice(3000)
      .filter((doc) => doc.g === 'A' && doc._id !== 'm5000')
      .map((doc) => doc._id);
    await assertPaged(ranked, expected);
  } finally {
    await first.close();
    await second.close();
  }
});

it('drops a retired index: its keys go, and queries on its path still answer (from the records)', async () => {
  const store = await SqliteDocumentStore.open(path.join(dir, 'retired.sqlite'));
  try {
    const indexed = await store.collection('events', [{ fields: ['tag'] }, { fields: ['kind'] }]);
    await indexed.insertMany([
      { _id: 'e1', tag: ['x', 'y'], kind: 'a' },
      { _id: 'e2', tag: ['y'], kind: 'b' },
    ]);
    assert.match(store.explain('events', { tag: 'y' }).join('\n'), /SEARCH k USING PRIMARY KEY/);
    const events = await store.collection('events', [{ fields: ['tag'], retired: true }]);
    await events.insert({ _id: 'e3', tag: ['y'], kind: 'a' });
    assert.doesNotMatch(store.explain('events', { tag: 'y' }).join('\n'), /SEARCH k/);
    assert.deepEqual(
      (await events.find({ tag: 'y' })).map((doc) => doc._id),
      ['e1', 'e2', 'e3'],
    );
    assert.match(store.explain('events', { kind: 'a' }).join('\n'), /SEARCH k USING PRIMARY KEY/, 'other indexes stay');
    assert.equal(await events.count({ kind: 'a' }), 2);
  } finally {
    await store.close();
  }
});
