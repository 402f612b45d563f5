/**
 * The OpenID Connect provider: oidc-provider (ADR 0170) configured on our parts. Its artifacts live in our store
 * (oidc-adapter.ts), its keys are shared by every process (oidc-keys.ts), its clients come from configuration, its
 * accounts are the registry's persons (accounts.ts), `sub` is the client's sector token of the UIN, and a login
 * below the level a request needs (acr_values, an essential acr claim, the client's minimum) prompts a login again.
 */
import type Provider from 'oidc-provider';
import type { ClientMetadata, Configuration, FindAccount } from 'oidc-provider';
import type { AcrValues } from './assurance-levels.js';
import { atLeast } from './assurance-levels.js';
import type { ClaimMapping } from './claim-mapping.js';
import { clientPolicyOf, EXTRA_METADATA, type ClientPolicy } from './oidc-clients.js';
import type { OidcArtifacts } from './oidc-adapter.js';
import type { OidcKeys } from './oidc-keys.js';

export interface ProviderParts {
  issuer: string;
  artifacts: OidcArtifacts;
  keys: OidcKeys;
  clients: ClientMetadata[];
  claims: ClaimMapping;
  acr: AcrValues;
  findAccount: FindAccount;
  /** The client's pairwise subject for a person: its sector's token of the UIN. */
  subjectOf(sector: string, uin: string): Promise<string>;
  /** Where the login and consent pages are, below the mount (`/oidc/interaction`). */
  interactionPath: string;
  /** Behind a TLS-offloading proxy: trust its X-Forwarded-* headers. */
  proxy: boolean;
  ttl: { session: number; accessToken: number };
}

type Library = typeof import('oidc-provider');

/** The login prompt, its level check in place of the library's exact-match acr checks. */
function loginPolicy({ interactionPolicy }: Library, acr: AcrValues): ReturnType<Library['interactionPolicy']['base']> {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  if (!login) throw new Error('oidc-provider has no login prompt');
  for (const reason of ['essential_acr', 'essential_acrs']) {
    const index = login.checks.findIndex((check) => check.reason === reason);
    if (index >= 0) login.checks.splice(index, 1);
  }
  login.checks.add(
    // The session's person no longer stands (dead, inactive, card revoked) before the job ends their sessions:
    // findAccount gave no account, and the library would go on to a consent it cannot judge (a 500).
    new interactionPolicy.Check('account_not_standing', 'the person of the session may no longer sign in', (ctx) =>
      ctx.oidc.session?.accountId && !ctx.oidc.account ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT,
    ),
  );
  login.checks.add(
    new interactionPolicy.Check('acr_below_required', 'the login does not reach the level of assurance asked for', (ctx) => {
      const level = acr.levelOf(ctx.oidc.session?.acr);
      const { params, client } = ctx.oidc;
      const required = acr.requiredBy(params ?? {}, client ? policyOf(client).minimumAcr : 'substantial');
      return level !== undefined && atLeast(level, required) ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT;
    }),
  );
  return policy;
}

/**
 * The library is loaded when the interface is served, not with the server's modules: on Node 20 it warns on stderr as
 * it loads, which must not come before a one-line configuration error.
 */
export async function createProvider(parts: ProviderParts): Promise<Provider> {
  const library = await import('oidc-provider');
  const { artifacts, keys, claims, acr, interactionPath } = parts;
  const configuration: Configuration = {
    adapter: artifacts.adapterFor,
    clients: parts.clients,
    findAccount: parts.findAccount,
    jwks: keys.jwks as Configuration['jwks'],
    cookies: { keys: keys.cookieKeys },
    // The level of the login goes in every ID token, asked for or not.
    claims: { ...claims.scopes(), openid: ['sub', 'acr'] },
    acrValues: acr.all,
    subjectTypes: ['pairwise'],
    pairwiseIdentifier: (_ctx, accountId, client) => parts.subjectOf(clientPolicyOf(client.metadata()).sector, accountId),
    pkce: { required: () => true },
    responseTypes: ['code'],
    scopes: ['openid', ...Object.keys(claims.scopes()).filter((scope) => scope !== 'openid')],
    extraClientMetadata: { properties: EXTRA_METADATA },
    // The login's level travels with the access token, for the audit of userinfo; its credential, for standing checks.
    extraTokenClaims: (ctx) => {
      const { AuthorizationCode: code } = ctx.oidc.entities;
      return code ? { acr: code.acr, credentialId: credentialOf(code.amr) } : undefined;
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      backchannelLogout: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      userinfo: { enabled: true },
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    enabledJWA: { clientAuthSigningAlgValues: ['ES256', 'RS256', 'PS256'] },
    routes: {
      authorization: '/auth',
      token: '/token',
      userinfo: '/userinfo',
      jwks: '/jwks',
      pushed_authorization_request: '/par',
      end_session: '/session/end',
      revocation: '/token/revocation',
    },
    interactions: { url: (_ctx, interaction) => `${interactionPath}/${interaction.uid}`, policy: loginPolicy(library, acr) },
    ttl: {
      Session: parts.ttl.session,
      Interaction: 10 * 60,
      Grant: parts.ttl.session,
      AuthorizationCode: 60,
      AccessToken: parts.ttl.accessToken,
      IdToken: parts.ttl.accessToken,
      PushedAuthorizationRequest: 60,
    },
    // The library's outgoing calls (back-channel logout, a client's jwks_uri) refuse private addresses against SSRF by
    // clients that register themselves; ours come only from the operator's file, and may sit on a private network.
    fetch: (url, init) => {
      const { dispatcher: _guard, ...options } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
      return fetch(url, options);
    },
    // Claims of scopes go to userinfo; the ID token holds sub, acr and what the claims parameter asks of it.
    conformIdTokenClaims: true,
  };
  const provider = new library.default(parts.issuer, configuration);
  provider.proxy = parts.proxy;
  return provider;
}

/**
 * The credential of a login rides in the session's `amr` as `credential:<id>` (the session keeps no other member of
 * ours); `amr` is not a released claim, so it never leaves the server.
 */
const CREDENTIAL = 'credential:';

export function credentialOf(amr: readonly string[] | undefined): string | undefined {
  return amr?.find((value) => value.startsWith(CREDENTIAL))?.slice(CREDENTIAL.length);
}

export function amrWithCredential(amr: readonly string[], credentialId: string | undefined): string[] {
  return credentialId === undefined ? [...amr] : [...amr, `${CREDENTIAL}${credentialId}`];
}

export function policyOf(client: { metadata(): ClientMetadata }): ClientPolicy {
  return clientPolicyOf(client.metadata());
}
