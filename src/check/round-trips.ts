/**
 * Create/read/update/delete round trips: what was written must read back. Scripted per interface, with data
 * valid under OSIA 7.1 (no vendor extension), on ids unique to the run.
 */
import type { CheckResult } from './check-result.js';
import { type Answer, describeAnswer, probe } from './http-probe.js';
import type { CheckContext, CheckTarget } from './target.js';

interface Step {
  what: string;
  method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  path: string;
  body?: unknown;
  status: number;
  /** Returns '' when the answer reads back what was written, else what differs. */
  expect?: (body: unknown) => string;
}

type Json = Record<string, unknown>;

/** '' when every key of `wanted` has the same (deep) value in `actual`. */
export function differences(wanted: Json, actual: unknown, at = ''): string {
  const found = (actual ?? {}) as Json;
  for (const [key, value] of Object.entries(wanted)) {
    const here = `${at}${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const inner = differences(value as Json, found[key], `${here}.`);
      if (inner) return inner;
    } else if (JSON.stringify(value) !== JSON.stringify(found[key])) {
      return `${here} reads ${JSON.stringify(found[key])}, wrote ${JSON.stringify(value)}`;
    }
  }
  return '';
}

const readsBack = (wanted: Json) => (body: unknown) => differences(wanted, body);

function personSteps(tx: string, id: string): Step[] {
  const person = `/v1/persons/${id}`;
  const identity = `${person}/identities/id-1`;
  const biographicData = { firstName: 'Roundtrip', lastName: 'Check', dateOfBirth: '1990-01-31' };
  const written = { identityType: 'CIVIL', status: 'CLAIMED', galleries: ['CHECK'], biographicData };
  const updated = { ...written, biographicData: { ...biographicData, lastName: 'Checked' } };
  return [
    { what: 'createPerson', method: 'post', path: person, body: { status: 'ACTIVE', physicalStatus: 'ALIVE' }, status: 201 },
    { what: 'readPerson', method: 'get', path: person, status: 200, expect: readsBack({ personId: id, status: 'ACTIVE', physicalStatus: 'ALIVE' }) },
    { what: 'updatePerson', method: 'put', path: person, body: { status: 'ACTIVE', physicalStatus: 'DEAD' }, status: 204 },
    { what: 'readPerson after update', method: 'get', path: person, status: 200, expect: readsBack({ physicalStatus: 'DEAD' }) },
    { what: 'createIdentityWithId', method: 'post', path: identity, body: written, status: 201 },
    { what: 'readIdentity', method: 'get', path: identity, status: 200, expect: readsBack({ identityId: 'id-1', ...written }) },
    { what: 'updateIdentity', method: 'put', path: identity, body: updated, status: 204 },
    { what: 'readIdentity after update', method: 'get', path: identity, status: 200, expect: readsBack(updated) },
    { what: 'deleteIdentity', method: 'delete', path: identity, status: 204 },
    { what: 'readIdentity after delete', method: 'get', path: identity, status: 404 },
    { what: 'deletePerson', method: 'delete', path: person, status: 204 },
    { what: 'readPerson after delete', method: 'get', path: person, status: 404 },
  ].map((step) => ({ ...step, path: `${step.path}?transactionId=${tx}` }) as Step);
}

function enrollmentSteps(tx: string, id: string): Step[] {
  const path = `/v1/enrollments/${id}?transactionId=${tx}`;
  const written = { enrollmentType: 'FIRST_ENROLLMENT', enrollmentFlags: { check: 'yes' }, requestData: { source: 'checker' } };
  const updated = { ...written, requestData: { source: 'checker, updated' } };
  return [
    { what: 'createEnrollment', method: 'post', path, body: written, status: 204 },
    { what: 'readEnrollment', method: 'get', path, status: 200, expect: readsBack({ enrollmentId: id, ...written }) },
    { what: 'updateEnrollment', method: 'put', path, body: updated, status: 204 },
    { what: 'readEnrollment after update', method: 'get', path, status: 200, expect: readsBack(updated) },
    { what: 'deleteEnrollment', method: 'delete', path, status: 204 },
    { what: 'readEnrollment after delete', method: 'get', path, status: 404 },
  ];
}

function credentialRequestSteps(tx: string, id: string, credentialProfileId: string): Step[] {
  const path = `/v1/credentialRequests/${id}?transactionId=${tx}`;
  const written = {
    personId: `${id}-holder`,
    biographicData: { firstName: 'Roundtrip', lastName: 'Check' },
    requestData: { credentialProfileId, requestType: 'FIRST_ISSUANCE', priority: 1 },
  };
  return [
    { what: 'createCredentialRequest', method: 'post', path, body: written, status: 201 },
    { what: 'readCredentialRequest', method: 'get', path, status: 200, expect: readsBack({ credentialRequestId: id, personId: written.personId }) },
  ];
}

async function firstCredentialProfile(target: CheckTarget, context: CheckContext): Promise<string | undefined> {
  const fixture = context.fixtures['cms.credentialProfileId'];
  if (fixture) return fixture;
  const answer = await probe(target.baseUrl, {
    method: 'post',
    url: `/v1/credentialProfiles?transactionId=${context.runId}`,
    headers: { 'Content-Type': 'application/json' },
    body: [],
    token: context.token,
  });
  const profiles = Array.isArray(answer.body) ? (answer.body as Json[]) : [];
  const id = profiles[0]?.credentialProfileId;
  return typeof id === 'string' ? id : undefined;
}

async function runSteps(target: CheckTarget, context: CheckContext, scenario: string, steps: Step[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const record = (outcome: CheckResult['outcome'], reason: string, check: string) =>
    results.push({ interface: target.name, subject: scenario, check, outcome, reason });
  let broken = '';
  for (const step of steps) {
    if (broken) {
      record('skip', `an earlier step failed (${broken})`, step.what);
      continue;
    }
    const headers: Record<string, string> = step.body === undefined ? {} : { 'Content-Type': 'application/json' };
    const answer: Answer = await probe(target.baseUrl, { method: step.method, url: step.path, headers, body: step.body, token: context.token });
    const problem =
      answer.status === 501
        ? 'not implemented (501)'
        : answer.status !== step.status
          ? `expected ${step.status}, got ${describeAnswer(answer)}`
          : (step.expect?.(answer.body) ?? '');
    record(problem ? 'fail' : 'pass', problem || `${answer.status}${step.expect ? ', reads back what was written' : ''}`, step.what);
    if (problem) broken = step.what;
  }
  return results;
}

export async function checkRoundTrips(target: CheckTarget, context: CheckContext): Promise<CheckResult[]> {
  const id = `rt-${context.runId}`;
  switch (target.name) {
    case 'pr':
      return runSteps(target, context, 'round trip: person and identity', personSteps(context.runId, id));
    case 'enrollment':
      return runSteps(target, context, 'round trip: enrollment', enrollmentSteps(context.runId, id));
    case 'cms': {
      const profile = await firstCredentialProfile(target, context);
      if (!profile) {
        const reason = 'no credential profile: findCredentialProfiles found none; give --fixture cms.credentialProfileId=ID';
        return [{ interface: target.name, subject: 'round trip: credential request', check: 'createCredentialRequest', outcome: 'skip', reason }];
      }
      return runSteps(target, context, 'round trip: credential request', credentialRequestSteps(context.runId, id, profile));
    }
    default:
      return [];
  }
}
