/** The embedded store's read/write lock: shared holders overlap, exclusive ones run alone, in arrival order. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setImmediate } from 'node:timers/promises';
import { ReadWriteLock } from '../../src/storage/embedded/read-write-lock.js';

it('lets readers overlap, runs a writer alone, and serves waiters in arrival order', async () => {
  const lock = new ReadWriteLock();
  const events: string[] = [];
  const task = (name: string) => async () => {
    events.push(`${name}+`);
    await setImmediate();
    events.push(`${name}-`);
  };
  await Promise.all([
    lock.shared(task('r1')),
    lock.shared(task('r2')),
    lock.exclusive(task('w1')),
    lock.shared(task('r3')),
    lock.exclusive(task('w2')),
  ]);
  assert.deepEqual(events, ['r1+', 'r2+', 'r1-', 'r2-', 'w1+', 'w1-', 'r3+', 'r3-', 'w2+', 'w2-']);
});

it('releases the lock when a task fails', async () => {
  const lock = new ReadWriteLock();
  await assert.rejects(lock.exclusive(() => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(await lock.shared(async () => 'free'), 'free');
});

it('closes after running and queued tasks, then refuses new ones', async () => {
  const lock = new ReadWriteLock();
  const events: string[] = [];
  const running = lock.shared(async () => {
    await setImmediate();
    events.push('reader');
  });
  await lock.close(async () => {
    events.push('close');
  });
  await running;
  assert.deepEqual(events, ['reader', 'close']);
  await assert.rejects(lock.shared(async () => undefined), /closed/);
});
