/**
 * Dates of credentials and credential requests. OSIA's CMS examples write date-times without an offset
 * (`2025-12-25T12:00:00`), which RFC 3339 does not allow: such values are accepted and read as UTC; everything
 * stored and answered is RFC 3339 in UTC (`2025-12-25T12:00:00Z`).
 */
import { InvalidError } from '../shared/domain-errors.js';
import { parseLenientDateTime } from '../openapi/lenient-date-time.js';

const DAY_MS = 86_400_000;
/** Parses a date-time leniently (missing offset = UTC); `field` names it in the 400 answer. */
export function parseDateTime(value: string, field: string): Date {
  const date = parseLenientDateTime(value);
  if (!date) {
    throw new InvalidError(`${field} must be a date-time such as 2025-12-25T12:00:00Z, got "${value}"`);
  }
  return date;
}

/** RFC 3339 in UTC, without fractions of a second when there are none. */
export function formatDateTime(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** The same date-time, written the way this server answers it. */
export function normalizeDateTime(value: string, field: string): string {
  return formatDateTime(parseDateTime(value, field));
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}
