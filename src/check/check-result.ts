/** One line of the checker's report. A check that could not be made is `skip`, never `pass`. */
export type Outcome = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  interface: string;
  /** The operationId, or the name of a scenario (`round trip: person`). */
  subject: string;
  check: string;
  outcome: Outcome;
  reason: string;
}

export interface CheckTotals {
  run: number;
  passed: number;
  failed: number;
  skipped: number;
}

export function totals(results: readonly CheckResult[]): CheckTotals {
  const count = (outcome: Outcome) => results.filter((r) => r.outcome === outcome).length;
  const skipped = count('skip');
  return { run: results.length - skipped, passed: count('pass'), failed: count('fail'), skipped };
}
