/** What the checker probes: one OSIA interface at a base URL, checked against our copy of its OSIA document. */
import type { OpenApiDocument } from '../openapi/documents.js';

export interface CheckTarget {
  name: string;
  baseUrl: string;
  document: OpenApiDocument;
}

export interface Credentials {
  /** A token carrying every scope of the checked operations. */
  token?: string;
  /** A valid token lacking the operations' scopes: each operation must answer 403 to it. */
  wrongScopeToken?: string;
}

export interface CheckContext extends Credentials {
  /** Distinguishes the records this run creates from earlier runs' (ids are client-chosen in OSIA). */
  runId: string;
  /** Values the target needs and cannot tell (e.g. `cms.credentialProfileId`), from `--fixture`. */
  fixtures: Record<string, string>;
}
