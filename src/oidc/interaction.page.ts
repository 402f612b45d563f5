/**
 * The citizen's pages of a login: the login page (the methods good enough for the level asked), the consent page
 * (who asks, why, which claims; optional ones may be unticked) and what went wrong, in French or English. Plain
 * HTML forms and links: no script is needed (the passkey button brings its own, served from 'self').
 */
import { type HtmlFragment, html } from '../http/html.js';
import { type PageLanguage, renderPage } from '../http/page-layout.js';
import type { ClientPolicy } from './oidc-clients.js';

const MESSAGES = {
  en: {
    loginTitle: 'Sign in with your national identity',
    loginFor: 'The service asking:',
    card: 'Sign in with my ID card',
    cardHint: 'Insert your card in the reader; your browser asks for its PIN.',
    noMethod: 'No sign-in method reaches the level this service asks for.',
    consentTitle: 'Share your data',
    purpose: 'Purpose:',
    required: 'Data the service needs:',
    optional: 'Data you may choose to share:',
    accept: 'Share and continue',
    refuse: 'Refuse',
    errorTitle: 'Sign-in interrupted',
    restart: 'Go back to the service and start again.',
  },
  fr: {
    loginTitle: 'Se connecter avec son identité nationale',
    loginFor: 'Le service qui le demande :',
    card: 'Me connecter avec ma carte d’identité',
    cardHint: 'Insérez votre carte dans le lecteur ; votre navigateur demande son code PIN.',
    noMethod: 'Aucun moyen de connexion n’atteint le niveau que ce service demande.',
    consentTitle: 'Partager vos données',
    purpose: 'Finalité :',
    required: 'Données nécessaires au service :',
    optional: 'Données que vous pouvez choisir de partager :',
    accept: 'Partager et continuer',
    refuse: 'Refuser',
    errorTitle: 'Connexion interrompue',
    restart: 'Retournez sur le service et recommencez.',
  },
} satisfies Record<PageLanguage, Record<string, string>>;

/** Claim names in the person's words. */
const CLAIM_LABELS: Record<PageLanguage, Record<string, string>> = {
  en: {
    given_name: 'Given names',
    family_name: 'Family name',
    birthdate: 'Date of birth',
    gender: 'Sex',
    birthplace: 'Place of birth',
    birthcountry: 'Country of birth',
    email: 'E-mail address',
    phone_number: 'Phone number',
  },
  fr: {
    given_name: 'Prénoms',
    family_name: 'Nom de famille',
    birthdate: 'Date de naissance',
    gender: 'Sexe',
    birthplace: 'Lieu de naissance',
    birthcountry: 'Pays de naissance',
    email: 'Adresse électronique',
    phone_number: 'Numéro de téléphone',
  },
};

const labelOf = (lang: PageLanguage, claim: string) => CLAIM_LABELS[lang][claim] ?? claim;

export interface LoginPage {
  lang: PageLanguage;
  client: ClientPolicy;
  /** The card step's URL (on the card listener), when the card reaches the level asked. */
  cardUrl?: string;
  /** The passkey button and form, when a passkey reaches the level asked. */
  passkey?: HtmlFragment;
  /** Why the last attempt was refused. */
  refusal?: string;
}

export function loginPage({ lang, client, cardUrl, passkey, refusal }: LoginPage): string {
  const text = MESSAGES[lang];
  const body = html`
    <p>${text.loginFor} <strong>${client.name}</strong> (${client.organisation})</p>
    ${refusal ? html`<p class="error" role="alert">${refusal}</p>` : ''}
    ${cardUrl ? html`<p><a class="button" href="${cardUrl}">${text.card}</a></p><p>${text.cardHint}</p>` : ''}
    ${passkey ?? ''}`;
  return renderPage({ lang, title: text.loginTitle, body });
}

export interface ConsentPage {
  lang: PageLanguage;
  uid: string;
  client: ClientPolicy;
  action: string;
  required: string[];
  optional: string[];
}

export function consentPage({ lang, client, action, required, optional }: ConsentPage): string {
  const text = MESSAGES[lang];
  const body = html`
    <p><strong>${client.name}</strong> (${client.organisation})</p>
    <p>${text.purpose} ${client.purpose}</p>
    <form method="post" action="${action}">
      ${required.length > 0 ? html`<h2>${text.required}</h2><ul>${required.map((claim) => html`<li>${labelOf(lang, claim)}</li>`)}</ul>` : ''}
      ${
        optional.length > 0
          ? html`<fieldset><legend>${text.optional}</legend>${optional.map(
              (claim) => html`<div><input type="checkbox" id="keep_${claim}" name="keep_${claim}" value="yes" checked> <label for="keep_${claim}">${labelOf(lang, claim)}</label></div>`,
            )}</fieldset>`
          : ''
      }
      <p><button type="submit" name="decision" value="accept">${text.accept}</button>
      <button type="submit" name="decision" value="refuse" class="secondary">${text.refuse}</button></p>
    </form>`;
  return renderPage({ lang, title: text.consentTitle, body });
}

export function errorPage(lang: PageLanguage, reason: string): string {
  const text = MESSAGES[lang];
  return renderPage({ lang, title: text.errorTitle, body: html`<p class="error" role="alert">${reason}</p><p>${text.restart}</p>` });
}

export function noMethodMessage(lang: PageLanguage): string {
  return MESSAGES[lang].noMethod;
}
