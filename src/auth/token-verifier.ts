/**
 * Verifies bearer tokens with jose, following RFC 8725: only the configured asymmetric algorithms (so never
 * `none` and no HMAC/RSA confusion), a mandatory `exp`, `nbf`/`exp` checked with a small clock tolerance, and
 * `iss`/`aud` when configured.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import type { Config } from '../config/config-options.js';
import { UnauthorizedError } from '../errors/http-errors.js';
import { DEV_ALGORITHM, DEV_AUDIENCE, DEV_ISSUER, ensureDevKeys } from './dev-keys.js';
import type { Principal } from './principal.js';

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
  /** Where keys come from, for the start-up log. */
  readonly keySource: 'jwks' | 'public-key' | 'development-key';
}

type AuthConfig = Pick<
  Config,
  'jwksUrl' | 'jwksCooldownSeconds' | 'jwtPublicKey' | 'jwtIssuer' | 'jwtAudience' | 'jwtAlgorithms' | 'jwtClockToleranceSeconds' | 'dataDir'
>;

function scopesOf(payload: JWTPayload): Set<string> {
  const raw = payload.scope ?? payload.scp;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(' ') : [];
  return new Set(list.filter((scope): scope is string => typeof scope === 'string' && scope.length > 0));
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A message for the 401 that says what was wrong without echoing the token. */
function reason(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'The bearer token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `The bearer token's ${err.claim} claim is not accepted`;
  if (err instanceof errors.JOSEAlgNotAllowed) return 'The bearer token is signed with an algorithm that is not accepted';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'The bearer token signature is not valid';
  if (err instanceof errors.JWKSNoMatchingKey) return 'The bearer token is signed by an unknown key';
  return 'The bearer token is not a valid JWT';
}

/**
 * Tokens already verified, for a short while: clients send the same token on every call, and a signature check
 * costs more than the rest of a small request. An entry lives at most CACHE_MS and never past the token's `exp`.
 */
class VerifiedTokens {
  static readonly CACHE_MS = 60_000;
  static readonly MAX_ENTRIES = 10_000;
  readonly #entries = new Map<string, { principal: Principal; until: number }>();

  get(token: string): Principal | undefined {
    const entry = this.#entries.get(token);
    if (entry && entry.until > Date.now()) return entry.principal;
    if (entry) this.#entries.delete(token);
    return undefined;
  }

  set(token: string, principal: Principal, expiresAt: number): void {
    if (this.#entries.size >= VerifiedTokens.MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(token, { principal, until: Math.min(expiresAt, Date.now() + VerifiedTokens.CACHE_MS) });
  }
}

export async function createTokenVerifier(config: AuthConfig): Promise<TokenVerifier> {
  // A JWKS (a key-choosing function) or one public key: jose's overloads take either, not their union.
  let key: { jwks: ReturnType<typeof createRemoteJWKSet> } | { publicKey: KeyObject };
  let keySource: TokenVerifier['keySource'];
  let { jwtIssuer: issuer, jwtAudience: audience, jwtAlgorithms: algorithms } = config;
  if (config.jwksUrl) {
    const cooldownDuration = config.jwksCooldownSeconds * 1000;
    key = { jwks: createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration }) };
    keySource = 'jwks';
  } else if (config.jwtPublicKey) {
    key = { publicKey: createPublicKey(await readFile(config.jwtPublicKey, 'utf8')) };
    keySource = 'public-key';
  } else {
    key = { publicKey: (await ensureDevKeys(config.dataDir)).publicKey };
    keySource = 'development-key';
    issuer ??= DEV_ISSUER;
    audience ??= DEV_AUDIENCE;
    algorithms = [DEV_ALGORITHM];
  }
  const options = {
    algorithms,
    issuer,
    audience,
    clockTolerance: config.jwtClockToleranceSeconds,
    requiredClaims: ['exp'],
  };
  const cache = new VerifiedTokens();
  return {
    keySource,
    async verify(token) {
      const known = cache.get(token);
      if (known) return known;
      try {
        const { payload } =
          'jwks' in key ? await jwtVerify(token, key.jwks, options) : await jwtVerify(token, key.publicKey, options);
        const principal = { subject: payload.sub, client: text(payload.azp) ?? text(payload.client_id), scopes: scopesOf(payload) };
        cache.set(token, principal, (payload.exp as number) * 1000);
        return principal;
      } catch (err) {
        throw new UnauthorizedError(reason(err), true);
      }
    },
  };
}
