/**
 * The OpenID provider's interface (`openapi/oidc.yaml`, mounted at `/oidc`): the login and consent pages of an
 * authorization request. The provider's protocol endpoints are its own, answered by its callback (see src/app.ts).
 * Handlers hand the raw exchange to oidc-provider (its interaction cookie) and answer by their result: a page, or
 * 303 to where the provider continues; they never write to the response themselves.
 */
import type { HtmlFragment } from '../http/html.js';
import type { InterfaceModule } from '../http/interface-module.js';
import type { RuntimeHandler } from '../http/interface-router.js';
import type { CallContext } from '../http/operation-types.js';
import { type PageLanguage, requestLanguage } from '../http/page-layout.js';
import { DomainError } from '../shared/domain-errors.js';
import { atLeast } from './assurance-levels.js';
import { consentPage, errorPage, loginPage, noMethodMessage } from './interaction.page.js';
import { cardPeerOf } from './card-authenticator.js';
import { LoginRefused } from './login-methods.js';
import { refusalText } from './refusals.js';
import type { ClientPolicy } from './oidc-clients.js';
import type { OidcServices } from './oidc-services.js';
import { policyOf } from './openid-provider.js';

/** The passkey part of the login page (the passkeys module's button, form and script), in the page's language. */
export type PasskeyLogin = (lang: PageLanguage, uid: string) => HtmlFragment;

export interface OidcPages {
  oidc: OidcServices;
  passkeyLogin?: PasskeyLogin;
}

type Result = Awaited<ReturnType<RuntimeHandler>>;
type Interaction = Awaited<ReturnType<OidcServices['provider']['interactionDetails']>>;

const HTML = 'text/html; charset=utf-8';
const page = (status: number, body: string): Result => ({ status, body, contentType: HTML });
const onward = (location: string): Result => ({ status: 303, headers: { Location: location } });

const languageOf = ({ exchange }: CallContext) => requestLanguage(exchange.req);

/** The claims a consent asks about: those of the scopes and claims still missing, as the client declared them. */
function askedClaims(interaction: Interaction, policy: ClientPolicy, scopes: Record<string, string[]>) {
  const details = interaction.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  const asked = new Set([...(details.missingOIDCScope ?? []).flatMap((scope) => scopes[scope] ?? []), ...(details.missingOIDCClaims ?? [])]);
  for (const protocolClaim of ['sub', 'acr', 'amr', 'auth_time', 'sid']) asked.delete(protocolClaim);
  const declared = policy.requiredClaims.length + policy.optionalClaims.length > 0;
  const required = [...asked].filter((claim) => !declared || policy.requiredClaims.includes(claim));
  const optional = [...asked].filter((claim) => policy.optionalClaims.includes(claim));
  const undeclared = [...asked].filter((claim) => !required.includes(claim) && !optional.includes(claim));
  return { required, optional, undeclared };
}

