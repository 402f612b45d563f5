/**
 * One login of the OIDC bench as a browser and a relying party make it, over real HTTP/TLS: PAR with PKCE, the
 * login page, the ID-card step on the card listener (a new TLS connection presenting the card's certificate, as a
 * card reader session is), the consent page when the provider shows one, the code at the client's redirect URI
 * (read from `Location`, never contacted), the token (client_secret_basic) and userinfo.
 */
import { createHash, randomBytes } from 'node:crypto';
import type https from 'node:https';
import { CookieJar } from '../test/support/cookie-jar.js';
import { type FetchInit, fetchTrusting, type TrustingFetch } from '../test/support/https-fetch.js';

export interface CardKeys {
  cert: string;
  key: string;
}

export interface Provider {
  ca: string;
  /** Kept-alive connections to the main listener, as a browser and the client's back end keep theirs. */
  agent: https.Agent;
  /** The origin of the card listener. */
  cardOrigin: string;
  discovery: {
    authorization_endpoint: string;
    pushed_authorization_request_endpoint: string;
    token_endpoint: string;
    userinfo_endpoint: string;
  };
}

export interface RelyingParty {
  clientId: string;
  secret: string;
  redirectUri: string;
}

interface Page {
  url: string;
  status: number;
  body: string;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/** A browser with one card in its reader: a cookie jar of its own (per host, any port), redirects followed by hand. */
export class CardBrowser {
  readonly #cookies = new CookieJar();
  readonly #main: TrustingFetch;
  readonly #card: TrustingFetch;
  /** Whether a consent page was answered. */
  consented = false;

  constructor(
    private readonly provider: Provider,
    card: CardKeys,
    /** Where redirects stop (the client's redirect URI), not fetched. */
    private readonly stopAt?: string,
  ) {
    this.#main = fetchTrusting(provider.ca, undefined, provider.agent);
    this.#card = fetchTrusting(provider.ca, card);
  }

  /** Follows redirects from `start` until a page, or the stop URL; fails on anything but 2xx/3xx. */
  async visit(start: string, init: FetchInit = {}): Promise<Page> {
    let url = start;
    let request = init;
    for (let hop = 0; hop < 10; hop++) {
      if (this.stopAt && url.startsWith(this.stopAt)) return { url, status: 0, body: '' };
      const send = new URL(url).origin === this.provider.cardOrigin ? this.#card : this.#main;
      const response = await send(url, { ...request, headers: { ...(request.headers as object), cookie: this.#cookies.header(), 'accept-language': 'en' } });
      this.#cookies.keep(response);
      const body = await response.text();
      const location = response.headers.get('location');
      if (response.status >= 400) throw new Error(`${request.method ?? 'GET'} ${url}: ${response.status} ${body.slice(0, 300)}`);
      if (response.status < 300 || !location) return { url, status: response.status, body };
      url = new URL(location, url).href;
      request = {};
    }
    throw new Error(`too many redirects from ${start}`);
  }

  /** From an authorization request (or a page that starts one): the card step, then consent when asked. */
  async signIn(start: string): Promise<Page> {
    let page = await this.visit(start);
    const card = linkOf(page, /href="([^"]*\/card)"/);
    if (card) page = await this.visit(card);
    const consent = page.body.includes('name="decision"') && linkOf(page, /<form method="post" action="([^"]+)"/);
    if (consent) {
      this.consented = true;
      page = await this.visit(consent, { method: 'POST', body: 'decision=accept', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    }
    return page;
  }

  /** The Cookie header of the main origin (to hand autocannon the session). */
  cookieHeader(): string {
    return this.#cookies.header();
  }
}

function linkOf(page: Page, pattern: RegExp): string | undefined {
  const found = page.body.match(pattern)?.[1];
  return found && new URL(found.replaceAll('&amp;', '&'), page.url).href;
}

/** A whole code-flow login of the card's holder for `rp`; resolves whether the person was asked to consent. */
export async function logIn(provider: Provider, rp: RelyingParty, card: CardKeys): Promise<{ consented: boolean }> {
  const backEnd = fetchTrusting(provider.ca, undefined, provider.agent);
  const authorization = `Basic ${Buffer.from(`${encodeURIComponent(rp.clientId)}:${encodeURIComponent(rp.secret)}`).toString('base64')}`;
  const form = { 'content-type': 'application/x-www-form-urlencoded', authorization };
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const pushed = await backEnd(provider.discovery.pushed_authorization_request_endpoint, {
    method: 'POST',
    headers: form,
    body: new URLSearchParams({
      client_id: rp.clientId,
      response_type: 'code',
      scope: 'openid profile',
      redirect_uri: rp.redirectUri,
      code_challenge: base64url(createHash('sha256').update(verifier).digest()),
      code_challenge_method: 'S256',
      state,
      nonce: base64url(randomBytes(16)),
    }).toString(),
  });
  const { request_uri } = (await expectJson(pushed, 'PAR')) as { request_uri: string };
  const browser = new CardBrowser(provider, card, rp.redirectUri);
  const start = `${provider.discovery.authorization_endpoint}?${new URLSearchParams({ client_id: rp.clientId, request_uri })}`;
  const back = new URL((await browser.signIn(start)).url);
  const code = back.searchParams.get('code');
  if (!code || back.searchParams.get('state') !== state) throw new Error(`no code at the client: ${back.href}`);
  const tokens = await backEnd(provider.discovery.token_endpoint, {
    method: 'POST',
    headers: form,
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: rp.redirectUri, code_verifier: verifier }).toString(),
  });
  const { access_token } = (await expectJson(tokens, 'token')) as { access_token: string };
  const userinfo = (await expectJson(await backEnd(provider.discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${access_token}` } }), 'userinfo')) as { sub?: string; family_name?: string };
  if (!userinfo.sub || !userinfo.family_name) throw new Error(`userinfo without sub or family_name: ${JSON.stringify(userinfo)}`);
  return { consented: browser.consented };
}

async function expectJson(response: Response, step: string): Promise<unknown> {
  const body = await response.text();
  if (!response.ok) throw new Error(`${step}: ${response.status} ${body.slice(0, 300)}`);
  return JSON.parse(body);
}
