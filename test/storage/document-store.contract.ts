/**
 * The behaviour every `DocumentStore` adapter must show. Adapter test files call `documentStoreContract` with a
 * harness; each test works in collections of its own, so tests never see each other's records.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuplicateKeyError, type DocumentStore, type Storage } from '../../src/storage/document-store.port.js';
import { atomicBatchContract } from './atomic-batch.contract.js';
import { concurrencyContract } from './concurrency.contract.js';
import { documentQueryContract } from './document-query.contract.js';
import { rankedPagingContract } from './ranked-paging.contract.js';

export interface StorageHarness {
  /** Opens the storage under test, on the same data each time (so closing and reopening keeps it). */
  open(): Promise<Storage>;
  /** Removes the data once every test has run. */
  cleanup(): Promise<void>;
}

/** Shared state handed to the parts of the contract. */
export interface ContractContext {
  store(): DocumentStore;
  /** Closes the store and opens it again on the same data. */
  reopen(): Promise<DocumentStore>;
  /** A collection name no other test uses. */
  freshName(): string;
}

export const isDuplicateKey = (collection: string, id: string) => (error: unknown) =>
  error instanceof DuplicateKeyError && error.collection === collection && error.id === id;

export function documentStoreContract(adapter: string, harness: StorageHarness): void {
  describe(`DocumentStore contract: ${adapter}`, () => {
    let storage: Storage | undefined;
    let names = 0;
    const context: ContractContext = {
      store: () => storage?.documents ?? assert.fail('storage is not open'),
      reopen: async () => {
        await storage?.documents.close();
        storage = await harness.open();
        return storage.documents;
      },
      freshName: () => `contract${++names}`,
    };
    before(async () => {
      storage = await harness.open();
    });
    after(async () => {
      await storage?.documents.close();
      await harness.cleanup();
    });

    it('reports its kind and answers ping', async () => {
      assert.equal(context.store().kind, adapter);
      await context.store().ping();
    });

    it('inserts, gets, counts; an unknown id gets undefined', async () => {
      const people = await context.store().collection(context.freshName());
      await people.insert({ _id: 'a', name: 'Ann' });
      await people.insert({ _id: 'b', name: 'Bob' });
      assert.deepEqual(await people.get('a'), { _id: 'a', name: 'Ann' });
      assert.equal(await people.get('nobody'), undefined);
      assert.equal(await people.count(), 2);
      assert.equal(await people.count({ name: 'Bob' }), 1);
    });

    it('rejects a duplicate _id with DuplicateKeyError and keeps the first record', async () => {
      const name = context.freshName();
      const people = await context.store().collection(name);
      await people.insert({ _id: 'a', name: 'Ann' });
      await assert.rejects(people.insert({ _id: 'a', name: 'Other' }), isDuplicateKey(name, 'a'));
      assert.deepEqual(await people.get('a'), { _id: 'a', name: 'Ann' });
    });

    it('enforces unique indexes, single-field and compound, on insert, put and replace', async () => {
      const name = context.freshName();
      const indexes = [{ fields: ['email'], unique: true }, { fields: ['country', 'number'], unique: true }];
      const people = await context.store().collection(name, indexes);
      await context.store().collection(name, indexes); // idempotent
      await people.insert({ _id: 'a', email: 'a@x', country: 'FR', number: '1' });
      await people.insert({ _id: 'b', email: 'b@x', country: 'FR', number: '2' });
      await people.insert({ _id: 'c', email: 'c@x', country: 'BE', number: '1' });
      await assert.rejects(people.insert({ _id: 'd', email: 'a@x', country: 'NL', number: '9' }), isDuplicateKey(name, 'd'));
      await assert.rejects(people.insert({ _id: 'd', email: 'd@x', country: 'FR', number: '1' }), isDuplicateKey(name, 'd'));
      await assert.rejects(people.put({ _id: 'e', email: 'b@x', country: 'NL', number: '9' }), isDuplicateKey(name, 'e'));
      await assert.rejects(people.replace({ _id: 'c', email: 'a@x', country: 'BE', number: '1' }), isDuplicateKey(name, 'c'));
      assert.equal(await people.count(), 3);
    });

    it('puts (create or replace), replaces only existing records, deletes one or many', async () => {
      const people = await context.store().collection(context.freshName());
      await people.put({ _id: 'a', name: 'Ann', age: 30 });
      await people.put({ _id: 'a', name: 'Anna' });
      assert.deepEqual(await people.get('a'), { _id: 'a', name: 'Anna' });
      assert.equal(await people.replace({ _id: 'z', name: 'Zed' }), false);
      assert.equal(await people.get('z'), undefined);
      assert.equal(await people.replace({ _id: 'a', city: 'Paris' }), true);
      assert.deepEqual(await people.get('a'), { _id: 'a', city: 'Paris' });
      await people.insert({ _id: 'b', city: 'Paris' });
      await people.insert({ _id: 'c', city: 'Lyon' });
      assert.equal(await people.delete('c'), true);
      assert.equal(await people.delete('c'), false);
      assert.equal(await people.deleteMany({ city: 'Paris' }), 2);
      assert.equal(await people.deleteMany({ city: 'Paris' }), 0);
      assert.equal(await people.count(), 0);
    });

    it('returns copies: mutating what went in or came out changes nothing stored', async () => {
      const people = await context.store().collection(context.freshName());
      const input = { _id: 'a', name: { given: 'Ann' }, tags: ['x'] };
      await people.insert(input);
      input.name.given = 'changed';
      input.tags.push('changed');
      const first = await people.get('a');
      const [listed] = await people.find({});
      assert.ok(first && listed);
      (first.name as { given: string }).given = 'mutated';
      (listed.tags as string[]).push('mutated');
      assert.deepEqual(await people.get('a'), { _id: 'a', name: { given: 'Ann' }, tags: ['x'] });
    });

    it('round-trips key order and values exactly, and never shows its hidden fields', async () => {
      const people = await context.store().collection(context.freshName());
      await people.insert(sampleDocument);
      const got = await people.get(sampleDocument._id);
      assert.equal(JSON.stringify(got), JSON.stringify(sampleDocument));
      assert.deepEqual(got, sampleDocument);
      const [found] = await people.find({ dateTime: '2019-05-21T12:00:00+01:00' });
      assert.equal(JSON.stringify(found), JSON.stringify(sampleDocument));
    });

    it('rejects collection names that are not safe identifiers', async () => {
      await assert.rejects(context.store().collection('../escape'), RangeError);
      await assert.rejects(context.store().collection('_journal'), RangeError);
    });

    documentQueryContract(context);
    atomicBatchContract(context);
    concurrencyContract(context);
    rankedPagingContract(context);
  });
}

/** Every JSON shape a record may hold, with keys deliberately not in alphabetical order. */
export const sampleDocument = {
  _id: 'sample',
  zeta: 'first key after _id',
  dateTime: '2019-05-21T12:00:00+01:00',
  date: '2019-05-21',
  decimal: 1.2,
  sum: 0.1 + 0.2,
  negative: -42,
  zero: 0,
  largestSafe: 2 ** 53 - 1,
  tiny: 5e-324,
  huge: 1e21,
  yes: true,
  no: false,
  nothing: null,
  emptyArray: [],
  emptyObject: {},
  emptyString: '',
  numericText: '00123',
  unicode: 'Zoë Ünïcødé 😀 \u2028 \u2029 \u0085 \r\n\t "quoted" \\',
  alpha: { nested: { deep: [1, 'two', { three: 3, list: [[], {}] }] }, empty: {} },
};
