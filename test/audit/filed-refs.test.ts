/** A process keeps a person's refs from the filed batches it read, and reads only the batches it has not read. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type EventRef, FiledRefs } from '../../src/audit/filed-refs.js';

/** One ref per batch, named after it; the batches each call read are listed in `reads`. */
function postings() {
  const reads: string[][] = [];
  const read = async (batchIds: readonly string[]): Promise<EventRef[]> => {
    reads.push([...batchIds]);
    return batchIds.map((batchId) => ({ _id: `e-${batchId}` }));
  };
  return { reads, read };
}

const ids = (refs: readonly EventRef[]) => refs.map(({ _id }) => _id);

describe('the filed refs kept in process', () => {
  it('reads the batches filed since the last read only', async () => {
    const filed = new FiledRefs(100);
    const { reads, read } = postings();
    assert.deepEqual(ids(await filed.of('P1', ['b1', 'b2'], read)), ['e-b1', 'e-b2']);
    assert.deepEqual(ids(await filed.of('P1', ['b1', 'b2'], read)), ['e-b1', 'e-b2']);
    assert.deepEqual(ids(await filed.of('P1', ['b1', 'b2', 'b3'], read)), ['e-b1', 'e-b2', 'e-b3']);
    assert.deepEqual(reads, [['b1', 'b2'], ['b3']]);
  });

  it('reads every batch again when one was listed before those it read (another process ordered it first)', async () => {
    const filed = new FiledRefs(100);
    const { reads, read } = postings();
    await filed.of('P1', ['b1', 'b3'], read);
    assert.deepEqual(ids(await filed.of('P1', ['b1', 'b2', 'b3'], read)), ['e-b1', 'e-b2', 'e-b3']);
    assert.deepEqual(reads, [['b1', 'b3'], ['b1', 'b2', 'b3']]);
  });

  it('keeps at most its capacity of refs, dropping the persons read longest ago', async () => {
    const filed = new FiledRefs(4);
    const { reads, read } = postings();
    await filed.of('P1', ['b1', 'b2'], read);
    await filed.of('P2', ['b1', 'b2'], read);
    await filed.of('P1', ['b1', 'b2'], read);
    await filed.of('P3', ['b1', 'b2'], read);
    await filed.of('P1', ['b1', 'b2'], read);
    await filed.of('P2', ['b1', 'b2'], read);
    assert.equal(reads.length, 4, 'P1 kept (read most recently), P2 dropped for P3 and read again');
    await filed.of('P4', ['b1', 'b2', 'b3', 'b4', 'b5'], read);
    await filed.of('P4', ['b1', 'b2', 'b3', 'b4', 'b5'], read);
    assert.equal(reads.length, 6, 'a person with more refs than the capacity is not kept');
  });
});
