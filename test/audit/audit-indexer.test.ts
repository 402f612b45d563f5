/**
 * The audit trail's per-person index is built behind the answers (ADR 0104): the report shows an access as soon as
 * it is appended, and exactly once whatever the indexers did (several at once, one dying mid-batch), also for the
 * events of a store written before, whose per-person index is dropped.
 */
import assert from 'node:assert/strict';
import { Store } from '../../src/storage/store.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AuditLog } from '../../src/audit/audit-log.js';
import type { AuditEvent } from '../../src/audit/audit-trail.js';
import { createStorage } from '../../src/storage/create-storage.js';
import type { DocumentStore, Storage } from '../../src/storage/document-store.port.js';
import { SqliteDocumentStore } from '../../src/storage/sqlite/sqlite-document-store.js';
import { fakeClock } from '../support/fake-clock.js';

describe('the audit trail indexed behind the answers', () => {
  let dataDir: string;
  const opened: Storage[] = [];
  const clock = fakeClock();
  let made = 0;

  const open = async () => {
    const storage = await createStorage({ dataDir });
    opened.push(storage);
    return storage;
  };
  /** An event naming `personIds`, its operation id numbered in the order of appending. */
  const event = (...personIds: string[]): AuditEvent => {
    clock.advance(1);
    return { time: clock().toISOString(), interface: 'pr', operationId: `op${++made}`, status: 200, personIds, recordIds: [] };
  };
  const reported = async (log: AuditLog, personId: string, offset = 0, limit = 100) =>
    (await log.accessesOf(personId, offset, limit)).map((access) => access.operationId);
  const drain = async (log: AuditLog) => {
    let filed = 0;
    for (let batch = await log.indexer.runOnce(); batch > 0; batch = await log.indexer.runOnce()) filed += batch;
    return filed;
  };

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-audit-index-'));
    made = 0;
  });
  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.documents.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports an access right after it, then from the index, once and oldest first, across both in pages', async () => {
    const log = await AuditLog.open(new Store(await open()));
    await log.append(event('P1'));
    await log.append(event('P2'));
    await log.append(event('P3', 'P1', 'P2'));
    await log.append(event());
    assert.deepEqual(await reported(log, 'P1'), ['op1', 'op3'], 'not indexed yet');
    assert.equal(await log.indexer.runOnce(), 3, 'the event naming nobody needs no filing');
    assert.equal(await log.indexer.runOnce(), 0);
    assert.deepEqual(await reported(log, 'P1'), ['op1', 'op3']);
    await log.append(event('P1'));
    await log.append(event('P2', 'P1'));
    assert.deepEqual(await reported(log, 'P1'), ['op1', 'op3', 'op5', 'op6'], 'indexed, then not yet');
    assert.deepEqual(await reported(log, 'P1', 1, 2), ['op3', 'op5']);
    assert.deepEqual(await reported(log, 'P2'), ['op2', 'op3', 'op6']);
    assert.deepEqual(await reported(log, 'P9'), []);
    assert.equal(await log.indexer.catchUp(), 2);
    assert.deepEqual(await reported(log, 'P1', 1, 2), ['op3', 'op5']);
    assert.deepEqual(await reported(log, 'P1', 3), ['op6']);
  });

  it('files each event once when two processes index the same store at the same time', async () => {
    const [first, second] = [await AuditLog.open(new Store(await open())), await AuditLog.open(new Store(await open()))];
    const expected: string[] = [];
    for (let i = 0; i < 40; i++) {
      await (i % 2 === 0 ? first : second).append(event('P1', `Q${i}`));
      expected.push(`op${made}`);
    }
    const [a, b] = await Promise.all([drain(first), drain(second)]);
    assert.equal(a + b, 40, `filed ${a} + ${b}`);
    assert.deepEqual(await reported(first, 'P1'), expected);
    assert.deepEqual(await reported(second, 'Q7'), ['op8']);
  });

  it('reports batches another process filed after this one last read the person', async () => {
    const [reader, writer] = [await AuditLog.open(new Store(await open())), await AuditLog.open(new Store(await open()))];
    await writer.append(event('P1'));
    await drain(writer);
    assert.deepEqual(await reported(reader, 'P1'), ['op1']);
    await writer.append(event('P2'));
    await writer.append(event('P1', 'P1'));
    await drain(writer);
    assert.deepEqual(await reported(reader, 'P1'), ['op1', 'op3'], 'the new batch read, an event naming the person twice counted once');
    assert.deepEqual(await reported(reader, 'P2'), ['op2']);
  });

  it('loses nothing when an indexer dies before its batch is committed', async () => {
    const storage = await open();
    const log = await AuditLog.open(new Store(storage));
    for (let i = 0; i < 5; i++) await log.append(event('P1'));
    const { documents } = storage;
    // The process dies before its batch's one commit reaches the store: to the store, the commit never happened.
    const killedBeforeCommit: DocumentStore = {
      kind: documents.kind,
      collection: (name, indexes) => documents.collection(name, indexes),
      applyAtomically: () => Promise.reject(new Error('killed')),
      snapshot: () => documents.snapshot(),
      ping: () => documents.ping(),
      close: () => documents.close(),
    };
    const dying = await AuditLog.open(new Store({ ...storage, documents: killedBeforeCommit }));
    await assert.rejects(dying.indexer.runOnce(), /killed/);
    assert.deepEqual(await reported(log, 'P1'), ['op1', 'op2', 'op3', 'op4', 'op5']);
    assert.equal(await drain(log), 5);
    assert.deepEqual(await reported(log, 'P1'), ['op1', 'op2', 'op3', 'op4', 'op5']);
  });

  it('reports the events of a store written before, hands them to the indexer once, and drops their index', async () => {
    const storage = await open();
    const legacy = await storage.documents.collection('audit_events', [{ fields: ['personIds'] }]);
    await legacy.insertMany([1, 2, 3].map((i) => ({ _id: `old-${i}`, ...event('P1', `R${i}`) })));
    const { documents } = storage;
    assert.ok(documents instanceof SqliteDocumentStore);
    assert.match(documents.explain('audit_events', { personIds: 'P1' }).join('\n'), /SEARCH k/);

    const log = await AuditLog.open(new Store(storage));
    assert.doesNotMatch(documents.explain('audit_events', { personIds: 'P1' }).join('\n'), /SEARCH k/, 'index dropped');
    await log.append(event('P1'));
    assert.deepEqual(await reported(log, 'P1'), ['op1', 'op2', 'op3', 'op4']);
    assert.equal(await drain(log), 4);
    const restarted = await AuditLog.open(new Store(storage));
    assert.equal(await drain(restarted), 0, 'marked once');
    assert.deepEqual(await reported(restarted, 'P1'), ['op1', 'op2', 'op3', 'op4']);
    assert.deepEqual(await reported(restarted, 'R2'), ['op2']);
  });

  it('names the client of each event from the postings alone, and from the events for postings filed before clients were kept', async () => {
    const storage = await open();
    const log = await AuditLog.open(new Store(storage));
    await log.append({ ...event('P1'), client: 'bank' });
    await log.append(event('P1'));
    const refs = await log.eventsNaming('P1');
    assert.deepEqual(refs.map(({ client }) => client), ['bank', undefined], 'not indexed yet');
    await drain(log);
    const posting = (await (await storage.documents.collection('audit_postings')).find({}))[0];
    assert.deepEqual(posting?.clients, ['bank', null]);
    assert.deepEqual(await log.eventsNaming('P1'), refs, 'from the posting');
    // A posting filed before `clients`: its events are read instead.
    const older = await storage.documents.collection('audit_postings');
    await older.put({ _id: String(posting?._id), eventIds: posting?.eventIds });
    assert.deepEqual(await log.eventsNaming('P1'), refs, 'from the events');
  });
});
