/** queryPersonList, on both mounts: search of reference identities, UINs or attributes, paging, errors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { SENTINEL_NAMES } from '../support/sentinels.js';
import { ADA, assertErrorAnswer, MOUNTS, NAMESAKES, NOT_APPLICABLE, UNMAPPED, usePopulatedApp, ZEBULON } from './population-fixture.js';

describe('queryPersonList', () => {
  const t = usePopulatedApp();

  for (const mount of MOUNTS) {
    const query = (search: string) => request(t.app).get(`${mount}/v1/persons?${search}`);

    describe(`under ${mount}`, () => {
      it('answers the UINs of the persons whose reference identity matches, as a flat list', async () => {
        const res = await query(`lastName=${SENTINEL_NAMES.lastName}`);
        assert.equal(res.status, 200);
        assert.deepEqual([...res.body].sort(), [ZEBULON.personId, ADA.personId]);
      });

      it('combines criteria with AND', async () => {
        const res = await query(`lastName=${SENTINEL_NAMES.lastName}&firstName=Ada`);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, [ADA.personId]);
      });

      it('never searches identities other than the reference', async () => {
        // Ignatius is a non-reference identity of Zebulon; CLAIM_ONLY's only identity is not a reference.
        assertErrorAnswer(await query('firstName=Ignatius'), 404, /no person matches/);
        const res = await query('firstName=Ada');
        assert.deepEqual(res.body, [ADA.personId]);
      });

      it('answers 404, not an empty list, when nobody matches', async () => {
        assertErrorAnswer(await query('lastName=Nobody'), 404, /no person matches the search attributes/);
      });

      it('reads gender as an ISO 5218 code and finds the recorded letter', async () => {
        const female = await query(`lastName=${SENTINEL_NAMES.lastName}&gender=2`);
        assert.deepEqual(female.body, [ADA.personId]);
        const male = await query('gender=1');
        assert.deepEqual(male.body, [ZEBULON.personId]);
        assertErrorAnswer(await query('gender=M'), 400, /attribute gender must be of type integer/);
      });

      it('compares dates as YYYY-MM-DD and refuses another writing', async () => {
        assert.deepEqual((await query('dateOfBirth=1984-11-19')).body, [ZEBULON.personId]);
        assertErrorAnswer(await query('dateOfBirth=19.11.1984'), 400, /dateOfBirth must be a date written YYYY-MM-DD/);
      });

      it('with names, answers one object per person with those attributes, ISO 5218 gender and per-attribute Errors', async () => {
        const res = await query(`lastName=${SENTINEL_NAMES.lastName}&names=firstName&names=gender&names=uin&names=spouseName&names=dob`);
        assert.equal(res.status, 200);
        const rows = [...res.body].sort((a, b) => a.uin.localeCompare(b.uin));
        assert.deepEqual(rows, [
          {
            firstName: SENTINEL_NAMES.firstName,
            gender: 1,
            uin: ZEBULON.personId,
            spouseName: { code: 1025, message: 'No value recorded' },
            dob: { code: 1023, message: 'Unknown attribute name' },
          },
          {
            firstName: 'Ada',
            gender: 2,
            uin: ADA.personId,
            spouseName: { code: 1025, message: 'No value recorded' },
            dob: { code: 1023, message: 'Unknown attribute name' },
          },
        ]);
      });

      it('answers a recorded gender outside the mapping as is when it is a code, else with an Error', async () => {
        const res = await query('firstName=Odile&names=uin&names=gender');
        const byUin = Object.fromEntries(res.body.map((row: { uin: string }) => [row.uin, row]));
        assert.equal(byUin[NOT_APPLICABLE.personId].gender, 9);
        assert.equal(byUin[UNMAPPED.personId].gender.code, 1026);
      });

      it('pages with offset and limit, without overlap', async () => {
        const pages = [];
        for (const offset of [0, 2, 4]) {
          const res = await query(`lastName=Pagination&offset=${offset}&limit=2`);
          assert.equal(res.status, 200);
          pages.push(res.body);
        }
        assert.deepEqual(pages.map((page) => page.length), [2, 2, 1]);
        assert.deepEqual(pages.flat().sort(), NAMESAKES.map((person) => person.personId).sort());
        assert.equal((await query('lastName=Pagination')).body.length, 5, 'default limit 100');
        assertErrorAnswer(await query('lastName=Pagination&offset=5'), 404, /no person matches/);
        const named = await query('lastName=Pagination&offset=1&limit=1&names=firstName');
        assert.equal(named.body.length, 1);
      });

      it('reports the persons found to the audit trail', async () => {
        await query('lastName=Pagination&limit=2');
        const audit = await t.storage.documents.collection('audit_events');
        // Without a sort, records come in insertion order: the last one is this query's.
        const event = (await audit.find({ operationId: 'queryPersonList' })).at(-1);
        assert.deepEqual(event?.personIds, NAMESAKES.slice(0, 2).map((person) => person.personId));
      });

      it('refuses an unknown search attribute with 400 naming it', async () => {
        assertErrorAnswer(await query('shoeSize=42'), 400, /unknown search attribute shoeSize/);
      });

      it('refuses a search on uin, an attribute repeated, no criterion, and bad paging', async () => {
        assertErrorAnswer(await query(`uin=${ZEBULON.personId}`), 400, /attribute uin cannot be a search criterion/);
        assertErrorAnswer(await query('lastName=A&lastName=B'), 400, /give search attribute lastName once/);
        assertErrorAnswer(await query('names=firstName'), 400, /attributes/);
        assertErrorAnswer(await query('lastName=Pagination&limit=0'), 400, /limit must be 1 or more/);
        assertErrorAnswer(await query('lastName=Pagination&offset=-1'), 400, /offset must be 0 or more/);
      });
    });
  }
});
