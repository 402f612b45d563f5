/**
 * The app's background jobs: started in the order registered, stopped the other way round, one after the other; a
 * periodic job woken runs a round at once, or once more right after the one under way, and never while stopped.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import pino from 'pino';
import { type BackgroundJob, BackgroundJobs, PeriodicJob } from '../../src/shared/background-jobs.js';

it('stops the jobs in reverse order, each once the one started after it has stopped', async () => {
  const seen: string[] = [];
  const job = (name: string): BackgroundJob => ({
    name,
    start: () => seen.push(`start ${name}`),
    stop: async () => {
      seen.push(`stopping ${name}`);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(`stopped ${name}`);
    },
  });
  const jobs = new BackgroundJobs();
  for (const name of ['sweep', 'worker', 'notices']) jobs.add(job(name));
  jobs.startAll();
  await jobs.stopAll();
  assert.deepEqual(seen, [
    'start sweep',
    'start worker',
    'start notices',
    'stopping notices',
    'stopped notices',
    'stopping worker',
    'stopped worker',
    'stopping sweep',
    'stopped sweep',
  ]);
});

it('a woken periodic job runs a round at once, one more after the round under way, and none while stopped', async () => {
  const rounds: (() => void)[] = [];
  let started = 0;
  // Each round waits until the test ends it; the interval is far beyond the test.
  const round = () => {
    started++;
    return new Promise<void>((resolve) => {
      rounds.push(resolve);
    });
  };
  const job = new PeriodicJob('woken', 3_600_000, round, pino({ level: 'silent' }));
  job.wake();
  assert.equal(started, 0, 'not started: no round');
  job.start();
  job.wake();
  job.wake();
  job.wake();
  assert.equal(started, 1, 'one round at a time');
  rounds.shift()?.();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(started, 2, 'the wakes during the round made one more');
  const stopping = job.stop();
  rounds.shift()?.();
  await stopping;
  job.wake();
  assert.equal(started, 2);
});
