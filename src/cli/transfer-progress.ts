/**
 * Progress of an import or export: a bar with rate and ETA on a terminal (cli-progress), nothing otherwise (the
 * command prints its summary line at the end). Goes to standard error, so that `export -` keeps stdout clean.
 */
import { SingleBar } from 'cli-progress';

export interface ProgressReporter {
  /** `bytes` more were read or written; `persons` so far. */
  advance(bytes: number, persons: number): void;
  stop(): void;
}

export function progressReporter(what: string, totalBytes: number | undefined): ProgressReporter {
  if (!process.stderr.isTTY) return { advance: () => {}, stop: () => {} };
  const format = totalBytes
    ? `${what} [{bar}] {percentage}% | {persons} persons | {rate} persons/s | ETA {eta_formatted}`
    : `${what} {persons} persons | {rate} persons/s`;
  const bar = new SingleBar({ format, stream: process.stderr, etaBuffer: 1000 });
  const started = performance.now();
  let bytes = 0;
  bar.start(totalBytes ?? 0, 0, { persons: 0, rate: 0 });
  return {
    advance(more, persons) {
      bytes += more;
      const rate = Math.round(persons / Math.max((performance.now() - started) / 1000, 0.001));
      bar.update(totalBytes ? Math.min(bytes, totalBytes) : 0, { persons, rate });
    },
    stop: () => bar.stop(),
  };
}
