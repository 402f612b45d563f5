/**
 * What an interface folder says about itself, in the one module its `<name>.routes.ts` exports. The composition root
 * gives the module its services; the generic HTTP layer reads the rest and knows no interface by name.
 */
import type { DocumentName, ServableInterfaceName } from '../openapi/interfaces.js';
import type { CallContext } from './operation-types.js';

/**
 * The validated input of an operation, and what it names: persons (reported per person), other records, and the
 * attribute names it reads (names, never values; absent when the request names none).
 */
export type AuditedIds = (input: { path: Record<string, string>; query: Record<string, unknown> }) => {
  personIds: string[];
  recordIds: string[];
  attributes?: string[];
};

/**
 * Runs once the operation is known, before the body is read; throws to refuse the request (a secret in the path, a
 * browser session below the level the operation needs).
 */
export type Admission = (operationId: string, path: Record<string, string>, exchange: CallContext['exchange']) => Promise<void>;

export interface InterfaceTraits {
  /** Its document: `openapi/<name>.yaml`. */
  name: DocumentName;
  /** The ids each operation touches, for its audit record; absent for an interface that touches no personal data. */
  audit?: AuditedIds;
  /** Formats its document uses beyond the validator's own. */
  formats?: Record<string, (value: string) => boolean>;
  /** Served under the prefixes of that interface instead of its own (`/<name>`). */
  beside?: ServableInterfaceName;
  /** Where it shares another interface's prefix: whether a request matching one of its operations is its own. */
  takesShared?: (operationId: string, query: Record<string, unknown>) => boolean;
}

export interface InterfaceModule<Services> extends InterfaceTraits {
  createHandlers(services: Services): object;
  createAdmission?(services: Services): Admission;
}

/** An interface the app serves: its traits, with its handler map (and admission) built from its services. */
export interface ServedInterface extends InterfaceTraits {
  handlers: object;
  admit?: Admission;
}

export function serve<Services>({ createHandlers, createAdmission, ...traits }: InterfaceModule<Services>, services: Services): ServedInterface {
  return { ...traits, handlers: createHandlers(services), admit: createAdmission?.(services) };
}

/** The common audit: the path parameters `personParams` name persons, every other path parameter a record. */
export function auditPathIds(...personParams: string[]): AuditedIds {
  return ({ path }) => {
    const persons = Object.entries(path).filter(([name]) => personParams.includes(name));
    const records = Object.entries(path).filter(([name]) => !personParams.includes(name));
    return { personIds: persons.map(([, id]) => id), recordIds: records.map(([, id]) => id) };
  };
}
