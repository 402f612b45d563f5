/**
 * Values that tests send as personal data or credentials and that must never appear in a log line
 * (checked over the whole suite's logs by test/log-hygiene.check.ts). Use them in tests that send such data.
 */
export const SENTINEL_NAMES = { firstName: 'Zebulon', lastName: 'Quartermaine', placeOfBirth: 'Vexillum' } as const;

/** Base64 of a PNG signature and of a PDF header: how images and documents start when embedded. */
export const SENTINEL_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk';
export const SENTINEL_PDF_BASE64 = 'JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0Zp';

/**
 * How JPEG photographs start in base64: JFIF files (FF D8 FF E0 … "JFIF") and those sharp writes (FF D8 FF DB, a
 * quantisation table first), as the face tests send them.
 */
export const JPEG_BASE64_PREFIXES = ['/9j/4AAQSkZJRg', '/9j/2wBDAA'];

/** Every JWT's header starts with the base64url of `{"` followed by `alg` or `typ`. */
export const JWT_PREFIXES = ['eyJhbGciOi', 'eyJ0eXAiOi'];

export const FORBIDDEN_IN_LOGS = [
  ...Object.values(SENTINEL_NAMES),
  SENTINEL_PNG_BASE64.slice(0, 24),
  SENTINEL_PDF_BASE64.slice(0, 24),
  ...JPEG_BASE64_PREFIXES,
  ...JWT_PREFIXES,
];
