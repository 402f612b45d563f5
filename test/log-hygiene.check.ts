/**
 * Runs after the whole suite, in a test run of its own (see `npm run test:unit`: node's runner sorts the files it is
 * given, so a check listed with them would not run last): the logs every test app wrote must not contain
 * biographic values, images, documents or tokens that the tests sent. A suite that logged (almost) nothing fails.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { it } from 'node:test';
import { FORBIDDEN_IN_LOGS } from './support/sentinels.js';

const file = process.env.OSIA_TEST_LOG_FILE;

it('the test suite logs hold no personal data, images, documents or tokens', { skip: file ? false : 'OSIA_TEST_LOG_FILE not set' }, async () => {
  const logs = await readFile(file as string, 'utf8');
  const lines = logs.split('\n').filter(Boolean);
  assert.ok(lines.length > 200, `the suite should have logged its requests (${lines.length} lines)`);
  for (const value of FORBIDDEN_IN_LOGS) {
    const hit = lines.find((line) => line.includes(value));
    assert.equal(hit, undefined, `"${value}" appears in a log line`);
  }
});
