/**
 * Accounts are persons: the account id is the UIN. A person who is not ACTIVE and ALIVE, or whose login credential
 * is no longer active, has no account, so their tokens stop working at once. Claims come from the reference identity
 * through the claim mapping; each release (ID token, userinfo) is appended to the audit trail before it leaves.
 */
import type { Account, ClaimsParameterMember, FindAccount, KoaContextWithOIDC } from 'oidc-provider';
import type { PopulationRegistry } from '../registry/population-registry.js';
import type { ClaimMapping } from './claim-mapping.js';
import type { CredentialStanding } from './login-methods.js';
import { credentialOf, policyOf } from './openid-provider.js';

/** A release of claims, for the audit trail: who received which claim names about whom, why, at which level. */
export interface ClaimRelease {
  operationId: 'idToken' | 'userinfo';
  client: string;
  organisation: string;
  purpose: string;
  personId: string;
  attributes: string[];
  acr?: string;
}

export interface AccountParts {
  registry: PopulationRegistry;
  standing: CredentialStanding;
  claims: ClaimMapping;
  /** Stores the release before it leaves. */
  audit: (release: ClaimRelease) => Promise<void>;
}

/** The person, when they may use their account: ACTIVE and ALIVE. */
export async function activePerson(registry: PopulationRegistry, uin: string) {
  const reference = await registry.readReference(uin);
  return reference?.person.status === 'ACTIVE' && reference.person.physicalStatus === 'ALIVE' ? reference : undefined;
}

/** The token's level and credential: from the code (ID token) or from what the access token carries (userinfo). */
function loginOf(ctx: KoaContextWithOIDC, token: unknown): { acr?: string; credentialId?: string } {
  const { AuthorizationCode: code, AccessToken: access } = ctx.oidc.entities;
  if (code) return { acr: code.acr, credentialId: credentialOf(code.amr) };
  const extra = (access ?? (token as { extra?: Record<string, unknown> } | undefined))?.extra as { acr?: string; credentialId?: string } | undefined;
  return { acr: extra?.acr ?? ctx.oidc.session?.acr, credentialId: extra?.credentialId ?? credentialOf(ctx.oidc.session?.amr) };
}

/** The claim names a release gives: those of the granted scopes and the claims parameter, less the refused ones. */
function releasedNames(available: Record<string, unknown>, scopeClaims: Record<string, string[]>, scope: string, asked: object, rejected: readonly string[]) {
  const named = new Set([...scope.split(' ').flatMap((name) => scopeClaims[name] ?? []), ...Object.keys(asked)]);
  return Object.keys(available).filter((name) => named.has(name) && !rejected.includes(name));
}

export function accountFinder(parts: AccountParts): FindAccount {
  const { registry, standing, claims, audit } = parts;
  const scopeClaims = claims.scopes();
  return async (ctx, uin, token) => {
    const reference = await activePerson(registry, uin);
    if (!reference) return undefined;
    const login = loginOf(ctx, token);
    if (login.credentialId && !(await standing.credentialActive(uin, login.credentialId))) return undefined;
    const account: Account = {
      accountId: uin,
      claims: async (use, scope, asked, rejected) => {
        const values = { sub: uin, ...claims.valuesOf(reference.identity ?? {}) };
        const { client } = ctx.oidc;
        if (client) {
          const policy = policyOf(client);
          const attributes = releasedNames(values, scopeClaims, scope, asked as Record<string, ClaimsParameterMember | null>, rejected);
          await audit({
            operationId: use === 'userinfo' ? 'userinfo' : 'idToken',
            client: policy.clientId,
            personId: uin,
            attributes,
            organisation: policy.organisation,
            purpose: policy.purpose,
            ...(login.acr ? { acr: login.acr } : {}),
          });
        }
        return values;
      },
    };
    return account;
  };
}
