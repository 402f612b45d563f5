/** readDocument, on both mounts: multipart/mixed parts of the reference identity's documents, 404 and 415. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { parseMultipart, rawBody } from './multipart-parser.js';
import { ADA, assertErrorAnswer, CLAIM_ONLY, MOUNTS, NAMESAKES, PDF, PNG, PNG_BACK, usePopulatedApp, ZEBULON } from './population-fixture.js';

describe('readDocument', () => {
  const t = usePopulatedApp();

  for (const mount of MOUNTS) {
    const document = (uin: string, search: string) =>
      request(t.app).get(`${mount}/v1/persons/${uin}/document?${search}`).buffer(true).parse(rawBody);

    describe(`under ${mount}`, () => {
      it('delivers the stored PDF as a part of a multipart/mixed body, bytes intact', async () => {
        const res = await document(ZEBULON.personId, 'doctype=birth_certificate&format=pdf');
        assert.equal(res.status, 200);
        const contentType = res.headers['content-type'] ?? '';
        assert.match(contentType, /^multipart\/mixed; boundary=osia-[0-9a-f]{32}$/);
        const parts = parseMultipart(contentType, res.body);
        assert.equal(parts.length, 1);
        assert.equal(parts[0]?.headers['content-type'], 'application/pdf');
        assert.match(parts[0]?.headers['content-disposition'] ?? '', /filename="document-1\.pdf"/);
        assert.ok(parts[0]?.data.equals(PDF));
      });

      it('matches documentTypeOther, in any case, and recognises a part without mimeType from its bytes', async () => {
        const res = await document(ZEBULON.personId, 'doctype=MARRIAGE&format=png');
        assert.equal(res.status, 200);
        const parts = parseMultipart(res.headers['content-type'] ?? '', res.body);
        assert.deepEqual(parts.map((part) => part.headers['content-type']), ['image/png']);
        assert.ok(parts[0]?.data.equals(PNG));
      });

      it('delivers every part of the document, in order', async () => {
        const res = await document(ZEBULON.personId, 'doctype=id_card&format=png');
        assert.equal(res.status, 200);
        const parts = parseMultipart(res.headers['content-type'] ?? '', res.body);
        assert.deepEqual(parts.map((part) => part.headers['content-disposition']), [
          'attachment; name="documents"; filename="document-1.png"',
          'attachment; name="documents"; filename="document-2.png"',
        ]);
        assert.ok(parts[0]?.data.equals(PNG));
        assert.ok(parts[1]?.data.equals(PNG_BACK));
      });

      it('with secondaryUin, delivers a document only when both persons hold it', async () => {
        const res = await document(ZEBULON.personId, `doctype=marriage&format=png&secondaryUin=${ADA.personId}`);
        assert.equal(res.status, 200);
        assert.ok(parseMultipart(res.headers['content-type'] ?? '', res.body)[0]?.data.equals(PNG));
        const stranger = NAMESAKES[0]?.personId ?? '';
        assertErrorAnswer(
          await document(ZEBULON.personId, `doctype=marriage&format=png&secondaryUin=${stranger}`),
          404,
          new RegExp(`no document of type marriage concerns both person ${ZEBULON.personId} and person ${stranger}`),
        );
        assertErrorAnswer(await document(ZEBULON.personId, 'doctype=marriage&format=png&secondaryUin=P9999'), 404, /no person with UIN P9999/);
      });

      it('answers 415 for TBD and for a document not stored in the format asked', async () => {
        assertErrorAnswer(await document(ZEBULON.personId, 'doctype=birth_certificate&format=TBD'), 415, /format TBD cannot be delivered/);
        assertErrorAnswer(
          await document(ZEBULON.personId, 'doctype=birth_certificate&format=png'),
          415,
          /the birth_certificate document of person P1001 is not available as png/,
        );
        assertErrorAnswer(await document(ZEBULON.personId, 'doctype=marriage&format=jpeg'), 415, /not available as jpeg/);
      });

      it('answers 404 for an unknown UIN, a person without reference, no document of the type, or one held only by reference', async () => {
        assertErrorAnswer(await document('P9999', 'doctype=birth_certificate&format=pdf'), 404, /no person with UIN P9999/);
        assertErrorAnswer(await document(CLAIM_ONLY.personId, 'doctype=birth_certificate&format=pdf'), 404, /no reference identity/);
        assertErrorAnswer(await document(ZEBULON.personId, 'doctype=death_certificate&format=pdf'), 404, /has no document of type death_certificate/);
        assertErrorAnswer(await document(ZEBULON.personId, 'doctype=passport&format=pdf'), 404, /has no embedded content \(only dataRef links\)/);
      });

      it('refuses a format outside the enum and a missing doctype with 400', async () => {
        assertErrorAnswer(await document(ZEBULON.personId, 'doctype=birth_certificate&format=gif'), 400, /format/);
        assertErrorAnswer(await document(ZEBULON.personId, 'format=pdf'), 400, /doctype/);
      });
    });
  }
});
