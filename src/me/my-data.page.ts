/**
 * The "my data" page: the person's reference identity, their credentials, and one page of the access report, as
 * plain HTML that needs no script. Tables have captions and header cells with their scope; paging and downloads
 * are links, so that the keyboard and screen readers reach everything.
 */
import type { CredentialSummary } from '../credentials/credential-directory.port.js';
import { type HtmlFragment, html } from '../http/html.js';
import { type PageLanguage, renderPage } from '../http/page-layout.js';
import type { Access, AccessPage } from './access-report.js';
import { MESSAGES, type ReportLanguage } from './me-messages.js';
import { operationName } from './operation-names.js';

export interface MyDataView {
  lang: PageLanguage & ReportLanguage;
  personId: string;
  /** The reference identity as the registry holds it; absent when the person has none. */
  identity: Record<string, unknown> | undefined;
  credentials: readonly CredentialSummary[];
  report: AccessPage;
  limit: number;
  /** Where the page is served (`/me`): its links are built from it. */
  prefix: string;
  signOutUrl: string;
  passkeys: HtmlFragment | undefined;
}

/**
 * The page's two date formats in a language, made once: building an `Intl.DateTimeFormat` costs far more than
 * formatting with one, and the page formats a date on every row.
 */
const formatsOf = (locale: string) => ({
  day: new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'long' }),
  moment: new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }),
});

const FORMATTERS: Record<ReportLanguage, ReturnType<typeof formatsOf>> = { en: formatsOf('en-GB'), fr: formatsOf('fr-FR') };

/** `YYYY-MM-DD` or a date-time, as a date in the page's language; other text as it is. */
function day(value: string, lang: ReportLanguage): string {
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : FORMATTERS[lang].day.format(time);
}

/** The identity's biographic data as label/value pairs: the known fields first, in their order, then the others. */
function identityFields(identity: Record<string, unknown>, lang: ReportLanguage): [string, string][] {
  const { fields: labels, genders } = MESSAGES[lang];
  const shown = (path: string, value: string) => (path === 'dateOfBirth' ? day(value, lang) : path === 'gender' ? (genders[value] ?? value) : value);
  const flat: [string, string][] = [];
  const walk = (value: unknown, path: string) => {
    if (value === null || value === undefined || value === '') return;
    if (Array.isArray(value)) flat.push([path, value.map(String).join(', ')]);
    else if (typeof value === 'object') for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
    else flat.push([path, shown(path, String(value))]);
  };
  walk(identity.biographicData, '');
  const order = Object.keys(labels);
  const rank = (path: string) => (order.includes(path) ? order.indexOf(path) : order.length);
  return flat.sort(([a], [b]) => rank(a) - rank(b)).map(([path, value]) => [labels[path] ?? path, value]);
}

function identitySection(view: MyDataView): HtmlFragment {
  const t = MESSAGES[view.lang];
  const fields = view.identity ? identityFields(view.identity, view.lang) : [];
  return html`<section aria-labelledby="identity"><h2 id="identity">${t.identity}</h2>
<dl><dt>${t.uin}</dt><dd>${view.personId}</dd>${fields.map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)}</dl>
${view.identity ? '' : html`<p>${t.noIdentity}</p>`}</section>`;
}

function credentialsSection(view: MyDataView): HtmlFragment {
  const t = MESSAGES[view.lang];
  const rows = view.credentials.map(
    (credential) => html`<tr><th scope="row">${t.credentialTypes[credential.credentialType ?? ''] ?? credential.credentialType ?? credential.credentialProfileId}</th><td>${credential.credentialNumber ?? ''}</td>
<td>${t.credentialStatuses[credential.status] ?? credential.status}</td><td>${credential.issuedDate ? day(credential.issuedDate, view.lang) : ''}</td>
<td>${credential.expiryDate ? day(credential.expiryDate, view.lang) : ''}</td></tr>`,
  );
  const table = html`<table><caption>${t.credentialsCaption}</caption><thead><tr><th scope="col">${t.credentialType}</th><th scope="col">${t.credentialNumber}</th>
<th scope="col">${t.status}</th><th scope="col">${t.issued}</th><th scope="col">${t.expires}</th></tr></thead><tbody>${rows}</tbody></table>`;
  return html`<section aria-labelledby="credentials"><h2 id="credentials">${t.credentials}</h2>${rows.length > 0 ? table : html`<p>${t.noCredentials}</p>`}</section>`;
}

