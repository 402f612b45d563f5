/**
 * The access report as CSV (RFC 4180, CRLF lines, a header line), in the person's language. A cell that a
 * spreadsheet would read as a formula (a client's configured name starting with `=`) is prefixed with a quote.
 */
import type { Access } from './access-report.js';
import { MESSAGES, type ReportLanguage } from './me-messages.js';
import { operationName } from './operation-names.js';

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const line = (cells: readonly string[]) => `${cells.map(cell).join(',')}\r\n`;

export function csvHeader(lang: ReportLanguage): string {
  return line(MESSAGES[lang].csvHeader);
}

export function csvLines(accesses: readonly Access[], lang: ReportLanguage): string {
  const { outcomes } = MESSAGES[lang];
  return accesses
    .map((access) =>
      line([
        access.time,
        access.organisation ?? '',
        access.client ?? '',
        operationName(access.interface, access.operationId, lang),
        access.purpose ?? '',
        access.attributes.join(' '),
        outcomes[access.outcome],
      ]),
    )
    .join('');
}
