/**
 * Gallery export: the PR lists a gallery's members (readGalleryContent) as CSV, e.g. for a watch-list sync or a
 * biometric back-end that loads galleries in bulk. `Accept: text/csv` selects CSV (JSON otherwise).
 * Run: BASE=http://localhost:8080 TOKEN=... npx tsx docs/samples/gallery-export-csv.ts
 */
import { expect, registerCitizen, sampleClient } from './lib.js';

const { osia, run, transactionId } = sampleClient();
const galleryId = `EXPORT-${run}`;
await registerCitizen(osia, transactionId, `G1-${run}`, { firstName: 'Ada', lastName: 'Lovelace', dateOfBirth: '1815-12-10' }, galleryId);
await registerCitizen(osia, transactionId, `G2-${run}`, { firstName: 'Charles', lastName: 'Babbage', dateOfBirth: '1791-12-26' }, galleryId);

const { data: csv, response } = await osia.pr.GET('/v1/galleries/{galleryId}', {
  params: { path: { galleryId }, query: { transactionId } },
  headers: { Accept: 'text/csv' },
  parseAs: 'text',
});
expect(response.ok && response.headers.get('content-type')?.startsWith('text/csv') === true, `CSV answered (${response.status})`);
const rows = (csv ?? '').trim().split('\r\n');
expect(rows[0] === 'PersonId,identityId' && rows.length === 3, `header and two members: ${JSON.stringify(rows)}`);
console.log(csv);
