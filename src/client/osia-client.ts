/**
 * Typed OSIA clients built with openapi-fetch on the types generated from our documents: paths, parameters,
 * bodies and answers are checked by tsc. One client per interface, all sharing the same options.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { normaliseErrors } from './errors.js';
import { defaultPrefix, OSIA_INTERFACES, type OsiaInterface, type OsiaPaths } from './interfaces.js';

/** A fixed bearer token, or a function asked before every request (for tokens that expire). */
export type TokenSource = string | (() => string | Promise<string>);

/** An undici dispatcher (e.g. `new Agent({ connect: { cert, key, ca } })` for mutual TLS). */
export type Dispatcher = NonNullable<RequestInit['dispatcher']>;

export interface OsiaClientOptions {
  /** Root URL of a server hosting the interfaces under osia-server's prefixes (`/pr`, `/cms`, …). */
  baseUrl?: string;
  /** Full base URL per interface, for components hosted apart or under other prefixes; wins over `baseUrl`. */
  baseUrls?: Partial<Record<OsiaInterface, string>>;
  token?: TokenSource;
  dispatcher?: Dispatcher;
  /** Replaces the global fetch (tests, proxies). */
  fetch?: (input: Request) => Promise<Response>;
}

export type OsiaClients = { [Name in OsiaInterface]: Client<OsiaPaths[Name]> };

function bearer(token: TokenSource): Middleware {
  return {
    async onRequest({ request }) {
      const value = typeof token === 'string' ? token : await token();
      request.headers.set('Authorization', `Bearer ${value}`);
      return request;
    },
  };
}

function baseUrlOf(name: OsiaInterface, options: OsiaClientOptions): string | undefined {
  const explicit = options.baseUrls?.[name];
  if (explicit) return explicit.replace(/\/+$/, '');
  return options.baseUrl && `${options.baseUrl.replace(/\/+$/, '')}${defaultPrefix(name)}`;
}

const noBaseUrl = (name: OsiaInterface) => new Error(`no base URL for the ${name} interface: give baseUrl or baseUrls.${name}`);

/** Stands in for an interface the options give no URL for: fails the first request that uses it. */
function unconfigured(name: OsiaInterface): Middleware {
  return {
    onRequest() {
      throw noBaseUrl(name);
    },
  };
}

export function createInterfaceClient<Name extends OsiaInterface>(
  name: Name,
  options: OsiaClientOptions,
): Client<OsiaPaths[Name]> {
  const baseUrl = baseUrlOf(name, options);
  if (!baseUrl) throw noBaseUrl(name);
  const client = createClient<OsiaPaths[Name]>({
    baseUrl,
    // OSIA query objects (Data Access `attributes`) are form-exploded: `?firstName=Ada`, not `?attributes[firstName]=`.
    querySerializer: { array: { style: 'form', explode: true }, object: { style: 'form', explode: true } },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.dispatcher ? { requestInitExt: { dispatcher: options.dispatcher } } : {}),
  });
  if (options.token !== undefined) client.use(bearer(options.token));
  client.use(normaliseErrors);
  return client;
}

/** One client per OSIA interface. The client of an interface without a base URL fails on its first request. */
export function createOsiaClient(options: OsiaClientOptions): OsiaClients {
  const clients = OSIA_INTERFACES.map((name) => {
    if (baseUrlOf(name, options)) return [name, createInterfaceClient(name, options)];
    const client = createInterfaceClient(name, { ...options, baseUrls: { [name]: 'http://unconfigured.invalid' } });
    client.use(unconfigured(name));
    return [name, client];
  });
  return Object.fromEntries(clients) as OsiaClients;
}
