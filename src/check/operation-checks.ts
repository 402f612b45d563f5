/**
 * The generic checks, made on every operation of a document from its description alone: the route exists,
 * the answer is documented, required parameters are enforced, unknown ids answer 404, scopes are enforced.
 */
import { listOperations, type OperationEntry } from '../openapi/documents.js';
import type { CheckResult, Outcome } from './check-result.js';
import { type Answer, describeAnswer, probe } from './http-probe.js';
import { createResponseValidator, type ResponseValidator } from '../openapi/response-validator.js';
import { type SampleRequest, validRequest } from './sample-request.js';
import type { CheckContext, CheckTarget } from './target.js';

const NOT_IMPLEMENTED = 501;

function documents(entry: OperationEntry, status: number): boolean {
  return String(status) in entry.operation.responses;
}

/** The sample with its required query parameter removed, or its required body, or undefined if it has neither. */
function withoutRequired(entry: OperationEntry, valid: SampleRequest): { request: SampleRequest; what: string } | undefined {
  const parameters = (entry.operation.parameters ?? []).filter((p) => p.in === 'query');
  const required = parameters.find((p) => p.required);
  if (required) {
    const [base, search = ''] = valid.url.split('?') as [string, string?];
    const query = new URLSearchParams(search);
    if (required.schema?.type === 'object') {
      // A form-exploded object has no name of its own in the query: its members are the unnamed parameters.
      const named = new Set(parameters.map((p) => p.name));
      for (const key of [...query.keys()]) if (!named.has(key)) query.delete(key);
    } else {
      query.delete(required.name);
    }
    return { request: { ...valid, url: `${base}?${query}` }, what: `without ${required.name}` };
  }
  if (entry.operation.requestBody?.required && valid.body !== undefined) {
    return { request: { ...valid, body: undefined }, what: 'without its required body' };
  }
  return undefined;
}

class OperationChecker {
  readonly results: CheckResult[] = [];
  constructor(
    private readonly target: CheckTarget,
    private readonly entry: OperationEntry,
    private readonly validator: ResponseValidator,
  ) {}

  record(check: string, outcome: Outcome, reason: string): void {
    this.results.push({ interface: this.target.name, subject: this.entry.operationId, check, outcome, reason });
  }

  expect(check: string, answer: Answer, wanted: number[], what: string): void {
    if (answer.status === NOT_IMPLEMENTED) {
      this.record(check, 'fail', 'not implemented (501)');
      return;
    }
    const ok = wanted.includes(answer.status);
    this.record(check, ok ? 'pass' : 'fail', `${what}: ${ok ? answer.status : `expected ${wanted.join(' or ')}, got ${describeAnswer(answer)}`}`);
  }

  /** `control` is the answer to the same method on a path no document has: a missing route answers like it. */
  exists(answer: Answer, control: Answer): void {
    if (answer.status === NOT_IMPLEMENTED) {
      this.record('route exists', 'fail', 'not implemented (501)');
      return;
    }
    const routeMissing =
      answer.status === 0 ||
      answer.status === 405 || (answer.status === 404 && JSON.stringify(answer.body) === JSON.stringify(control.body));
    const route = `${this.entry.method.toUpperCase()} ${this.entry.path}`;
    this.record('route exists', routeMissing ? 'fail' : 'pass', `${route}: ${routeMissing ? `route missing, ${describeAnswer(answer)}` : answer.status}`);
  }

