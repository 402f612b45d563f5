/**
 * The HTTP edge of passkeys (`openapi/oidc-passkeys.yaml`, beside the OpenID provider): the operations the pages'
 * script calls with the browser's session, the script itself, and the markup of its buttons that the login page and
 * the "my data" page include. The session is checked before any body is read (admission); a refused login is a 400
 * whose message the page states.
 */
import type { IncomingMessage } from 'node:http';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { operations } from '../../generated/oidc-passkeys.js';
import { type HtmlFragment, html } from '../http/html.js';
import type { InterfaceModule } from '../http/interface-module.js';
import type { CallContext, HandlerMap } from '../http/operation-types.js';
import type { PageLanguage } from '../http/page-layout.js';
import { InvalidError, NotAllowedError } from '../shared/domain-errors.js';
import { LoginRefused, type LoginResult } from './login-methods.js';
import { PASSKEY_SCRIPT } from './passkey-script.js';
import type { PasskeySummary, Passkeys } from './passkeys.js';

type Exchange = CallContext['exchange'];
type Level = LoginResult['acr'];

/** The OpenID provider's session of the browser: who signed in, and how strongly. */
export interface CurrentLogin {
  personId: string;
  acr: Level;
  credentialId?: string;
}

export interface PasskeyServices {
  passkeys: Passkeys;
  /** Ends the login interaction of the exchange with `result`; the URL the browser goes to next. */
  finishLogin(exchange: Exchange, result: LoginResult): Promise<string>;
  currentLogin(exchange: Exchange): Promise<CurrentLogin | undefined>;
}

const LEVELS: readonly Level[] = ['low', 'substantial', 'high'];

/** The session each operation on one's own passkeys needs: the ID card's to add one. */
const NEEDS: Partial<Record<keyof operations, Level>> = {
  passkeyRegistrationOptions: 'high',
  registerPasskey: 'high',
  listPasskeys: 'substantial',
  deletePasskey: 'substantial',
};

/** The session admission found, for the handler of the same request (read once, before the body). */
const admitted = new WeakMap<IncomingMessage, CurrentLogin>();

function sessionOf(context: CallContext): CurrentLogin {
  const login = admitted.get(context.exchange.req);
  if (!login) throw new NotAllowedError('Sign in first');
  return login;
}

async function admit({ currentLogin }: PasskeyServices, operationId: string, exchange: Exchange): Promise<void> {
  const needs = NEEDS[operationId as keyof operations];
  if (!needs) return;
  const login = await currentLogin(exchange);
  if (!login) throw new NotAllowedError('Sign in first');
  if (LEVELS.indexOf(login.acr) < LEVELS.indexOf(needs)) {
    throw new NotAllowedError(needs === 'high' ? 'Adding a passkey needs a session signed in with the ID card' : 'This needs a stronger sign-in');
  }
  admitted.set(exchange.req, login);
}

function createPasskeyHandlers({ passkeys, finishLogin }: PasskeyServices): HandlerMap<operations> {
  return {
    passkeyLoginOptions: async ({ path }) => ({ status: 200, body: await passkeys.authenticationOptions(path.uid) }),
    passkeyLogin: async ({ path, body, context }) => {
      try {
        const result = await passkeys.authenticate(path.uid, body as AuthenticationResponseJSON);
        return { status: 200, body: { location: await finishLogin(context.exchange, result) } };
      } catch (err) {
        if (err instanceof LoginRefused) throw new InvalidError(err.message);
        throw err;
      }
    },
    passkeyRegistrationOptions: async ({ context }) => {
      const options = await passkeys.registrationOptions(sessionOf(context).personId);
      // A copy as a plain object: the library's interface of extension inputs has no index signature.
      return { status: 200, body: { ...options, extensions: { ...options.extensions } } };
    },
    registerPasskey: async ({ body, context }) => ({
      status: 201,
      body: await passkeys.register(sessionOf(context).personId, body as RegistrationResponseJSON),
    }),
    listPasskeys: async ({ context }) => ({ status: 200, body: await passkeys.list(sessionOf(context).personId) }),
    deletePasskey: async ({ path, context }) => {
      await passkeys.remove(sessionOf(context).personId, path.id);
      return { status: 204 };
    },
    passkeyScript: async () => ({ status: 200, body: PASSKEY_SCRIPT, contentType: 'application/javascript' }),
  };
}

export const passkeysInterface: InterfaceModule<PasskeyServices> = {
  name: 'oidc-passkeys',
  beside: 'oidc',
  createHandlers: createPasskeyHandlers,
  createAdmission: (services) => (operationId, _path, exchange) => admit(services, operationId, exchange),
};

