/**
 * Crash recovery of the embedded store's atomic batches. A crash is simulated by writing to the datafiles what an
 * interrupted batch leaves there (the journal line, maybe some applied steps), then opening the store again.
 */
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { EmbeddedDocumentStore } from '../../src/storage/embedded/embedded-document-store.js';

/** Sequence numbers the crashed process handed out: later than those of the records written before. */
const seq = Date.now() * 1000 + 1e9;
const appendLine = (dir: string, file: string, value: unknown) =>
  appendFile(path.join(dir, file), `${JSON.stringify(value)}\n`);

describe('embedded store: journal replay after a crash', () => {
  const dirs: string[] = [];
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'osia-journal-'));
    dirs.push(dir);
    const store = await EmbeddedDocumentStore.open(dir);
    const people = await store.collection('people', [{ fields: ['email'], unique: true }]);
    await people.insert({ _id: 'x', email: 'x' });
    await people.insert({ _id: 'gone', email: 'gone' });
    await store.close();
  });
  after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  /** Reopens, returns what `people` holds, and checks that no journal entry is left once closed. */
  async function reopen(): Promise<unknown[]> {
    const store = await EmbeddedDocumentStore.open(dir);
    const docs = await (await store.collection('people')).find({});
    await store.close();
    assert.equal(await readFile(path.join(dir, '_journal.db'), 'utf8'), '');
    return docs;
  }

  it('completes a batch whose journal was written but which was not (or only partly) applied', async () => {
    const a = { _id: 'a', email: 'a', _seq: seq + 1 };
    const b = { _id: 'b', email: 'b', _seq: seq + 2 };
    await appendLine(dir, '_journal.db', {
      _id: 'crashed',
      at: 1,
      redo: [
        { collection: 'people', id: 'a', doc: a },
        { collection: 'people', id: 'b', doc: b },
        { collection: 'people', id: 'gone', doc: null },
      ],
      undo: [
        { collection: 'people', id: 'a', doc: null },
        { collection: 'people', id: 'b', doc: null },
        { collection: 'people', id: 'gone', doc: { _id: 'gone', email: 'gone', _seq: 1 } },
      ],
    });
    await appendLine(dir, 'people.db', a); // the first step made it to disk before the crash
    assert.deepEqual(await reopen(), [
      { _id: 'x', email: 'x' },
      { _id: 'a', email: 'a' },
      { _id: 'b', email: 'b' },
    ]);
  });

  it('rolls back a replayed batch that cannot complete (unique index), leaving the old state', async () => {
    const y = { _id: 'y', email: 'y', _seq: seq + 1 };
    await appendLine(dir, '_journal.db', {
      _id: 'crashed',
      at: 1,
      redo: [
        { collection: 'people', id: 'y', doc: y },
        { collection: 'people', id: 'z', doc: { _id: 'z', email: 'x', _seq: seq + 2 } },
      ],
      undo: [
        { collection: 'people', id: 'y', doc: null },
        { collection: 'people', id: 'z', doc: null },
      ],
    });
    await appendLine(dir, 'people.db', y);
    assert.deepEqual(await reopen(), [
      { _id: 'x', email: 'x' },
      { _id: 'gone', email: 'gone' },
    ]);
  });

  it('ignores a journal line torn by a crash while it was being appended (the batch was never acknowledged)', async () => {
    await appendFile(path.join(dir, '_journal.db'), '{"_id":"torn","at":1,"redo":[{"collection":"peo');
    assert.deepEqual(await reopen(), [
      { _id: 'x', email: 'x' },
      { _id: 'gone', email: 'gone' },
    ]);
  });
});
