/**
 * Finds the operation of a document that a request addresses, with its path parameters, from regular expressions
 * compiled once at start-up: once per request, before any body is parsed, so that the router's gate, the scope
 * check and the body parsers all know the operation from that one match. As OpenAPI requires, a concrete path wins over a templated one
 * (`/v1/persons/search` before `/v1/persons/{personId}`), whatever the order of the document.
 */
import type { OperationEntry } from '../openapi/documents.js';

export interface MatchedOperation {
  entry: OperationEntry;
  /** Path parameters, percent-decoded (undecodable values are kept as sent; the validator refuses them). */
  params: Record<string, string>;
  /** Their values as sent, in path order. */
  values: string[];
}

interface CompiledPath {
  entry: OperationEntry;
  method: string;
  pattern: RegExp;
  names: string[];
}

const PARAMETER = /\{([^}]+)\}/g;

function compile(entry: OperationEntry): CompiledPath {
  const names = [...entry.path.matchAll(PARAMETER)].map((match) => match[1] ?? '');
  const literal = entry.path
    .split(PARAMETER)
    .filter((_, index) => index % 2 === 0)
    .map((part) => part.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'));
  return { entry, method: entry.method.toUpperCase(), pattern: new RegExp(`^${literal.join('([^/]+)')}/?$`), names };
}

/** Fewer templated segments first; among equals, longer literal text first. */
function specificity(a: CompiledPath, b: CompiledPath): number {
  return a.names.length - b.names.length || b.entry.path.length - a.entry.path.length;
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export class OperationMatcher {
  private readonly paths: CompiledPath[];

  constructor(operations: readonly OperationEntry[]) {
    this.paths = operations.map(compile).sort(specificity);
  }

  /**
   * `path` is the request path below the router's mount point, as sent (not decoded); HEAD is matched as GET, as
   * Express does. Undefined when no operation has the path; no `matched` when only other methods have it.
   */
  lookup(method: string, path: string): { matched?: MatchedOperation } | undefined {
    const wanted = method === 'HEAD' ? 'GET' : method;
    let pathKnown = false;
    for (const candidate of this.paths) {
      const found = candidate.pattern.exec(path);
      if (!found) continue;
      pathKnown = true;
      if (candidate.method !== wanted) continue;
      const values = found.slice(1);
      const params = Object.fromEntries(candidate.names.map((name, index) => [name, decoded(values[index] ?? '')]));
      return { matched: { entry: candidate.entry, params, values } };
    }
    return pathKnown ? {} : undefined;
  }
}
