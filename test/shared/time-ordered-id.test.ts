import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { timeOfId, timeOrderedId } from '../../src/shared/time-ordered-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('is a UUID version 7 carrying the time in its first 48 bits', () => {
    const at = new Date('2026-12-02T05:00:00.123Z');
    const id = timeOrderedId(at);
    assert.match(id, UUID_V7);
    assert.equal(Number.parseInt(id.replace('-', '').slice(0, 12), 16), at.getTime());
  });

  it('sorts ids of later times after earlier ones, and ids of one millisecond apart from each other', () => {
    const times = [0, 1, 999, 1_000_000, Date.parse('2026-12-02T05:00:00Z')].map((ms) => new Date(ms));
    const ids = times.map(timeOrderedId);
    assert.deepEqual([...ids].sort(), ids);
    const same = new Set(Array.from({ length: 1000 }, () => timeOrderedId(times[4] as Date)));
    assert.equal(same.size, 1000);
  });

  it('gives back the time of its own ids, and nothing for ids of another kind', () => {
    const at = new Date('2026-12-02T05:00:00.123Z');
    assert.equal(timeOfId(timeOrderedId(at)), at.getTime());
    assert.equal(timeOfId('3f2504e0-4f89-41d3-9a0c-0305e82c3301'), undefined);
    assert.equal(timeOfId('legacy-event-1'), undefined);
  });
});
