/**
 * The one layout of the citizen's pages (login, consent, "my data"): a plain document that needs no script, with a
 * skip link, a visible keyboard focus and colours above WCAG AA contrast (4.5:1 for text).
 */
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import { HtmlFragment, html } from './html.js';

/** The languages of the citizen's pages; the first is the default when `Accept-Language` names neither. */
export const PAGE_LANGUAGES = ['en', 'fr'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/** The language to answer in, from the `Accept-Language` header (Express's `req.acceptsLanguages`). */
export function pageLanguage(accepts: (...languages: string[]) => string | false): PageLanguage {
  const picked = accepts(...PAGE_LANGUAGES);
  return PAGE_LANGUAGES.find((language) => language === picked) ?? PAGE_LANGUAGES[0];
}

/** The language of a page answered from the raw exchange of a handler's call context (an Express request underneath). */
export function requestLanguage(req: IncomingMessage): PageLanguage {
  return pageLanguage((...languages) => (req as Request).acceptsLanguages(...languages));
}

/**
 * The headers of a citizen's page, in place of the API's (whose CSP forbids everything): the layout's inline style,
 * scripts and requests to this origin only (the passkey script is a file of ours), forms posting here only, never
 * framed, never cached.
 */
export const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'Cache-Control': 'no-store',
} as const;

const SKIP = { en: 'Skip to content', fr: 'Aller au contenu' } satisfies Record<PageLanguage, string>;

const STYLE = new HtmlFragment(`
body{font-family:system-ui,sans-serif;line-height:1.5;margin:0;color:#1b1b1b;background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem 1.5rem}
header{background:#00264d;color:#fff;padding:.75rem 1.5rem}
header a{color:#fff}
a{color:#0b4f9c}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;color:#00264d;padding:.5rem}
:focus-visible{outline:3px solid #c2410c;outline-offset:2px}
button,.button{font:inherit;padding:.5rem 1rem;border:2px solid #00264d;background:#00264d;color:#fff;border-radius:4px;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:#00264d}
[hidden]{display:none!important}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #6b6b6b;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#e8edf3}
.error{color:#a4141b;font-weight:600}
fieldset{border:1px solid #6b6b6b;margin:1rem 0}
`);

export interface Page {
  lang: PageLanguage;
  title: string;
  body: HtmlFragment;
}

export function renderPage({ lang, title, body }: Page): string {
  return `<!doctype html>${html`<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>${STYLE}</style></head><body><a class="skip" href="#main">${SKIP[lang]}</a><header>${title}</header><main id="main">${body}</main></body></html>`}`;
}
