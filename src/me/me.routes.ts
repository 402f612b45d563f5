/**
 * The "my data" page and its JSON twin (`openapi/me.yaml`, mounted at `/me`), behind the OpenID provider's login
 * of level substantial or higher. Reading one's own report is not added to it (ADR 0170).
 */
import type { operations } from '../../generated/me.js';
import type { CredentialDirectory } from '../credentials/credential-directory.port.js';
import { HttpError } from '../errors/http-errors.js';
import type { HtmlFragment } from '../http/html.js';
import type { InterfaceModule } from '../http/interface-module.js';
import type { CallContext, HandlerMap } from '../http/operation-types.js';
import { PAGE_HEADERS, type PageLanguage, requestLanguage } from '../http/page-layout.js';
import type { PopulationRegistry } from '../registry/population-registry.js';
import { csvHeader, csvLines } from './access-csv.js';
import type { Access, AccessReport } from './access-report.js';
import { type CitizenLogin, type CitizenSession, REQUIRED_ACR, strongEnough } from './citizen-session.js';
import type { ReportLanguage } from './me-messages.js';
import { renderLoginFailed, renderMyData } from './my-data.page.js';
import { operationName } from './operation-names.js';

export interface MeServices {
  session: CitizenSession;
  report: AccessReport;
  registry: Pick<PopulationRegistry, 'readReference'>;
  credentials: CredentialDirectory;
  /** Where the module is mounted (`/me`): the page's links and the login's way back are built from it. */
  prefix: string;
  /** The passkey registration of the OpenID provider's module, shown on the page when given. */
  passkeySection?(lang: PageLanguage, personId: string): Promise<HtmlFragment>;
}

const DEFAULT_LIMIT = 50;

/** Whether the JSON twin is asked for CSV by `Accept` alone (no `format`): CSV named and JSON not. */
const wantsCsv = (accept: string | undefined) => /\btext\/csv\b/i.test(accept ?? '') && !/\bapplication\/json\b/i.test(accept ?? '');

const attachment = (extension: string) => ({ 'Content-Disposition': `attachment; filename="my-data-accesses.${extension}"` });

function languageOf(context: CallContext): PageLanguage & ReportLanguage {
  return requestLanguage(context.exchange.req);
}

function createMeHandlers(services: MeServices): HandlerMap<operations> {
  const { session, report, prefix } = services;
  const page = `${prefix}/`;

  const described = (access: Access, lang: ReportLanguage) => ({ ...access, operation: operationName(access.interface, access.operationId, lang) });

  const loginOf = async (context: CallContext): Promise<CitizenLogin | undefined> => {
    const login = await session.currentLogin(context.exchange);
    return strongEnough(login) ? login : undefined;
  };

  return {
    readMyDataPage: async ({ query, context }) => {
      const lang = languageOf(context);
      const { offset = 0, limit = DEFAULT_LIMIT } = query;
      if (query.error !== undefined) {
        return { status: 200, contentType: 'text/html', headers: PAGE_HEADERS, body: renderLoginFailed(lang, session.loginUrl(page, REQUIRED_ACR)) };
      }
      // Back from the login: its code is not needed (the provider's session is what counts), nor kept in the address bar.
      if (query.code !== undefined || query.state !== undefined || query.iss !== undefined) return { status: 303, headers: { Location: page } };
      const login = await loginOf(context);
      if (!login) {
        const returnTo = offset > 0 || query.limit !== undefined ? `${page}?offset=${offset}&limit=${limit}` : page;
        return { status: 303, headers: { Location: session.loginUrl(returnTo, REQUIRED_ACR) } };
      }
      const { personId } = login;
      const [reference, credentials, accesses, passkeys] = await Promise.all([
        services.registry.readReference(personId),
        services.credentials.listForPerson(personId),
        report.page(personId, offset, limit),
        services.passkeySection?.(lang, personId),
      ]);
      const body = renderMyData({
        lang,
        personId,
        identity: reference?.identity,
        credentials,
        report: accesses,
        limit,
        prefix,
        signOutUrl: session.signOutUrl,
        passkeys,
      });
      return { status: 200, contentType: 'text/html', headers: PAGE_HEADERS, body };
    },

    readMyAccesses: async ({ query, context }) => {
      const login = await loginOf(context);
      if (!login) throw new HttpError(401, `Sign in at ${page} with a login of level ${REQUIRED_ACR} or higher`);
      const lang = languageOf(context);
      const format = query.format ?? (wantsCsv(context.accept) ? 'csv' : undefined);
      if (format === 'csv') {
        let text = csvHeader(lang);
        for await (const batch of report.all(login.personId)) text += csvLines(batch, lang);
        return { status: 200, contentType: 'text/csv', headers: attachment('csv'), body: text };
      }
      if (format === 'json') {
        const accesses: ReturnType<typeof described>[] = [];
        for await (const batch of report.all(login.personId)) accesses.push(...batch.map((access) => described(access, lang)));
        return { status: 200, headers: attachment('json'), body: { total: accesses.length, offset: 0, accesses } };
      }
      const { offset = 0, limit = DEFAULT_LIMIT } = query;
      const found = await report.page(login.personId, offset, limit);
      return { status: 200, body: { ...found, accesses: found.accesses.map((access) => described(access, lang)) } };
    },
  };
}

export const meInterface: InterfaceModule<MeServices> = { name: 'me', createHandlers: createMeHandlers };