/** An attribute as the person reads it: its label when it is a known field or claim, else its name. */
function attributeLabel(name: string, lang: ReportLanguage): string {
  const { fields, otherAttributes } = MESSAGES[lang];
  const field = name.replace(/^(biographicData|contactData)\./, '');
  return fields[field] ?? otherAttributes[field] ?? name;
}

function accessRow(access: Access, lang: ReportLanguage): HtmlFragment {
  const t = MESSAGES[lang];
  const when = FORMATTERS[lang].moment.format(Date.parse(access.time));
  const who = access.organisation ? [access.organisation, access.client ? ` (${access.client})` : ''].join('') : (access.client ?? t.unknownClient);
  return html`<tr><th scope="row"><time datetime="${access.time}">${when}</time></th><td>${who}</td>
<td>${operationName(access.interface, access.operationId, lang)}</td><td>${access.purpose ?? t.noPurpose}</td>
<td>${access.attributes.map((name) => attributeLabel(name, lang)).join(', ')}</td><td>${t.outcomes[access.outcome]}</td></tr>`;
}

function paging(view: MyDataView): HtmlFragment {
  const t = MESSAGES[view.lang];
  const { offset, total } = view.report;
  const link = (to: number, rel: string, text: string) => html`<a rel="${rel}" href="${view.prefix}/?offset=${to}&amp;limit=${view.limit}">${text}</a> `;
  const newer = offset > 0 ? link(Math.max(0, offset - view.limit), 'prev', t.previous) : '';
  const older = offset + view.limit < total ? link(offset + view.limit, 'next', t.next) : '';
  return newer || older ? html`<nav aria-label="${t.pages}"><p>${newer}${older}</p></nav>` : html``;
}

function accessesSection(view: MyDataView): HtmlFragment {
  const t = MESSAGES[view.lang];
  const { accesses, offset, total } = view.report;
  const shown = accesses.length > 0 ? `${offset + 1}–${offset + accesses.length}` : '0';
  const table = html`<table><caption>${t.accessesCaption(shown, total)}</caption><thead><tr><th scope="col">${t.when}</th><th scope="col">${t.who}</th>
<th scope="col">${t.operation}</th><th scope="col">${t.purpose}</th><th scope="col">${t.attributes}</th><th scope="col">${t.outcome}</th></tr></thead>
<tbody>${accesses.map((access) => accessRow(access, view.lang))}</tbody></table>${paging(view)}`;
  const downloads = html`<p>${t.download} <a href="${view.prefix}/v1/accesses?format=csv" download>${t.csv}</a>, <a href="${view.prefix}/v1/accesses?format=json" download>${t.json}</a></p>`;
  return html`<section aria-labelledby="accesses"><h2 id="accesses">${t.accesses}</h2><p>${t.accessesNote}</p>
${total > 0 ? html`${table}${downloads}` : html`<p>${t.noAccesses}</p>`}</section>`;
}

export function renderMyData(view: MyDataView): string {
  const t = MESSAGES[view.lang];
  const passkeys = view.passkeys && html`<section aria-labelledby="passkeys"><h2 id="passkeys">${t.passkeys}</h2>${view.passkeys}</section>`;
  const body = html`<p>${t.intro}</p><p><a href="${view.signOutUrl}">${t.signOut}</a></p>
${identitySection(view)}${credentialsSection(view)}${accessesSection(view)}${passkeys}`;
  return renderPage({ lang: view.lang, title: t.title, body });
}

/** The page stating that the login did not complete, with a link to try again. */
export function renderLoginFailed(lang: PageLanguage & ReportLanguage, loginUrl: string): string {
  const t = MESSAGES[lang];
  return renderPage({ lang, title: t.title, body: html`<p class="error" role="alert">${t.loginFailed}</p><p><a class="button" href="${loginUrl}">${t.signInAgain}</a></p>` });
}
