/**
 * Values that tests send as personal data or credentials and that must never appear in a log line
 * (checked over the whole suite's logs by test/log-hygiene.check.ts). Use them in tests that send such data.
 */
export const SENTINEL_NAMES = { firstName: 'Zebulon', lastName: 'Quartermaine', placeOfBirth: 'Vexillum' } as const;

/** Base64 of a PNG signature and of a PDF header: how images and documents start when embedded. */
export const SENTINEL_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk';
export const SENTINEL_PDF_BASE64 = 'JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0Zp';

/** Every JWT's header starts with the base64url of `{"` followed by `alg` or `typ`. */
export const JWT_PREFIXES = ['eyJhbGciOi', 'eyJ0eXAiOi'];

export const FORBIDDEN_IN_LOGS = [
  ...Object.values(SENTINEL_NAMES),
  SENTINEL_PNG_BASE64.slice(0, 24),
  SENTINEL_PDF_BASE64.slice(0, 24),
  ...JWT_PREFIXES,
];
