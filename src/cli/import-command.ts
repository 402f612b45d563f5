/**
 * `osia-server import FILE` (`-` for standard input): NDJSON, one person per line, as `export` writes it. Each
 * person is written whole or not at all; a line that is bad or already present is reported (line number, person id,
 * reason) and the import goes on, so running it again on the same file is harmless and resumes where it stopped.
 * Exit status: 0 when no line was refused, 1 otherwise.
 */
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Config } from '../config/config-options.js';
import { checkJsonLimits } from '../http/json-limits.js';
import { RefusedPerson, type TransferredPerson } from '../pr/person-transfer.js';
import { openTransfer } from './transfer-setup.js';
import { progressReporter } from './transfer-progress.js';

/**
 * Persons per atomic batch: large batches touch each index page once for many persons (at a million persons the
 * name indexes' pages are scattered, and every commit writes each page it touched). Lines carrying images are
 * large, so a batch also ends at a size.
 */
const BATCH_PERSONS = 10_000;
const BATCH_BYTES = 32 * 2 ** 20;

interface Pending {
  line: number;
  person: TransferredPerson;
}

export async function runImport(file: string, config: Config): Promise<number> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  const total = file === '-' ? undefined : statSync(file).size;
  const { transfer, close } = await openTransfer(config);
  const limits = { maxDepth: config.jsonMaxDepth, maxMembers: config.jsonMaxMembers, maxValues: config.jsonMaxValues };
  const transactionId = `import:${file === '-' ? 'stdin' : basename(file)}`;
  const progress = progressReporter('import', total);
  const counts = { imported: 0, present: 0, refused: 0 };
  const report = (line: number, personId: string | undefined, reason: string) => {
    counts.refused += 1;
    process.stderr.write(`line ${line}${personId ? `, person ${personId}` : ''}: ${reason}\n`);
  };
  let pending: Pending[] = [];
  let pendingBytes = 0;
  const seen = new Set<string>();
  const write = async (batch: Pending[]) => {
    const outcomes = await transfer.import(batch.map(({ person }) => person), transactionId);
    outcomes.forEach((outcome, i) => {
      const { line, person } = batch[i] as Pending;
      if (outcome === 'imported') counts.imported += 1;
      else if (outcome === 'present') {
        counts.present += 1;
        process.stderr.write(`line ${line}, person ${person.personId}: already present, left as it is\n`);
      } else report(line, person.personId, outcome.message);
    });
  };
  // One batch is being made durable while the next is read and checked. (A person in both is caught by the store:
  // its insert fails, and it is reported as already present.)
  let writing = Promise.resolve();
  const flush = async () => {
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    seen.clear();
    await writing;
    writing = write(batch);
    // Handled here so that a failure waits for the next flush (which rethrows it) instead of crashing the reader.
    writing.catch(() => undefined);
  };
  try {
    let number = 0;
    for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      number += 1;
      progress.advance(Buffer.byteLength(text) + 1, counts.imported);
      if (text.trim() === '') continue;
      let person: TransferredPerson;
      try {
        checkJsonLimits(Buffer.from(text), limits);
        person = transfer.check(JSON.parse(text));
      } catch (err) {
        const personId = /"personId"\s*:\s*"([^"]{1,128})"/.exec(text)?.[1];
        report(number, personId, err instanceof RefusedPerson || err instanceof Error ? err.message : String(err));
        continue;
      }
      // A person twice in one batch would be written twice; the second one is a duplicate of the first.
      if (seen.has(person.personId)) await flush();
      seen.add(person.personId);
      pending.push({ line: number, person });
      pendingBytes += text.length;
      if (pending.length === BATCH_PERSONS || pendingBytes >= BATCH_BYTES) await flush();
    }
    await flush();
    await writing;
  } finally {
    progress.stop();
    await close();
  }
  process.stdout.write(`imported ${counts.imported} persons, ${counts.present} already present, ${counts.refused} lines refused\n`);
  return counts.refused > 0 ? 1 : 0;
}
