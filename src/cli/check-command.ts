/**
 * `osia-server check URL`: probes an OSIA server, ours or another vendor's, interface by interface, against the
 * OSIA 7.1 documents, and prints one line per check. Exit status 0 only if every check it ran passed.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { totals } from '../check/check-result.js';
import { junitReport, textReport } from '../check/report.js';
import { runChecks } from '../check/run-checks.js';
import { INTERFACE_NAMES, type InterfaceName, isInterfaceName } from '../openapi/interfaces.js';

export const CHECK_USAGE = `usage: osia-server check URL [options]

Probes the OSIA interfaces served at URL (osia-server's prefixes: URL/pr, URL/cms, ...) and checks each operation
against the OSIA 7.1 documents: route exists, answer as documented (status, media type, schema), required
parameters enforced (400), unknown ids answer 404, token required (401), scope enforced (403), and
create/read/update/delete round trips. It writes records with ids unique to the run: point it at a test deployment.

  --interfaces a,b,...        interfaces to check (default: all eight: ${INTERFACE_NAMES.join(',')})
  --token TOKEN               bearer token carrying the scopes of the checked operations
  --token-command CMD         run CMD (in a shell) and use its output as the token
  --wrong-scope-token TOKEN   valid token without those scopes (for the 403 checks; skipped without it)
  --base-url name=URL         base URL of one interface, prefix included (repeatable), e.g. pr=https://pr.example/osia
  --fixture key=value         data the target needs (repeatable): cms.credentialProfileId=ID
  --junit FILE                also write the results as JUnit XML
  --help                      this text

Exit status: 0 if every check run passed, 1 if one failed, 2 on a usage error. Skipped checks are not passes.
`;

class UsageError extends Error {}

function pairs(values: string[] | undefined, option: string): Record<string, string> {
  return Object.fromEntries(
    (values ?? []).map((value) => {
      const at = value.indexOf('=');
      if (at <= 0) throw new UsageError(`${option} ${value}: expected key=value`);
      return [value.slice(0, at), value.slice(at + 1)];
    }),
  );
}

function interfacesOf(list: string | undefined): InterfaceName[] {
  if (list === undefined) return [...INTERFACE_NAMES];
  const names = list.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !isInterfaceName(name));
  if (unknown.length > 0 || names.length === 0) throw new UsageError(`--interfaces: unknown ${unknown.join(', ') || '(empty)'}; known: ${INTERFACE_NAMES.join(', ')}`);
  return names as InterfaceName[];
}

async function tokenFrom(command: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await promisify(execFile)('/bin/sh', ['-c', command], { env });
  const token = stdout.trim();
  if (!token) throw new UsageError(`--token-command printed no token`);
  return token;
}

export async function runCheck(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        interfaces: { type: 'string' },
        token: { type: 'string' },
        'token-command': { type: 'string' },
        'wrong-scope-token': { type: 'string' },
        'base-url': { type: 'string', multiple: true },
        fixture: { type: 'string', multiple: true },
        junit: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
    if (values.help) {
      process.stdout.write(CHECK_USAGE);
      return 0;
    }
    const [rootUrl, ...extra] = positionals;
    if (!rootUrl || extra.length > 0) throw new UsageError('give exactly one URL');
    if (!/^https?:\/\//.test(rootUrl)) throw new UsageError(`${rootUrl}: not an http(s) URL`);
    const baseUrls = pairs(values['base-url'], '--base-url');
    for (const name of Object.keys(baseUrls)) if (!isInterfaceName(name)) throw new UsageError(`--base-url ${name}: unknown interface`);
    const token = values['token-command'] ? await tokenFrom(values['token-command'], env) : values.token;
    const { results, notes } = await runChecks({
      rootUrl,
      interfaces: interfacesOf(values.interfaces),
      baseUrls,
      token,
      wrongScopeToken: values['wrong-scope-token'],
      fixtures: pairs(values.fixture, '--fixture'),
      runId: `chk${randomBytes(4).toString('hex')}`,
    });
    process.stdout.write(`${notes.map((note) => `checking ${note}`).join('\n')}\n\n${textReport(results)}`);
    if (values.junit) await writeFile(values.junit, junitReport(results));
    const { failed, run } = totals(results);
    return failed === 0 && run > 0 ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`osia-server check: ${(err as Error).message}\n\n${CHECK_USAGE}`);
      return 2;
    }
    throw err;
  }
}
