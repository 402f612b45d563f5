/** The app's background jobs: started in the order registered, stopped the other way round, one after the other. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type BackgroundJob, BackgroundJobs } from '../../src/shared/background-jobs.js';

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
