/**
 * Our documents must be structurally identical to OSIA 7.1: every path, method, operationId, parameter, body,
 * response, media type, schema, security requirement and callback. Only prose differs (and must be our own).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { HTTP_METHODS, loadDocument } from '../../src/openapi/documents.js';
import { INTERFACE_NAMES } from '../../src/openapi/interfaces.js';
import { osiaReferenceDir, REFERENCE_FILES } from '../support/osia-reference.js';
import { documentFrame, proseOf, structureOf, withDeviations } from './structure.js';

const referenceDir = osiaReferenceDir();

type Structure = Record<string, Record<string, Record<string, unknown>>>;

async function pair(name: (typeof INTERFACE_NAMES)[number]) {
  const officialText = await readFile(path.join(referenceDir as string, REFERENCE_FILES[name] as string), 'utf8');
  const official = parse(officialText);
  const ours = (await loadDocument(name)).document;
  return { official, ours, theirs: structureOf(withDeviations(official)) as Structure, mine: structureOf(ours) as Structure };
}

describe('OpenAPI documents versus OSIA 7.1', { skip: referenceDir ? false : 'skipped: ../shared/osia/7.1 not found' }, () => {
  const totals = { operations: 0, sameOperations: 0, schemas: 0, sameSchemas: 0 };

  for (const name of INTERFACE_NAMES) {
    it(`${name}: same operations, schemas and frame`, async () => {
      const { theirs, mine } = await pair(name);
      assert.deepEqual(documentFrame(mine as never), documentFrame(theirs as never), `${name}: document frame differs`);
      assert.deepEqual(Object.keys(mine.paths ?? {}), Object.keys(theirs.paths ?? {}), `${name}: path list differs`);
      for (const [apiPath, item] of Object.entries(theirs.paths ?? {})) {
        for (const method of HTTP_METHODS) {
          if (!item[method]) continue;
          totals.operations++;
          assert.deepEqual(mine.paths?.[apiPath]?.[method], item[method], `${name}: ${method} ${apiPath} differs`);
          totals.sameOperations++;
        }
        const ourItem = mine.paths?.[apiPath] ?? {};
        assert.deepEqual(Object.keys(ourItem), Object.keys(item), `${name}: methods of ${apiPath} differ`);
      }
      const theirSchemas = (theirs.components?.schemas ?? {}) as Record<string, unknown>;
      const mySchemas = (mine.components?.schemas ?? {}) as Record<string, unknown>;
      assert.deepEqual(Object.keys(mySchemas), Object.keys(theirSchemas), `${name}: schema list differs`);
      for (const [schemaName, schema] of Object.entries(theirSchemas)) {
        totals.schemas++;
        assert.deepEqual(mySchemas[schemaName], schema, `${name}: schema ${schemaName} differs`);
        totals.sameSchemas++;
      }
    });
  }

  it('covers 81 operations and 115 schemas, all identical', (t) => {
    t.diagnostic(
      `${totals.sameOperations}/${totals.operations} operations and ${totals.sameSchemas}/${totals.schemas} schemas identical to OSIA 7.1`,
    );
    assert.deepEqual(totals, { operations: 81, sameOperations: 81, schemas: 115, sameSchemas: 115 });
  });

  it('describes every operation in our own words', async () => {
    for (const name of INTERFACE_NAMES) {
      const { official, ours } = await pair(name);
      const officialProse = new Set(proseOf(official).map((text) => text.trim()));
      const copied = proseOf(ours).filter((text) => text.trim().length > 30 && officialProse.has(text.trim()));
      assert.deepEqual(copied, [], `${name}: descriptions copied from the official file`);
      for (const [apiPath, item] of Object.entries(ours.paths)) {
        for (const method of HTTP_METHODS) {
          const operation = item[method] as { summary?: string; description?: string } | undefined;
          if (!operation) continue;
          assert.ok(operation.summary && operation.description, `${name}: ${method} ${apiPath} lacks a summary or description`);
        }
      }
    }
  });
});
