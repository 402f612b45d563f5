/**
 * The registry's searches run from the store's indexes: EXPLAIN QUERY PLAN of the filters that findPersons,
 * queryPersonList, readGalleryContent and a person's identities use shows an index search driving the query and no
 * sort of the matches (paging a large gallery walks the index in insertion order).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { identitySpec } from '../../src/registry/registry-records.js';
import { criteriaFilter, galleryFilter } from '../../src/registry/search-filter.js';
import type { Filter } from '../../src/storage/document-store.port.js';
import { SqliteDocumentStore } from '../../src/storage/sqlite/sqlite-document-store.js';
import { claim, createIdentity, createPerson } from '../support/registry-fixtures.js';
import { useTestApp } from '../support/use-test-app.js';

describe('query plans of the registry searches (embedded store)', { skip: process.env.MONGODB_URI ? 'SQLite only' : false }, () => {
  const t = useTestApp({ interfaces: ['pr', 'dataaccess'] });
  before(async () => {
    await createPerson(t, 'QP-1');
    await createIdentity(t, 'QP-1', 'A', claim({ firstName: 'Ada', lastName: 'Lovelace' }));
  });

  const plan = (filter: Filter) => {
    assert.ok(t.storage.documents instanceof SqliteDocumentStore);
    return t.storage.documents.explain(identitySpec([]).name, filter).join('\n');
  };
  const byLastName = [{ path: 'biographicData.lastName', operator: '=' as const, value: 'Lovelace' }];

  for (const [search, filter] of [
    ['findPersons by lastName', criteriaFilter(byLastName, {})],
    ['findPersons by lastName in a gallery', criteriaFilter(byLastName, { gallery: 'CITIZENS' })],
    ['queryPersonList (reference identities by lastName)', criteriaFilter(byLastName, { referenceOnly: true })],
    ['readGalleryContent', galleryFilter('CITIZENS')],
    ["a person's identities", { personId: 'QP-1' }],
  ] as const) {
    it(`${search} searches an index and sorts nothing`, () => {
      const detail = plan(filter);
      // A gallery page at an offset starts at the counted block holding it (`seq>?`, storage/sqlite/ranks.ts).
      assert.match(detail, /SEARCH k USING PRIMARY KEY \(idx=\? AND t=\? AND v=\?( AND seq>\?)?\)/, detail);
      assert.match(detail, /SEARCH t USING INTEGER PRIMARY KEY/, detail);
      assert.doesNotMatch(detail, /TEMP B-TREE|SCAN k|SCAN t/, detail);
    });
  }

  it('a readGalleryContent page is cut on the keys alone, from the block counts of the gallery, before any record is read', () => {
    const detail = plan(galleryFilter('CITIZENS'));
    assert.match(detail, /SEARCH pr_identities__ranks USING PRIMARY KEY \(idx=\? AND t=\? AND v=\?\)/, detail);
    assert.match(detail, /SEARCH k USING PRIMARY KEY \(idx=\? AND t=\? AND v=\? AND seq>\?\)(\n.*)*\nSCAN p\nSEARCH t USING INTEGER PRIMARY KEY/, detail);
  });

  it('the driving index is the criterion on the name, not the broad reference flag', () => {
    const detail = plan(criteriaFilter(byLastName, { referenceOnly: true }));
    assert.match(detail, /CORRELATED SCALAR SUBQUERY/, 'the reference flag is a probe per candidate');
  });
});
