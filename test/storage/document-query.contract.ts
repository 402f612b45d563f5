/** Part of the DocumentStore contract: filters (MongoDB semantics), insertion order, sort/skip/limit. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { Collection, Filter, FindOptions } from '../../src/storage/document-store.port.js';
import type { ContractContext } from './document-store.contract.js';

const people = [
  {
    _id: 'p1',
    name: 'Ann',
    age: 30,
    city: 'Paris',
    tags: ['a', 'b'],
    address: { city: 'Paris', zip: '75001' },
    identities: [{ biographicData: { lastName: 'Doe', firstName: 'Ann' } }, { biographicData: { lastName: 'Smith' } }],
  },
  { _id: 'p2', name: 'Bob', age: 25, tags: ['b'], address: { city: 'Lyon' }, identities: [{ biographicData: { lastName: 'Roe' } }] },
  { _id: 'p3', name: 'Cid', age: 40, city: null, tags: [], identities: [] },
  { _id: 'p4', name: 'Dee', age: 35, city: 'Lyon', address: { city: 'Paris' }, identities: [{ biographicData: { lastName: 'Doe' } }] },
];

/** Filter → ids expected, in insertion order. */
const filterCases: [string, Filter, string[]][] = [
  ['bare equality', { name: 'Bob' }, ['p2']],
  ['_id equality', { _id: 'p2' }, ['p2']],
  ['_id equality of no record', { _id: 'p9' }, []],
  ['_id equality with an indexed equality', { _id: 'p4', name: 'Dee' }, ['p4']],
  ['_id equality that another condition rules out', { _id: 'p4', age: { $lt: 30 } }, []],
  ['_id $in', { _id: { $in: ['p3', 'p1'] } }, ['p1', 'p3']],
  ['$eq', { age: { $eq: 30 } }, ['p1']],
  ['$ne', { name: { $ne: 'Ann' } }, ['p2', 'p3', 'p4']],
  ['$gt', { age: { $gt: 30 } }, ['p3', 'p4']],
  ['$gte', { age: { $gte: 30 } }, ['p1', 'p3', 'p4']],
  ['$lt', { age: { $lt: 30 } }, ['p2']],
  ['$lte', { age: { $lte: 30 } }, ['p1', 'p2']],
  ['a range', { age: { $gt: 25, $lt: 40 } }, ['p1', 'p4']],
  ['$in', { name: { $in: ['Ann', 'Dee', 'Zed'] } }, ['p1', 'p4']],
  ['$nin', { name: { $nin: ['Ann', 'Dee'] } }, ['p2', 'p3']],
  ['$exists true (null exists)', { city: { $exists: true } }, ['p1', 'p3', 'p4']],
  ['$exists false', { city: { $exists: false } }, ['p2']],
  ['null matches null and missing', { city: null }, ['p2', 'p3']],
  ['$ne null excludes null and missing', { city: { $ne: null } }, ['p1', 'p4']],
  ['dotted path into an object', { 'address.city': 'Paris' }, ['p1', 'p4']],
  ['dotted path into an array of objects', { 'identities.biographicData.lastName': 'Doe' }, ['p1', 'p4']],
  ['any array element matches', { 'identities.biographicData.lastName': 'Smith' }, ['p1']],
  ['$in on an array path', { 'identities.biographicData.lastName': { $in: ['Roe', 'Smith'] } }, ['p1', 'p2']],
  ['array contains', { tags: 'b' }, ['p1', 'p2']],
  ['$ne on an array: no element equals', { tags: { $ne: 'a' } }, ['p2', 'p3', 'p4']],
  ['$nin on an array: no element in', { tags: { $nin: ['a', 'x'] } }, ['p2', 'p3', 'p4']],
  ['fields combine with AND', { 'address.city': 'Paris', age: { $gte: 35 } }, ['p4']],
  ['$or', { $or: [{ name: 'Ann' }, { age: { $gt: 38 } }] }, ['p1', 'p3']],
  ['$and', { $and: [{ 'address.city': 'Paris' }, { age: { $lt: 35 } }] }, ['p1']],
  ['an undefined condition is ignored', { name: 'Ann', age: undefined }, ['p1']],
  ['empty filter', {}, ['p1', 'p2', 'p3', 'p4']],
];

/** Find options → ids expected. */
const pageCases: [string, FindOptions, string[]][] = [
  ['no options: insertion order', {}, ['p1', 'p2', 'p3', 'p4']],
  ['sort descending', { sort: { age: -1 } }, ['p3', 'p4', 'p1', 'p2']],
  ['missing values first, ties in insertion order', { sort: { 'address.city': 1 } }, ['p3', 'p2', 'p1', 'p4']],
  ['sort, skip and limit', { sort: { age: 1 }, skip: 1, limit: 2 }, ['p1', 'p4']],
  ['limit without sort', { limit: 2 }, ['p1', 'p2']],
  ['skip without sort', { skip: 3 }, ['p4']],
];

const ids = (docs: { _id: string }[]) => docs.map((doc) => doc._id);

export function documentQueryContract(context: ContractContext): void {
  let collection: Collection | undefined;
  const loaded = async () => {
    if (collection === undefined) {
      collection = await context.store().collection(context.freshName(), [{ fields: ['name'] }]);
      for (const person of people) await collection.insert(person);
    }
    return collection;
  };

  it('filters: $in with thousands of values (an export page, a batch of ids) on an indexed path', async () => {
    const names = [...Array.from({ length: 3000 }, (_, i) => `nobody-${i}`), 'Dee', 'Ann'];
    assert.deepEqual(ids(await (await loaded()).find({ name: { $in: names } })), ['p1', 'p4']);
    assert.deepEqual(ids(await (await loaded()).find({ age: { $in: Array.from({ length: 3000 }, (_, i) => i) } })), ['p1', 'p2', 'p3', 'p4']);
  });

  for (const [title, filter, expected] of filterCases) {
    it(`filters: ${title}`, async () => {
      const found = await (await loaded()).find(filter);
      assert.deepEqual(ids(found), expected);
      assert.equal(await (await loaded()).count(filter), expected.length);
    });
  }

  for (const [title, options, expected] of pageCases) {
    it(`find options: ${title}`, async () => {
      assert.deepEqual(ids(await (await loaded()).find({}, options)), expected);
    });
  }

  it('returns records in insertion order without a sort, and a put keeps a record in place', async () => {
    const records = await context.store().collection(context.freshName());
    const order = ['m', 'c', 'x', 'a', ...Array.from({ length: 40 }, () => randomUUID())];
    for (const id of order) await records.insert({ _id: id });
    await records.put({ _id: 'c', updated: true });
    await records.put({ _id: 'new' });
    assert.deepEqual(ids(await records.find({})), [...order, 'new']);
  });
}
