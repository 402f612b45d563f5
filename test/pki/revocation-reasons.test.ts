import assert from 'node:assert/strict';
import { test } from 'node:test';
import { revocationReason } from '../../src/credentials/pki/revocation-reasons.js';

test('free-text reasons map to CRL reason codes, unspecified by default', () => {
  const cases: [string | undefined, string, number][] = [
    [undefined, 'unspecified', 0],
    ['', 'unspecified', 0],
    ['holder asked', 'unspecified', 0],
    ['keyCompromise', 'keyCompromise', 1],
    ['SUPERSEDED', 'superseded', 4],
    ['Card stolen on 3 March', 'keyCompromise', 1],
    ['reported lost, replacement ordered', 'keyCompromise', 1],
    ['PIN leaked', 'keyCompromise', 1],
    ['holder deceased', 'cessationOfOperation', 5],
    ['fraudulently obtained', 'privilegeWithdrawn', 9],
    ['change of name after marriage', 'affiliationChanged', 3],
    ['replaced by a new card', 'superseded', 4],
    ['renewal', 'superseded', 4],
    // A hold is what suspension does; it cannot be asked for as a revocation reason.
    ['certificateHold', 'unspecified', 0],
  ];
  for (const [text, name, code] of cases) assert.deepEqual(revocationReason(text), { code, name }, String(text));
});
