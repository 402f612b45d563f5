import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { it } from 'node:test';
import { CONFIGURATION_DOC, configurationMarkdown } from '../../scripts/config-docs.js';

it('docs/configuration.md matches the configuration table (run `npm run docs` if this fails)', async () => {
  assert.equal(await readFile(CONFIGURATION_DOC, 'utf8'), configurationMarkdown());
});
