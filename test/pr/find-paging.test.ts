/**
 * Searches that answer persons (findPersons with group=true, queryPersonList) read matching identities a page at
 * a time: a page of persons comes out whole and in order of first match when persons hold several matching
 * identities, and when the matches run past one page of identities.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import request from 'supertest';
import { claim, createIdentity, createPerson, defineReference, TX } from '../support/registry-fixtures.js';
import { useTestApp } from '../support/use-test-app.js';

const PERSONS = 75;
const id = (i: number) => `PG-${String(i).padStart(3, '0')}`;

describe('person searches past one page of identities', () => {
  const t = useTestApp({ interfaces: ['pr', 'dataaccess'] });
  before(async () => {
    for (let i = 0; i < PERSONS; i++) {
      await createPerson(t, id(i));
      // Two matching identities per person: 150 matches, more than one page of 100.
      await createIdentity(t, id(i), 'A', claim({ firstName: 'Page', lastName: 'Turner' }));
      await createIdentity(t, id(i), 'B', claim({ firstName: 'Page', lastName: 'Turner' }));
      await defineReference(t, id(i), 'B');
    }
  });
  const expected = (from: number, to: number) => Array.from({ length: to - from }, (_, n) => id(from + n));

  it('findPersons group=true pages persons, not identities', async () => {
    const body = [{ attributeName: 'lastName', operator: '=', value: 'Turner' }];
    const page = await request(t.app).post(`/pr/v1/persons${TX}&group=true&offset=10&limit=60`).send(body);
    assert.equal(page.status, 200);
    assert.deepEqual(page.body.map((row: { personId: string }) => row.personId), expected(10, 70));
    const rest = await request(t.app).post(`/pr/v1/persons${TX}&group=true&offset=70&limit=60`).send(body);
    assert.deepEqual(rest.body.map((row: { personId: string }) => row.personId), expected(70, PERSONS));
  });

  it('queryPersonList pages persons found by their reference identity', async () => {
    const page = await request(t.app).get('/dataaccess/v1/persons?lastName=Turner&offset=5&limit=50');
    assert.equal(page.status, 200);
    assert.deepEqual(page.body, expected(5, 55));
  });
});