const MESSAGES = {
  en: {
    login: 'Sign in with a passkey',
    loginHelp: 'Use a passkey you added earlier, unlocked on your device with its PIN, fingerprint or face.',
    loginNoScript: 'Signing in with a passkey needs JavaScript. You can still sign in with your ID card.',
    registerHelp: 'A passkey lets you sign in without your ID card, at the level "substantial". You can add one while signed in with your ID card.',
    register: 'Add a passkey',
    registerNoScript: 'Adding or removing a passkey needs JavaScript.',
    none: 'You have no passkey.',
    added: 'Added',
    lastUsed: 'Last used',
    never: 'never',
    synced: 'Synced across your devices',
    remove: 'Remove',
    working: 'Follow the instructions of your browser or device.',
    done: 'Done.',
    failed: 'That did not work:',
    cancelled: 'Cancelled or timed out. You can try again.',
    unsupported: 'This browser does not support passkeys.',
  },
  fr: {
    login: 'Se connecter avec une clé d’accès',
    loginHelp: 'Utilisez une clé d’accès ajoutée auparavant, déverrouillée sur votre appareil par son code, votre empreinte ou votre visage.',
    loginNoScript: 'La connexion par clé d’accès nécessite JavaScript. Vous pouvez toujours vous connecter avec votre carte d’identité.',
    registerHelp:
      'Une clé d’accès vous permet de vous connecter sans votre carte d’identité, au niveau « substantiel ». Vous pouvez en ajouter une lorsque vous êtes connecté avec votre carte.',
    register: 'Ajouter une clé d’accès',
    registerNoScript: 'Ajouter ou retirer une clé d’accès nécessite JavaScript.',
    none: 'Vous n’avez aucune clé d’accès.',
    added: 'Ajoutée le',
    lastUsed: 'Dernière utilisation',
    never: 'jamais',
    synced: 'Synchronisée entre vos appareils',
    remove: 'Retirer',
    working: 'Suivez les instructions de votre navigateur ou de votre appareil.',
    done: 'C’est fait.',
    failed: 'Cela n’a pas abouti :',
    cancelled: 'Annulé ou délai dépassé. Vous pouvez réessayer.',
    unsupported: 'Ce navigateur ne prend pas en charge les clés d’accès.',
  },
} satisfies Record<PageLanguage, Record<string, string>>;

/** The box the script works in: its texts for the live region, the region, and the script itself (deferred). */
function passkeyBox(lang: PageLanguage, prefix: string, content: HtmlFragment): HtmlFragment {
  const text = MESSAGES[lang];
  return html`<div class="passkey" data-passkey data-msg-working="${text.working}" data-msg-done="${text.done}" data-msg-failed="${text.failed}" data-msg-cancelled="${text.cancelled}" data-msg-unsupported="${text.unsupported}">${content}<p role="status" aria-live="polite" data-passkey-status></p><script src="${prefix}/passkeys/passkeys.js" defer></script></div>`;
}

/** The passkey button of the login page of interaction `uid`; `prefix` is where the OpenID provider is mounted. */
export function passkeyLoginButton(lang: PageLanguage, uid: string, prefix = '/oidc'): HtmlFragment {
  const text = MESSAGES[lang];
  return passkeyBox(
    lang,
    prefix,
    html`<p>${text.loginHelp}</p><button type="button" hidden data-passkey-login="${prefix}/interaction/${encodeURIComponent(uid)}/passkey">${text.login}</button><noscript><p>${text.loginNoScript}</p></noscript>`,
  );
}

/** The content of the passkeys section of the "my data" page (which gives its heading): the person's passkeys, and adding one (with a card session). */
export function passkeyRegistration(lang: PageLanguage, passkeys: readonly PasskeySummary[] = [], prefix = '/oidc'): HtmlFragment {
  const text = MESSAGES[lang];
  const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : text.never);
  const rows = passkeys.map(
    (passkey) =>
      html`<li>${text.added} ${day(passkey.createdAt)}; ${text.lastUsed}: ${day(passkey.lastUsedAt)}${passkey.synced ? html`; ${text.synced}` : ''} <button type="button" class="secondary" hidden data-passkey-delete="${prefix}/passkeys/${encodeURIComponent(passkey.id)}">${text.remove}</button></li>`,
  );
  const list = rows.length > 0 ? html`<ul>${rows}</ul>` : html`<p>${text.none}</p>`;
  return passkeyBox(
    lang,
    prefix,
    html`${list}<p>${text.registerHelp}</p><button type="button" hidden data-passkey-register="${prefix}/passkeys/registration">${text.register}</button><noscript><p>${text.registerNoScript}</p></noscript>`,
  );
}
