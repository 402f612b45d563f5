/**
 * Runs every check on the chosen interfaces of a target. Interfaces are found at `--base-url name=URL`, or at
 * osia-server's prefix under the root URL; the server's own `/openapi/<name>.yaml` (served by osia-server) is
 * noted when present, but the checks always come from our copy of the OSIA 7.1 documents.
 */
import { loadDocument } from '../openapi/documents.js';
import type { InterfaceName } from '../openapi/interfaces.js';
import type { CheckResult } from './check-result.js';
import { checkOperations } from './operation-checks.js';
import { checkRoundTrips } from './round-trips.js';
import type { CheckContext, CheckTarget } from './target.js';

export interface CheckPlan extends CheckContext {
  rootUrl: string;
  interfaces: readonly InterfaceName[];
  baseUrls: Partial<Record<InterfaceName, string>>;
}

async function describesItself(rootUrl: string, name: string): Promise<boolean> {
  try {
    const response = await fetch(`${rootUrl}/openapi/${name}.yaml`);
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

export interface CheckRun {
  results: CheckResult[];
  /** Where each interface was probed, and what the server said about itself. */
  notes: string[];
}

export async function runChecks(plan: CheckPlan): Promise<CheckRun> {
  const rootUrl = plan.rootUrl.replace(/\/+$/, '');
  const results: CheckResult[] = [];
  const notes: string[] = [];
  for (const name of plan.interfaces) {
    const { document } = await loadDocument(name);
    const target: CheckTarget = { name, baseUrl: (plan.baseUrls[name] ?? `${rootUrl}/${name}`).replace(/\/+$/, ''), document };
    const discovered = await describesItself(rootUrl, name);
    notes.push(`${name}: ${target.baseUrl}${discovered ? ` (the server publishes /openapi/${name}.yaml)` : ''}`);
    results.push(...(await checkOperations(target, plan)), ...(await checkRoundTrips(target, plan)));
  }
  return { results, notes };
}
