/**
 * OSIA's CMS examples write date-times without an offset (`2025-12-25T12:00:00`), which RFC 3339 does not allow.
 * The CMS accepts them (read as UTC) and answers RFC 3339 in UTC: this is the shape it accepts.
 */
export const LENIENT_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/;

/** Parses a lenient date-time (a missing offset means UTC); undefined when it is not one. */
export function parseLenientDateTime(value: string): Date | undefined {
  const match = LENIENT_DATE_TIME.exec(value);
  const date = match ? new Date(match[2] ? value.replace(' ', 'T') : `${value.replace(' ', 'T')}Z`) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** The validator's `date-time` format for documents whose examples omit the offset. */
export const lenientDateTimeFormat = (value: string): boolean => parseLenientDateTime(value) !== undefined;
