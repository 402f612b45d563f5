/**
 * The login methods' contract with the provider: each method (the ID card on the card listener, a passkey) proves
 * who the person is and at which level, and hands the provider a `LoginResult`; the provider finishes the interaction.
 * The methods live in their own files, wired by the composition root; the provider knows only these types.
 */
import { DomainError } from '../shared/domain-errors.js';
import type { Level } from './assurance-levels.js';
import { type RefusalReason, refusalText } from './refusals.js';

/** A login a method made: the person (UIN), the level it reached, how, and which credential served. */
export interface LoginResult {
  personId: string;
  acr: Level;
  /** RFC 8176 methods (`hwk`, `pin`, `user`, ...). */
  amr: string[];
  /** The credential the method rests on (the ID card): its standing is checked at every use of the login. */
  credentialId?: string;
}

/** A login method said no: the reason is shown to the person, in text and in the page's language, on the login page. */
export class LoginRefused extends DomainError {
  constructor(readonly reason: RefusalReason) {
    super('notAllowed', refusalText(reason, 'en'));
  }
}

/** What the card listener's TLS handshake gave: the client certificate (DER) and Node's verdict on it. */
export interface CardPeer {
  certificate?: Buffer;
  authorized: boolean;
  authorizationError?: string;
}

/** The ID card login (src/oidc/card-authenticator.ts): resolves the login, or throws `LoginRefused`. */
export type AuthenticateCard = (peer: CardPeer) => Promise<LoginResult>;

/** Whether the credential a login used is still active: asked on every token use, so a revocation ends it at once. */
export interface CredentialStanding {
  credentialActive(personId: string, credentialId: string): Promise<boolean>;
}
