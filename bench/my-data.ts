/**
 * The "my data" access report (`npm run bench -- --only my-data`): the p50/p99 of one page of the report of a
 * person with 10,000 accesses, among the accesses of 50,000 others (one in 20 events is theirs), with and without a
 * restricted client in the profile, and the time of the whole export. In this process, on its own embedded store:
 * the report as the /me page reads it, without the HTTP exchange and the OpenID provider's login around it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AuditLog } from '../src/audit/audit-log.js';
import type { AuditEvent } from '../src/audit/audit-trail.js';
import { AccessReport } from '../src/me/access-report.js';
import type { AccessReportSettings } from '../src/profile/profile-settings.js';
import { createStorage } from '../src/storage/create-storage.js';
import { Store } from '../src/storage/store.js';

export interface MyDataLoad {
  /** The heavy person's accesses; the trail holds 20 times as many events. */
  accesses: number;
  /** Pages read per variant (offsets spread over the report). */
  pages: number;
}

const PAGE = 50;
const CHUNK = 5000;
const STEP_MS = 250;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function myDataBench({ accesses, pages }: MyDataLoad): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-bench-my-data-'));
  const storage = await createStorage({ dataDir });
  try {
    const store = new Store(storage);
    const log = await AuditLog.open(store);
    const start = Date.parse('2026-11-01T00:00:00Z');
    const total = accesses * 20;
    const eventAt = (i: number): AuditEvent => ({
      time: new Date(start + i * STEP_MS).toISOString(),
      interface: 'thirdparty',
      operationId: 'verify',
      client: `client-${i % 7}`,
      status: 200,
      personIds: [i % 20 === 0 ? 'HEAVY' : `P-${i % 50_000}`],
      recordIds: [],
      attributes: ['biographicData.lastName', 'biographicData.dateOfBirth'],
    });
    for (let from = 0; from < total; from += CHUNK) {
      const events = Array.from({ length: Math.min(CHUNK, total - from) }, (_, k) => eventAt(from + k));
      await store.commit(events.flatMap((event) => log.appended(event)));
      // The server's indexer keeps up with the answers: file as the events come.
      while ((await log.indexer.runOnce()) > 0);
    }
    const now = () => new Date(start + total * STEP_MS);
    const restricted: AccessReportSettings = { restrictedDelayDays: 1, clients: { 'client-3': { restricted: true } } };
    for (const [name, settings] of [['plain', undefined], ['one restricted client', restricted]] as const) {
      const report = new AccessReport(log, settings, now);
      const times: number[] = [];
      for (let i = 0; i < pages; i++) {
        const began = performance.now();
        await report.page('HEAVY', Math.floor((i / pages) * (accesses - PAGE)), PAGE);
        times.push(performance.now() - began);
      }
      times.sort((a, b) => a - b);
      const exportBegan = performance.now();
      let exported = 0;
      for await (const batch of report.all('HEAVY')) exported += batch.length;
      console.log(
        `my data report, ${accesses} accesses among ${total} events, ${name}: page of ${PAGE} p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms; whole export of ${exported} ${(performance.now() - exportBegan).toFixed(0)} ms`,
      );
    }
  } finally {
    await storage.documents.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
