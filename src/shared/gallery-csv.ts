/**
 * Gallery content as CSV (RFC 4180): CRLF line ends, fields quoted when they hold a comma, a quote or a line
 * break, quotes doubled. The header names the columns as OSIA's examples do (`PersonId` and `identityId` in the PR,
 * `encounterId` in the ABIS), without the examples' space after the comma, which RFC 4180 would make part of the name.
 */

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The rows as CSV: `PersonId` and the member `second` names (identityId or encounterId). */
export function galleryCsv<K extends string>(rows: readonly ({ personId: string } & Record<K, string>)[], second: K): string {
  const lines = [`PersonId,${second}`, ...rows.map((row) => `${field(row.personId)},${field(row[second])}`)];
  return `${lines.join('\r\n')}\r\n`;
}

/** True when the Accept header ranks text/csv above JSON (no header, or an equal rank, means JSON). */
export function prefersCsv(accept: string | undefined): boolean {
  const rank = (type: string) => {
    let best = -1;
    for (const part of (accept ?? '').split(',')) {
      const [media = '', ...params] = part.trim().toLowerCase().split(';');
      if (media !== type && media !== `${type.split('/')[0]}/*` && media !== '*/*') continue;
      const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith('q='))?.slice(2) ?? 1);
      const specificity = media === type ? 0.0001 : 0;
      best = Math.max(best, q + specificity);
    }
    return best;
  };
  const csv = rank('text/csv');
  return csv > 0 && csv > rank('application/json');
}