function createOidcHandlers({ oidc, passkeyLogin }: OidcPages): Record<'showInteraction' | 'loginWithCard' | 'submitConsent', RuntimeHandler> {
  const { provider, acr, claims } = oidc;
  const scopes = claims.scopes();
  const interactionUrl = (uid: string) => `${oidc.prefix === '/' ? '' : oidc.prefix}/interaction/${encodeURIComponent(uid)}`;

  /** The interaction of the request's cookie, which must be the one of the URL; its client and the client's policy. */
  async function interactionOf(context: CallContext, uid: string) {
    const { req, res } = context.exchange;
    const interaction = await provider.interactionDetails(req, res);
    if (interaction.uid !== uid) throw new LoginRefused({ refusal: 'otherSignIn' });
    const client = await provider.Client.find(String(interaction.params.client_id));
    if (!client) throw new LoginRefused({ refusal: 'unknownClient' });
    return { interaction, policy: policyOf(client) };
  }

  /** The login page with the methods good enough for the level asked; none: the client hears why. */
  async function showLogin(context: CallContext, interaction: Interaction, policy: ClientPolicy, refusal?: string): Promise<Result> {
    const lang = languageOf(context);
    const required = acr.requiredBy(interaction.params, policy.minimumAcr);
    const cardUrl = oidc.authenticateCard && `${oidc.cardOrigin ?? ''}${interactionUrl(interaction.uid)}/card`;
    const passkey = passkeyLogin && atLeast('substantial', required) ? passkeyLogin(lang, interaction.uid) : undefined;
    if (!cardUrl && !passkey) {
      const { req, res } = context.exchange;
      const error = { error: 'unmet_authentication_requirements', error_description: 'no sign-in method reaches the level of assurance asked for' };
      return onward(await provider.interactionResult(req, res, error, { mergeWithLastSubmission: false }));
    }
    return page(refusal ? 403 : 200, loginPage({ lang, client: policy, cardUrl, passkey, refusal }));
  }

  /** Runs a page step; a sign-in that expired, was refused or went wrong is a page saying so, in text. */
  const pageStep = (step: (context: CallContext, uid: string, body: Record<string, string>) => Promise<Result>): RuntimeHandler =>
    async ({ path, context, body }) => {
      try {
        return await step(context, path.uid ?? '', (body ?? {}) as Record<string, string>);
      } catch (err) {
        const expected = err instanceof DomainError || (err as { expose?: boolean }).expose === true;
        if (!expected) throw err;
        const lang = languageOf(context);
        // The library's own errors (an interaction or session that expired or ended) say it in English protocol words.
        const reason = err instanceof LoginRefused ? err.reason : err instanceof DomainError ? undefined : { refusal: 'signInEnded' as const };
        const text = reason ? refusalText(reason, lang) : (err as Error).message;
        return page(400, errorPage(lang, text));
      }
    };

  return {
    showInteraction: pageStep(async (context, uid) => {
      const { interaction, policy } = await interactionOf(context, uid);
      if (interaction.prompt.name === 'login') return showLogin(context, interaction, policy);
      const { required, optional, undeclared } = askedClaims(interaction, policy, scopes);
      // The "my data" page is the person's own, and a request for no claim (only `sub`) has nothing to consent to.
      if (policy.firstParty || required.length + optional.length === 0) return onward(await grantConsent(context, interaction, undeclared));
      const action = `${interactionUrl(uid)}/consent`;
      return page(200, consentPage({ lang: languageOf(context), uid, client: policy, action, required, optional }));
    }),

    loginWithCard: pageStep(async (context, uid) => {
      const { interaction, policy } = await interactionOf(context, uid);
      const { authenticateCard } = oidc;
      if (!authenticateCard) return showLogin(context, interaction, policy, noMethodMessage(languageOf(context)));
      try {
        const login = await authenticateCard(cardPeerOf(context.exchange.req.socket));
        return onward(await oidc.finishLogin(context.exchange, login));
      } catch (err) {
        if (!(err instanceof LoginRefused)) throw err;
        return showLogin(context, interaction, policy, refusalText(err.reason, languageOf(context)));
      }
    }),

    submitConsent: pageStep(async (context, uid, body) => {
      const { interaction, policy } = await interactionOf(context, uid);
      const { req, res } = context.exchange;
      if (interaction.prompt.name !== 'consent') throw new LoginRefused({ refusal: 'nothingToConsent' });
      if (body.decision !== 'accept') {
        const refused = { error: 'access_denied', error_description: 'the person refused to share their data' };
        return onward(await provider.interactionResult(req, res, refused, { mergeWithLastSubmission: false }));
      }
      const { optional, undeclared } = askedClaims(interaction, policy, scopes);
      const unticked = optional.filter((claim) => body[`keep_${claim}`] !== 'yes');
      return onward(await grantConsent(context, interaction, [...undeclared, ...unticked]));
    }),
  };

  /** Grants what the request still misses, less the claims refused; the provider continues from there. */
  async function grantConsent(context: CallContext, interaction: Interaction, refused: string[]): Promise<string> {
    const { req, res } = context.exchange;
    const details = interaction.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    const accountId = interaction.session?.accountId;
    if (!accountId) throw new LoginRefused({ refusal: 'signInFirst' });
    const grant = (interaction.grantId && (await provider.Grant.find(interaction.grantId))) || new provider.Grant({ accountId, clientId: String(interaction.params.client_id) });
    if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
    if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
    if (refused.length > 0) grant.rejectOIDCClaims(refused);
    const grantId = await grant.save();
    return provider.interactionResult(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
}

export const oidcInterface: InterfaceModule<OidcPages> = { name: 'oidc', createHandlers: createOidcHandlers };
