/** The CPU profile summary of `npm run bench -- --profile`: self time per function and per package, idle left out. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byPackage, selfTimes } from '../../bench/profile-summary.js';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

// Four nodes; samples every millisecond: 2 idle, then validator ×3, router ×1, GC ×2 (one of them inside the first 2 ms).
const profile = {
  nodes: [
    { id: 1, callFrame: frame('(idle)') },
    { id: 2, callFrame: frame('lookupRoute', 'file:///app/node_modules/express-openapi-validator/dist/m.js', 40) },
    { id: 3, callFrame: frame('next', 'file:///app/node_modules/router/index.js', 10) },
    { id: 4, callFrame: frame('(garbage collector)') },
  ],
  samples: [4, 1, 1, 2, 2, 2, 3, 4],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
  startTime: 0,
  endTime: 8000,
};

describe('CPU profile summary', () => {
  it('ranks functions by self time, as a share of busy time, and skips the start of the profile', () => {
    const entries = selfTimes(profile, 1.5);
    assert.deepEqual(
      entries.map(({ name, where, ms }) => [name, where, ms]),
      [
        ['lookupRoute', 'express-openapi-validator', 3],
        ['next', 'router', 1],
        ['(garbage collector)', '', 1],
      ],
    );
    assert.equal(entries[0]?.percent, 60);
  });

  it('adds the functions of one package up', () => {
    const twoRouterFrames = { ...profile, nodes: [...profile.nodes, { id: 5, callFrame: frame('handle', 'file:///app/node_modules/router/index.js', 90) }] };
    twoRouterFrames.samples = [...profile.samples, 5];
    twoRouterFrames.timeDeltas = [...profile.timeDeltas, 1000];
    twoRouterFrames.endTime = 9000;
    const router = byPackage(selfTimes(twoRouterFrames)).find(({ name }) => name === 'router');
    assert.equal(router?.ms, 2);
  });
});
