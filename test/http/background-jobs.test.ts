/** The composition root registers the periodic work of the served interfaces only, in start order. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../support/use-test-app.js';

describe('background jobs of an app serving PR only', () => {
  const t = useTestApp({ interfaces: ['pr'] });
  it('are the blob sweep and the authentication notices: no CMS sweep, no delivery worker', () => {
    assert.deepEqual(t.jobs.names(), ['blob sweep', 'audit indexer', 'authentication notices']);
  });
});

describe('background jobs of an app serving every interface', () => {
  const t = useTestApp();
  it('add the ABIS mirror of PR changes, the Notification delivery worker, the credential request sweep and the ABIS tasks', () => {
    assert.deepEqual(t.jobs.names(), [
      'blob sweep',
      'audit indexer',
      'ABIS mirror',
      'notification delivery',
      'notification retention sweep',
      'credential request sweep',
      'ABIS task runner',
      'ABIS callback delivery',
      'ABIS task retention sweep',
      'authentication notices',
    ]);
  });
});
