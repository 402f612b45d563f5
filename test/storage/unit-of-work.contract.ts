/**
 * The behaviour of the unit of work (`Store`) on every adapter: typed handles, encoded member names, binaries kept
 * in step with the records naming them, conflicts failing a commit whole.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Storage, StoredRecord } from '../../src/storage/document-store.port.js';
import type { RecordSpec } from '../../src/storage/record-spec.js';
import { type Records, Store } from '../../src/storage/store.js';
import type { StorageHarness } from './document-store.contract.js';

interface Card extends StoredRecord {
  owner: string;
  content: { portrait?: string; 'free.form'?: string; $odd?: number };
  chip?: Uint8Array;
}

const CARDS: RecordSpec<Card> = { name: 'uow_cards', indexes: [{ fields: ['owner'] }], encodedKeys: true, binaries: ['content.portrait', 'chip'] };
const LARGE = 'P'.repeat(5000);

export function unitOfWorkContract(adapter: string, harness: StorageHarness): void {
  describe(`unit of work contract: ${adapter}`, () => {
    let storage: Storage;
    let store: Store;
    let cards: Records<Card>;
    const unclaimed = async () => (await storage.documents.collection('blobs_unclaimed')).count();
    const raw = async (id: string) => (await storage.documents.collection(CARDS.name)).get(id);

    before(async () => {
      storage = await harness.open();
      store = new Store(storage);
      cards = await store.records(CARDS);
    });
    after(async () => {
      await storage.documents.close();
      await harness.cleanup();
    });

    it('stores binaries as blobs and names with dots or a leading $ encoded; reads give the record back', async () => {
      const card: Card = { _id: 'c1', owner: 'ann', content: { portrait: LARGE, 'free.form': 'x', $odd: 1 }, chip: Buffer.from([1, 2, 3]) };
      await store.commit([cards.insert(card)]);
      const stored = await raw('c1');
      assert.ok(stored);
      assert.ok(!JSON.stringify(stored).includes(LARGE), 'the portrait is not inside the record');
      assert.deepEqual(Object.keys(stored.content as object).sort(), ['%24odd', 'free%2Eform', 'portrait']);
      const read = await cards.get('c1');
      assert.equal(read?.content.portrait, LARGE);
      assert.deepEqual([read?.content['free.form'], read?.content.$odd], ['x', 1]);
      assert.ok(Buffer.from(read?.chip ?? []).equals(Buffer.from([1, 2, 3])));
      assert.equal(await unclaimed(), 0, 'every blob written is claimed by the commit');
      assert.deepEqual(await cards.select({ owner: 'ann' }, ['owner']), [{ owner: 'ann' }]);
    });

    it('a write at the version read keeps unchanged binaries and releases replaced ones; a stale version fails it whole', async () => {
      const read = await cards.getVersioned('c1');
      assert.ok(read);
      const blobsBefore = JSON.stringify(await raw('c1'));
      await store.commit([cards.put({ ...read.record, owner: 'bob' }, read)]);
      assert.equal(JSON.stringify(await raw('c1')).match(/blobRef/g)?.length, 2);
      assert.deepEqual(
        JSON.parse(JSON.stringify(await raw('c1'))).content.portrait,
        JSON.parse(blobsBefore).content.portrait,
        'the unchanged portrait keeps its blob',
      );
      await assert.rejects(store.commit([cards.insert({ _id: 'c2', owner: 'cy', content: {} }), cards.put({ ...read.record, owner: 'dan' }, read)]), {
        name: 'VersionConflictError',
      });
      assert.equal(await cards.get('c2'), undefined, 'nothing of a failed commit is written');
      const fresh = await cards.getVersioned('c1');
      assert.ok(fresh);
      await store.commit([cards.put({ ...fresh.record, content: { portrait: 'Q'.repeat(3000) } }, fresh)]);
      assert.equal((await cards.get('c1'))?.content.portrait, 'Q'.repeat(3000));
      assert.equal(await unclaimed(), 0, 'the replaced portrait was released and deleted after the commit');
    });

    it('a record deleted and inserted under another id in one commit keeps its blob (a move)', async () => {
      const read = await cards.getVersioned('c1');
      assert.ok(read);
      const before = JSON.parse(JSON.stringify(await raw('c1'))).content.portrait;
      await store.commit([cards.delete(read), cards.insert({ ...read.record, _id: 'moved' })]);
      assert.equal(await cards.get('c1'), undefined);
      assert.deepEqual(JSON.parse(JSON.stringify(await raw('moved'))).content.portrait, before);
      assert.equal((await cards.get('moved'))?.content.portrait, 'Q'.repeat(3000));
      assert.equal(await unclaimed(), 0);
    });

    it('change runs the task again after a conflict; getOrInsert answers the record stored first', async () => {
      let runs = 0;
      await store.change(async () => {
        runs += 1;
        const read = await cards.getVersioned('moved');
        assert.ok(read);
        // Another writer lands between this task's read and its commit, once.
        if (runs === 1) await store.commit([cards.put({ ...read.record, owner: 'eve' }, read)]);
        await store.commit([cards.put({ ...read.record, owner: 'fay' }, read)]);
      });
      assert.equal(runs, 2);
      assert.equal((await cards.get('moved'))?.owner, 'fay');
      const first = await store.getOrInsert(cards, { _id: 'once', owner: 'gus', content: {} });
      const second = await store.getOrInsert(cards, { _id: 'once', owner: 'hal', content: {} });
      assert.deepEqual([first.owner, second.owner], ['gus', 'gus']);
    });

    it('findVersioned gives each record with its version', async () => {
      const found = await cards.findVersioned({ owner: 'fay' });
      const got = await cards.getVersioned('moved');
      assert.deepEqual(found.map(({ record, version }) => [record._id, version]), [['moved', got?.version]]);
    });
  });
}