  documented(answer: Answer): void {
    if (answer.status === NOT_IMPLEMENTED) {
      this.record('answer as documented', 'fail', 'not implemented (501)');
      return;
    }
    // The ids of the sample name nothing the checker could create (a server-chosen topic uuid): without a fixture the
    // documented answer cannot be reached, which is a check not made, not a failure.
    if (answer.status === 404 && this.entry.path.includes('{') && !this.entry.operation.responses['404']) {
      const names = (this.entry.operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      const fixtures = names.map((name) => `--fixture ${this.target.name}.${name}=VALUE`).join(' ');
      this.record('answer as documented', 'skip', `404 for ids that name nothing on the target (the operation documents no 404): give ${fixtures}`);
      return;
    }
    const problem = this.validator.check(this.entry.operation, answer);
    this.record('answer as documented', problem ? 'fail' : 'pass', problem || `${answer.status} ${answer.mediaType || '(no body)'} matches`);
  }
}

/** Creates with a client-chosen id (201, or 409 on a duplicate id in the path). */
function creates(entry: OperationEntry): boolean {
  return (entry.method === 'post' || entry.method === 'put') && (documents(entry, 201) || (documents(entry, 409) && entry.path.endsWith('}')));
}

/**
 * Creates first and deletes last: every sample uses the same ids (`<run>-personId` …), so the reads, updates and
 * sub-resource creates in between find the records the creates made and their answers get checked too.
 */
function walkOrder(entries: OperationEntry[]): OperationEntry[] {
  const rank = (entry: OperationEntry) => (creates(entry) ? 0 : entry.method === 'delete' ? 2 : 1);
  return [...entries].sort((a, b) => rank(a) - rank(b));
}

const scopesOf = (entry: OperationEntry) => (entry.operation.security ?? []).flatMap((r) => Object.values(r).flat());

/** Path parameters named in the operation's scope (`id.ATTRIBUTESETNAME.read`): their value must be one the token holds. */
function scopeBound(entry: OperationEntry): string[] {
  const segments = new Set(scopesOf(entry).flatMap((scope) => scope.split('.')));
  return (entry.operation.parameters ?? []).filter((p) => p.in === 'path' && segments.has(p.name.toUpperCase())).map((p) => p.name);
}

/** The scopes a JWT claims: read, not verified (the target verifies it); none for a token that is not a JWT. */
function claimedScopes(token: string | undefined): string[] {
  try {
    const payload = JSON.parse(Buffer.from(token?.split('.')[1] ?? '', 'base64url').toString()) as { scope?: unknown; scp?: unknown };
    const raw = payload.scope ?? payload.scp;
    return (Array.isArray(raw) ? raw : String(raw ?? '').split(' ')).filter((scope): scope is string => typeof scope === 'string');
  } catch {
    return [];
  }
}

/**
 * A value of a scope-bound path parameter that the token covers (`id.DEFAULT_SET_01.read` gives `DEFAULT_SET_01`),
 * so that the checks behind the scope check reach the target's validation instead of stopping at 403.
 */
function coveredValue(entry: OperationEntry, name: string, claimed: readonly string[]): string | undefined {
  const placeholder = name.toUpperCase();
  for (const template of scopesOf(entry)) {
    const wanted = template.split('.');
    const at = wanted.indexOf(placeholder);
    if (at < 0) continue;
    const covering = claimed
      .map((scope) => scope.split('.'))
      .find((parts) => parts.length === wanted.length && parts[at] !== placeholder && wanted.every((part, i) => i === at || part === parts[i]));
    if (covering) return covering[at];
  }
  return undefined;
}

export async function checkOperations(target: CheckTarget, context: CheckContext): Promise<CheckResult[]> {
  const validator = createResponseValidator(target.document);
  const results: CheckResult[] = [];
  const claimed = claimedScopes(context.token);
  for (const entry of walkOrder(listOperations(target.document))) {
    const checker = new OperationChecker(target, entry, validator);
    const send = (request: SampleRequest, token: string | undefined) => probe(target.baseUrl, { ...request, token });
    const fixture = (name: string) => context.fixtures[`${target.name}.${name}`] ?? coveredValue(entry, name, claimed);
    const valid = validRequest(entry, target.document, '', (name) => fixture(name) ?? `${context.runId}-${name}`);
    const unfixed = scopeBound(entry).filter((name) => !fixture(name));
    const nowhere = { method: entry.method, url: `/v1/no-such-route-${context.runId}?transactionId=${context.runId}`, headers: {} };

    const answer = await send(valid, context.token);
    checker.exists(answer, await send(nowhere, context.token));
    checker.documented(answer);

    const broken = withoutRequired(entry, valid);
    if (broken) checker.expect('required parameters enforced', await send(broken.request, context.token), [400], broken.what);
    else checker.record('required parameters enforced', 'skip', 'the operation has no required query parameter or body');

    const hasPathIds = entry.path.includes('{');
    if (hasPathIds && unfixed.length > 0) {
      const reason = `its scope names {${unfixed.join('}, {')}}: give ${unfixed.map((n) => `--fixture ${target.name}.${n}=VALUE`).join(' ')}`;
      checker.record('unknown id answers 404', 'skip', reason);
    } else if (hasPathIds && documents(entry, 404)) {
      const bound = new Set(scopeBound(entry));
      const unknown = validRequest(entry, target.document, '', (name) => (bound.has(name) ? fixture(name) : undefined) ?? `unknown-${context.runId}-${name}`);
      checker.expect('unknown id answers 404', await send(unknown, context.token), [404], 'with ids nobody created');
    } else if (hasPathIds) {
      checker.record('unknown id answers 404', 'skip', 'the operation documents no 404');
    }

    if ((entry.operation.security ?? []).length > 0) {
      checker.expect('token required', await send(valid, undefined), [401], 'without a token');
      if (context.wrongScopeToken) {
        checker.expect('scope enforced', await send(valid, context.wrongScopeToken), [403], 'with a token lacking the scope');
      } else {
        checker.record('scope enforced', 'skip', 'no --wrong-scope-token given');
      }
    }
    results.push(...checker.results);
  }
  return results;
}
