/** The checker's output: a table for the terminal and JUnit XML for CI servers. */
import { type CheckResult, totals } from './check-result.js';

const LABEL = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;

export function textReport(results: readonly CheckResult[]): string {
  const rows = results.map((r) => [LABEL[r.outcome], r.interface, r.subject, r.check, r.reason]);
  const widths = [4, ...[1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0), 0))];
  const lines = rows.map((row) => row.map((cell, i) => (i < 4 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  '));
  const { run, passed, failed, skipped } = totals(results);
  const notImplemented = [...new Set(results.filter((r) => r.reason.startsWith('not implemented')).map((r) => r.interface))];
  const summary = [
    `${run} checks run: ${passed} passed, ${failed} failed; ${skipped} skipped (not run, not passed)`,
    ...(notImplemented.length > 0 ? [`not implemented (501): ${notImplemented.join(', ')}`] : []),
  ];
  return `${[...lines, '', ...summary].join('\n')}\n`;
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

export function junitReport(results: readonly CheckResult[]): string {
  const suites = [...new Set(results.map((r) => r.interface))].map((name) => {
    const mine = results.filter((r) => r.interface === name);
    const t = totals(mine);
    const cases = mine.map((r) => {
      const attributes = `classname="${escapeXml(`${name}.${r.subject}`)}" name="${escapeXml(r.check)}"`;
      if (r.outcome === 'pass') return `    <testcase ${attributes}/>`;
      const element = r.outcome === 'fail' ? `<failure message="${escapeXml(r.reason)}"/>` : `<skipped message="${escapeXml(r.reason)}"/>`;
      return `    <testcase ${attributes}>${element}</testcase>`;
    });
    return [
      `  <testsuite name="${escapeXml(name)}" tests="${mine.length}" failures="${t.failed}" skipped="${t.skipped}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="osia-server check">\n${suites.join('\n')}\n</testsuites>\n`;
}
